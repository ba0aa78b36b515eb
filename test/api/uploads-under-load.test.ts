// Uploads as a team's CI sends them, over HTTP: slow, several at once, some
// malformed. What another request was told is stored stays stored, nobody
// reads results that are not stored yet, the rest of the API keeps answering,
// and a database too busy to answer says so with 503 and Retry-After.
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { createHttpApp } from '../../src/http/create-http-app.js';
import { isDatabaseBusy } from '../../src/db/overload.js';
import { createLogger } from '../../src/logger.js';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { signal, waitUntil, within } from '../helpers/wait.js';

const HEAD_CASES = 8_000;

function junitHead(prefix: string, cases = HEAD_CASES): string {
  const lines = Array.from({ length: cases }, (_, i) => `<testcase classname="${prefix}" name="case ${i}" time="0.002"/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="${prefix}">\n${lines.join('\n')}\n`;
}
const GOOD_TAIL = '</testsuite>\n</testsuites>\n';
const MALFORMED_TAIL = '<testcase name="cut off"></testsuite>\n';

/**
 * A JUnit upload whose body is sent up to its tail and then held, as a slow
 * link holds it. `finish` sends the tail and resolves with the answer.
 */
function heldUpload(base: string, key: string, path: string, head: string) {
  const answer = signal<{ status: number; body: any }>();
  const req: ClientRequest = request(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml' },
  });
  req.on('response', (res: IncomingMessage) => {
    let text = '';
    res.on('data', (c: Buffer) => (text += c.toString()));
    res.on('end', () => answer.resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || 'null') }));
  });
  req.on('error', (err) => answer.resolve({ status: 0, body: String(err) }));
  req.write(head);
  return {
    bytes: Buffer.byteLength(head),
    finish(tail: string) {
      req.end(tail);
      return answer.promise;
    },
  };
}

/** A request that must be answered while uploads are held, bounded so a hang fails with a name instead of stalling. */
async function answered(what: string, call: Promise<{ status: number; body: any }>) {
  return within(call, 10_000, what);
}

describe('uploads over HTTP beside the rest of the API', () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  let key: string;
  const openRun = async (name: string) =>
    (await api('POST', '/api/projects/LOAD/test-runs', { name, milestone: 'm1', createMilestone: true })).body.id as string;
  // The server has read at least the held part of `n` upload bodies: its sockets each read that many bytes.
  const serverRead = (n: number, bytes: number) =>
    waitUntil(() => h.sockets().filter((s) => s.bytesRead >= bytes).length >= n, `${n} uploads read by the server`, { timeoutMs: 30_000 });

  beforeAll(async () => {
    h = await startApi({ MAX_JUNIT_BYTES: String(50 * 1024 * 1024) });
    key = (await seedProjectWithApiKey(h.t, 'LOAD')).apiKey;
    api = client(h.url, key);
    await api('POST', '/api/projects/LOAD/milestones', { name: 'm1' });
  });
  afterAll(async () => h.close());

  it('a slow upload that turns out malformed takes nothing with it: a milestone created and a run completed meanwhile stay, and its results are never seen', async () => {
    const runId = await openRun('slow and malformed');
    const otherRun = await openRun('other shard');
    const upload = heldUpload(h.url, key, `/api/projects/LOAD/test-runs/${runId}/junit`, junitHead('slow'));
    await serverRead(1, upload.bytes);

    const created = await answered('creating a milestone', api('POST', '/api/projects/LOAD/milestones', { name: 'made meanwhile' }));
    expect(created.status).toBe(201);
    const completed = await answered(
      'completing another run',
      api('PATCH', `/api/projects/LOAD/test-runs/${otherRun}`, { status: 'COMPLETED' }),
    );
    expect(completed.status).toBe(200);
    const during = await answered('reading the uploading run', api('GET', `/api/projects/LOAD/test-runs/${runId}`));
    expect(during.body.results).toBe(0);

    const refused = await upload.finish(MALFORMED_TAIL);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/nothing was stored/);

    expect((await api('GET', '/api/projects/LOAD/milestones/made%20meanwhile')).status).toBe(200);
    expect((await api('GET', `/api/projects/LOAD/test-runs/${otherRun}`)).body.status).toBe('COMPLETED');
    expect((await api('GET', `/api/projects/LOAD/test-runs/${runId}`)).body.results).toBe(0);
  });

  it('ten slow uploads at once: other requests are answered while they stream, then all ten are stored or refused whole', async () => {
    const runs: string[] = [];
    for (let i = 0; i < 10; i++) runs.push(await openRun(`shard ${i}`));
    const uploads = runs.map((id, i) => heldUpload(h.url, key, `/api/projects/LOAD/test-runs/${id}/junit`, junitHead(`shard${i}`, 2_000)));
    await serverRead(10, uploads[0]!.bytes);

    const other = await openRun('json beside ten uploads');
    const posted = await answered(
      'posting JSON results',
      api('POST', `/api/projects/LOAD/test-runs/${other}/results`, { results: [{ title: 'works', status: 'PASSED' }] }),
    );
    expect(posted.status).toBe(200);
    expect((await answered('reading readiness', api('GET', '/api/projects/LOAD/milestones/m1/readiness'))).status).toBe(200);
    const ready = await answered(
      'the readiness probe',
      fetch(`${h.url}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() })),
    );
    expect(ready).toEqual({ status: 200, body: { status: 'ready', database: 'ok' } });

    const answers = await Promise.all(uploads.map((u, i) => u.finish(i === 3 ? MALFORMED_TAIL : GOOD_TAIL)));
    expect(answers.map((a) => a.status)).toEqual(runs.map((_, i) => (i === 3 ? 400 : 200)));
    const stored = await Promise.all(runs.map(async (id) => (await api('GET', `/api/projects/LOAD/test-runs/${id}`)).body.results));
    expect(stored).toEqual(runs.map((_, i) => (i === 3 ? 0 : 2_000)));
    expect(answers[0]!.body.run.results).toBe(2_000);
  });
});

describe('a database too busy to answer', () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  let busyKey: string;
  beforeAll(async () => {
    h = await startApi({ DATABASE_BUSY_TIMEOUT_MS: '300', DATABASE_POOL_SIZE: '2' });
    busyKey = (await seedProjectWithApiKey(h.t, 'BUSY')).apiKey;
    api = client(h.url, busyKey);
  });
  afterAll(async () => h.close());

  /** Holds every connection the server has (the lock on SQLite, the whole pool on PostgreSQL) until released. */
  async function holdDatabase(connections: number) {
    const release = signal();
    const holding = Array.from({ length: connections }, () => {
      const inside = signal();
      const tx = h.t.prisma.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe('SELECT 1');
          inside.resolve();
          await release.promise;
        },
        { timeout: 60_000, maxWait: 10_000 },
      );
      return { inside: inside.promise, tx };
    });
    await within(Promise.all(holding.map((x) => x.inside)), 10_000, 'holding the database');
    return async () => {
      release.resolve();
      await Promise.all(holding.map((x) => x.tx));
    };
  }

  it('answers 503 with Retry-After and changes nothing; /readyz says busy, not down; the same request then succeeds', async () => {
    const letGo = await holdDatabase(h.t.db.provider === 'sqlite' ? 1 : 2);
    let busy;
    let ready;
    try {
      busy = await fetch(`${h.url}/api/projects/BUSY/milestones`, {
        method: 'POST',
        headers: { authorization: `Bearer ${busyKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'while busy' }),
      });
      ready = await fetch(`${h.url}/readyz`);
    } finally {
      await letGo();
    }
    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'busy', database: 'busy' });
    expect(ready.headers.get('retry-after')).not.toBeNull();

    expect(await h.t.prisma.milestone.count({ where: { name: 'while busy' } })).toBe(0);
    expect((await api('POST', '/api/projects/BUSY/milestones', { name: 'while busy' })).status).toBe(201);
  });

  it('/readyz says the database is unreachable when it is down', async () => {
    const down = openDatabase(parseDatabaseUrl('postgresql://nobody@127.0.0.1:1/none'), { busyTimeoutMs: 2_000 });
    const app = createHttpApp({ logger: createLogger('silent'), checkDatabase: () => down.ping(), isBusy: isDatabaseBusy });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    } finally {
      server.close();
      await down.close();
    }
  });
});
