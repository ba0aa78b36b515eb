// The CLI's client and a busy server: a 503 with Retry-After is waited out and
// the request sent again (whole, an upload's body included), a few times, then
// reported with the server's own message. Other failures are not retried.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '../../src/cli/api-client.js';

interface Seen {
  method: string;
  body: string;
}

/** A server that answers each request with the next of `answers` (status, Retry-After), recording what it got. */
async function scriptedServer(answers: Array<{ status: number; retryAfter?: string }>) {
  const seen: Seen[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', body });
      const next = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      if (next.retryAfter !== undefined) res.setHeader('retry-after', next.retryAfter);
      res.writeHead(next.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(next.status < 300 ? { ok: true } : { error: { code: 'X', message: `answer ${next.status}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

describe('the CLI client and a busy server', () => {
  let close: (() => Promise<unknown>) | undefined;
  afterEach(async () => close?.());

  it('waits as long as Retry-After says (within its cap) and sends an upload again, whole', async () => {
    const s = await scriptedServer([{ status: 503, retryAfter: '2' }, { status: 503, retryAfter: '120' }, { status: 200 }]);
    close = s.close;
    const waits: number[] = [];
    const api = createApiClient(s.url, 'sg_test', fetch, { attempts: 5, maxWaitMs: 60_000, sleep: async (ms) => void waits.push(ms) });
    const file = join(mkdtempSync(join(tmpdir(), 'retry-')), 'report.xml');
    writeFileSync(file, '<testsuite><testcase name="a"/></testsuite>');

    expect(await api.uploadFile('/api/x', file, 'application/xml')).toEqual({ ok: true });
    expect(waits).toEqual([2_000, 60_000]);
    expect(s.seen.map((r) => r.body)).toEqual(Array(3).fill('<testsuite><testcase name="a"/></testsuite>'));
  });

  it('gives up after its attempts with the server message, and does not retry other errors', async () => {
    const busy = await scriptedServer([{ status: 503, retryAfter: '1' }]);
    close = busy.close;
    const sleepless = { attempts: 3, maxWaitMs: 60_000, sleep: async () => undefined };
    const err = await createApiClient(busy.url, 'sg_test', fetch, sleepless)
      .request('POST', '/api/y', { a: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(503);
    expect((err as ApiError).message).toBe('the server answered 503: answer 503');
    expect(busy.seen).toHaveLength(3);
    expect(busy.seen.every((r) => r.body === '{"a":1}')).toBe(true);
    await busy.close();

    const broken = await scriptedServer([{ status: 500 }]);
    close = broken.close;
    const failed = await createApiClient(broken.url, 'sg_test', fetch, sleepless)
      .request('GET', '/api/z')
      .catch((e: unknown) => e);
    expect((failed as ApiError).status).toBe(500);
    expect(broken.seen).toHaveLength(1);
  });
});
