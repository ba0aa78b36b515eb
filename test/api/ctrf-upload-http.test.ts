// POST …/test-runs/{runId}/ctrf through the real HTTP app and database: a CTRF
// report written by a real reporter (jest-ctrf-json-reporter, see
// test/fixtures/ctrf/SOURCE) is stored with exact counts, flaky and retries
// kept; re-posting changes nothing; bad reports are refused naming the field.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { fixturePath } from '../helpers/fixtures.js';
import { testProvider } from '../helpers/test-database.js';

const JEST = readFileSync(fixturePath('ctrf', 'jest-ctrf.json'), 'utf8');
const LIMIT = 64 * 1024;

describe(`POST …/test-runs/{runId}/ctrf (${testProvider()})`, () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  let key: string;
  const base = '/api/projects/PAY';
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    h = await startApi({ MAX_CTRF_BYTES: String(LIMIT) });
    const { apiKey } = await seedProjectWithApiKey(h.t, 'PAY');
    key = apiKey;
    api = client(h.url, apiKey);
  });
  afterAll(async () => h.close());

  async function newRun(name: string) {
    const res = await api('POST', `${base}/test-runs`, { name, milestone: '2.4', createMilestone: true });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }
  const results = (runId: string) =>
    h.t.prisma.testResult.findMany({ where: { runId }, include: { testCase: true }, orderBy: { testCase: { key: 'asc' } } });

  it('stores the jest reporter file with exact counts, flaky and retries kept; re-posting changes nothing', async () => {
    const runId = await newRun('jest');
    const res = await api('POST', `${base}/test-runs/${runId}/ctrf`, JEST, json);
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({
      total: 8,
      passed: 5,
      failed: 1,
      skipped: 2, // test.skip ("pending") and test.todo ("other") did not run
      blocked: 0,
      flaky: 1,
      critical: 1,
      casesCreated: 8,
      resultsChanged: 8,
    });
    expect(res.body.run).toMatchObject({ id: runId, results: 8 });
    const rows = await results(runId);
    const byTitle = new Map(rows.map((r) => [r.testCase.title, r]));
    expect(byTitle.get('cart applies a coupon after a retry')).toMatchObject({ status: 'PASSED', flaky: true, attempts: 2 });
    expect(byTitle.get('cart totals in cents')).toMatchObject({ status: 'FAILED', flaky: false, attempts: 3 });
    expect(byTitle.get('cart totals in cents')!.message).toMatch(/^Error: expect\(received\)\.toBe\(expected\)/);
    expect(byTitle.get('cart ships abroad')).toMatchObject({ status: 'SKIPPED', attempts: 1 });
    expect(byTitle.get('cart gift wrapping')).toMatchObject({ status: 'SKIPPED' });
    expect(byTitle.get('cart adds an item')!.testCase).toMatchObject({
      key: 'cart.test.js > cart::cart adds an item',
      suite: 'cart.test.js > cart',
    });
    expect(byTitle.get('auth login logs in @critical')!.testCase.critical).toBe(true);

    const again = await api('POST', `${base}/test-runs/${runId}/ctrf`, JEST, json);
    expect(again.status).toBe(200);
    expect(again.body.counts).toMatchObject({ total: 8, casesCreated: 0, resultsChanged: 0 });
    expect((await results(runId)).map((r) => r.recordedAt.getTime())).toEqual(rows.map((r) => r.recordedAt.getTime()));
  });

  it('takes a gzip-compressed report', async () => {
    const runId = await newRun('gzip');
    const res = await fetch(`${h.url}${base}/test-runs/${runId}/ctrf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...json, 'content-encoding': 'gzip' },
      body: gzipSync(JEST),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { counts: { total: number } }).counts.total).toBe(8);
  });

  it.each([
    ['not JSON', '{"reportFormat": "CTRF", ', /not valid JSON/],
    [
      'another format',
      JSON.stringify({ reportFormat: 'JUnit', results: { tool: { name: 'x' }, tests: [] } }),
      /reportFormat must be "CTRF"/,
    ],
    ['no tests array', JSON.stringify({ reportFormat: 'CTRF', results: { tool: { name: 'x' } } }), /results\.tests /],
    [
      'a bad status in the second test',
      JSON.stringify({
        reportFormat: 'CTRF',
        results: {
          tool: { name: 'x' },
          tests: [
            { name: 'a', status: 'passed', duration: 1 },
            { name: 'b', status: 'broken', duration: 1 },
          ],
        },
      }),
      /results\.tests\[1\]\.status/,
    ],
    [
      'negative retries',
      JSON.stringify({ reportFormat: 'CTRF', results: { tool: { name: 'x' }, tests: [{ name: 'a', status: 'passed', retries: -1 }] } }),
      /results\.tests\[0\]\.retries/,
    ],
  ])('400 for %s, naming the field, nothing stored', async (_what, body, message) => {
    const runId = await newRun(`bad ${_what}`);
    const res = await api('POST', `${base}/test-runs/${runId}/ctrf`, body, json);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/^The CTRF report was refused and nothing was stored\./);
    expect(res.body.error.message).toMatch(message);
    expect(await h.t.prisma.testResult.count({ where: { runId } })).toBe(0);
  });

  it('413 over MAX_CTRF_BYTES, 415 for XML, 409 on an aborted run; nothing stored', async () => {
    const runId = await newRun('limits');
    const tests = Array.from({ length: 1500 }, (_, i) => ({ name: `case ${i} ${'x'.repeat(40)}`, status: 'passed', duration: 1 }));
    const big = JSON.stringify({ reportFormat: 'CTRF', results: { tool: { name: 'x' }, tests } });
    expect(Buffer.byteLength(big)).toBeGreaterThan(LIMIT);
    const tooBig = await api('POST', `${base}/test-runs/${runId}/ctrf`, big, json);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toMatch(/MAX_CTRF_BYTES/);
    const xml = await api('POST', `${base}/test-runs/${runId}/ctrf`, JEST, { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(await h.t.prisma.testResult.count({ where: { runId } })).toBe(0);
    expect((await api('PATCH', `${base}/test-runs/${runId}`, { status: 'ABORTED' })).status).toBe(200);
    const aborted = await api('POST', `${base}/test-runs/${runId}/ctrf`, JEST, json);
    expect(aborted.status).toBe(409);
    expect(await h.t.prisma.testResult.count({ where: { runId } })).toBe(0);
  });
});

// Each upload has its own limit, and a 413 names the setting to raise: a CTRF
// report is held to MAX_CTRF_BYTES (never to MAX_JUNIT_BYTES), whether its
// Content-Length says so up front, it passes the limit while streaming, or only
// once decompressed.
describe(`the CTRF and JUnit size limits are separate (${testProvider()})`, () => {
  const CTRF_LIMIT = 64 * 1024;
  const JUNIT_LIMIT = 32 * 1024;
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  let key: string;
  let runId: string;
  const base = '/api/projects/PAY';
  const json = { 'content-type': 'application/json' };

  /**
   * POSTs `body` in 4 KiB chunks, stopping (without ending it) once `stopAfter` bytes are out, and resolves with
   * the answer. With `stopAfter` 0 only the headers go: a declared Content-Length over the limit is refused
   * before the body is read, and the server may close while a client is still writing (EPIPE, not the 413).
   */
  function sendUntilAnswered(path: string, headers: Record<string, string>, body: string, stopAfter: number) {
    const bytes = Buffer.from(body);
    return new Promise<{ status: number; body: any }>((resolve, reject) => {
      let answered = false;
      const req = request(`${h.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...headers } }, (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(parts).toString('utf8')) }));
        res.on('error', reject);
      });
      req.on('error', (err) => (answered ? undefined : reject(err)));
      req.flushHeaders();
      let sent = 0;
      const next = () => {
        if (req.destroyed || answered || sent >= stopAfter || sent >= bytes.length) return;
        const chunk = bytes.subarray(sent, sent + 4096);
        sent += chunk.length;
        req.write(chunk, () => setImmediate(next));
      };
      next();
    });
  }
  const ctrfOf = (bytes: number) => {
    const tests = Array.from({ length: Math.ceil(bytes / 82) }, (_, i) => ({
      name: `case ${i} ${'x'.repeat(30)}`,
      status: 'passed',
      duration: 1,
    }));
    return JSON.stringify({ reportFormat: 'CTRF', results: { tool: { name: 'x' }, tests } });
  };

  beforeAll(async () => {
    h = await startApi({ MAX_CTRF_BYTES: String(CTRF_LIMIT), MAX_JUNIT_BYTES: String(JUNIT_LIMIT) });
    ({ apiKey: key } = await seedProjectWithApiKey(h.t, 'PAY'));
    api = client(h.url, key);
    const run = await api('POST', `${base}/test-runs`, { name: 'limits', milestone: '2.4', createMilestone: true });
    expect(run.status).toBe(201);
    runId = run.body.id as string;
  });
  afterAll(async () => h.close());

  it('stores a CTRF report over MAX_JUNIT_BYTES but within MAX_CTRF_BYTES', async () => {
    const body = ctrfOf(48 * 1024);
    expect(Buffer.byteLength(body)).toBeGreaterThan(JUNIT_LIMIT);
    expect(Buffer.byteLength(body)).toBeLessThan(CTRF_LIMIT);
    const res = await api('POST', `${base}/test-runs/${runId}/ctrf`, body, json);
    expect(res.status).toBe(200);
    expect(res.body.counts.total).toBe(JSON.parse(body).results.tests.length);
  });

  it('413 naming MAX_CTRF_BYTES for a CTRF report over it, sent whole, streamed or compressed; nothing stored', async () => {
    const before = await h.t.prisma.testResult.count();
    const body = ctrfOf(200 * 1024);
    expect(Buffer.byteLength(body)).toBeGreaterThan(CTRF_LIMIT);
    // Neither sends more than it must, then waits for the answer: the whole body's declared length is refused
    // from the headers; the streamed one stops just past the limit.
    const path = `${base}/test-runs/${runId}/ctrf`;
    const stopAfter = CTRF_LIMIT + 8 * 1024;
    const whole = await sendUntilAnswered(path, { ...json, 'content-length': String(Buffer.byteLength(body)) }, body, 0);
    // No Content-Length: the limit is found while reading.
    const streamed = await sendUntilAnswered(path, { ...json, 'transfer-encoding': 'chunked' }, body, stopAfter);
    const compressed = await fetch(`${h.url}${base}/test-runs/${runId}/ctrf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, ...json, 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    const answers = [whole, streamed, { status: compressed.status, body: await compressed.json() }];
    for (const a of answers) {
      expect(a.status).toBe(413);
      expect(a.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(a.body.error.message).toMatch(/MAX_CTRF_BYTES/);
      expect(a.body.error.message).toContain(String(CTRF_LIMIT));
      expect(a.body.error.message).not.toMatch(/MAX_JUNIT_BYTES/);
    }
    expect(await h.t.prisma.testResult.count()).toBe(before);
  });

  it('still holds a JUnit upload to MAX_JUNIT_BYTES, and says so', async () => {
    const xml = `<testsuite name="s">${'<testcase classname="s" name="a case with a long name"/>'.repeat(1000)}</testsuite>`;
    expect(Buffer.byteLength(xml)).toBeGreaterThan(JUNIT_LIMIT);
    const res = await sendUntilAnswered(
      `${base}/test-runs/${runId}/junit`,
      { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)) },
      xml,
      0,
    );
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/MAX_JUNIT_BYTES/);
    expect(res.body.error.message).toContain(String(JUNIT_LIMIT));
  });
});
