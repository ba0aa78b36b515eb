// `shipgate serve` as a process: health, readiness, Slack-off warning, clean stop, bad config.
import { connect } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTarget, testProvider } from '../helpers/test-database.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { runCli } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait.js';

/** Whether the server still takes new TCP connections. */
function acceptsConnections(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(Number(new URL(url).port), '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

describe(`shipgate serve on an empty ${testProvider()} database`, () => {
  let server: ServerProcess;
  let drop: () => Promise<void>;
  let target: string;

  beforeAll(async () => {
    const fresh = await freshTarget(false);
    drop = fresh.drop;
    target = fresh.target.url;
    server = await startServerProcess({ DATABASE_URL: target });
  });
  afterAll(async () => {
    if (server.child.exitCode === null) await server.stop('SIGKILL');
    await drop();
  });

  it('migrates at start and answers /healthz and /readyz', async () => {
    expect(server.logs()).toMatch(/database migrated \(\d+ applied\)/);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok' });
  });

  it('logs one structured line saying Slack is off and how to turn it on', () => {
    const lines = server
      .logs()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    const slack = lines.filter((l) => /Slack is off/.test(l.msg));
    expect(slack).toHaveLength(1);
    expect(slack[0]!.level).toBe(40);
    expect(slack[0]!.msg).toMatch(/SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('stops cleanly on SIGTERM, finishing an upload in flight, and exits 0', async () => {
    // A JUnit upload whose body is half sent is being handled when the signal lands:
    // the server's "100 Continue" says it has the request and handed it to its handler.
    const env = { DATABASE_URL: target };
    expect((await runCli(['project', 'create', 'PAY', 'Payments'], env)).code).toBe(0);
    const key = (await runCli(['apikey', 'create', 'PAY'], env)).stdout.trim();
    const run = await fetch(`${server.url}/api/projects/PAY/test-runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ name: 'shutdown', milestone: '1.0', createMilestone: true }),
    });
    const runId = ((await run.json()) as { id: string }).id;
    const xml = '<testsuites><testsuite name="s"><testcase name="a"/><testcase name="b"/></testsuite></testsuites>';
    const half = xml.length >> 1;
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    await once(socket, 'connect');
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    socket.write(
      `POST /api/projects/PAY/test-runs/${runId}/junit HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\n` +
        `Content-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(xml)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    );
    await waitUntil(() => response.startsWith('HTTP/1.1 100 Continue\r\n\r\n'), 'the server taking the upload');
    socket.write(xml.slice(0, half));
    const exited = server.stop('SIGTERM');
    // The rest of the body goes only once the server is shutting down (it no longer takes connections).
    await waitUntil(async () => !(await acceptsConnections(server.url)), 'the server refusing new connections');
    socket.write(xml.slice(half));
    await once(socket, 'close');
    response = response.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
    expect(response, server.logs().slice(-3000)).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('"total":2');
    expect(await exited).toBe(0);
    expect(server.logs()).toMatch(/Shipgate stopped/);
  });
});

describe('shipgate serve with a bad configuration', () => {
  it('prints one line per problem and exits 2 without starting', async () => {
    const result = await runCli(['serve'], { PORT: 'eighty', DATABASE_URL: 'mysql://x', DIGEST_TZ: 'Nowhere/Land' });
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines).toHaveLength(3);
    expect(result.stderr).toMatch(/PORT: must be a whole number/);
  });

  it('exits 1 with a clear line when PostgreSQL is unreachable', async () => {
    const result = await runCli(['serve'], { DATABASE_URL: 'postgresql://x:y@127.0.0.1:1/db' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot connect to PostgreSQL .* connection refused/);
  });
});
