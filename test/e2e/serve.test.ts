// `shipgate serve` as a process: health, readiness, Slack-off warning, clean stop, bad config.
import { connect } from 'node:net';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTarget, testProvider } from '../helpers/test-database.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { runCli } from '../helpers/run-cli.js';

describe(`shipgate serve on an empty ${testProvider()} database`, () => {
  let server: ServerProcess;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshTarget(false);
    drop = fresh.drop;
    server = await startServerProcess({ DATABASE_URL: fresh.target.url });
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
    const lines = server.logs().trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string });
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

  it('stops cleanly on SIGTERM, finishing a request in flight, and exits 0', async () => {
    // A request whose headers are half sent is in flight for sure when the signal lands.
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n');
    await delay(150);
    const exited = server.stop('SIGTERM');
    await delay(150);
    let response = '';
    socket.on('data', (d: Buffer) => (response += d.toString()));
    socket.end('Connection: close\r\n\r\n');
    await once(socket, 'close');
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('"status":"ready"');
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
