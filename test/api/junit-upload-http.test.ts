// JUnit uploads through the real HTTP app: streamed bodies without a length,
// refusals that arrive late in the stream, and run-state checks — each one
// answered with the documented status and nothing stored.
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';

let h: ApiHarness;
let key: string;
let api: ReturnType<typeof client>;
const LIMIT = 64 * 1024;

beforeAll(async () => {
  h = await startApi({ MAX_JUNIT_BYTES: String(LIMIT) });
  ({ apiKey: key } = await seedProjectWithApiKey(h.t, 'PAY'));
  api = client(h.url, key);
});
afterAll(async () => h?.close());

function report(cases: number, tail = '</testsuite></testsuites>'): string {
  const rows = Array.from(
    { length: cases },
    (_, i) => `<testcase classname="api.Spec" name="case ${i}" time="0.002"${i % 7 === 0 ? '><skipped/></testcase>' : '/>'}`,
  );
  return `<?xml version="1.0"?>\n<testsuites><testsuite name="api">\n${rows.join('\n')}\n${tail}`;
}

/**
 * A body sent in chunks with no Content-Length, as `shipgate report` sends
 * files, on its own connection (a refused upload may leave its socket unusable).
 */
function streamed(
  runId: string,
  xml: string | Buffer,
  headers: Record<string, string> = {},
  chunkSize = 4096,
  /** Stop sending (without ending the body) once this many bytes are out, and wait for the answer: the server
   * refuses and closes as soon as it has read past its limit, and a client still writing then gets EPIPE
   * instead of the answer. */
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    let sent = 0;
    const req = request(`${h.url}/api/projects/PAY/test-runs/${runId}/junit`, {
      method: 'POST',
      agent: false,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml', 'transfer-encoding': 'chunked', ...headers },
    });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    const bytes = Buffer.from(xml);
    const chunks = Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) =>
      bytes.subarray(i * chunkSize, (i + 1) * chunkSize),
    );
    const next = () => {
      if (!chunks.length) {
        req.end();
        return;
      }
      // A refusal may close the connection before everything was sent: that is fine.
      if (req.destroyed || answered || sent > stopAfter) return;
      const chunk = chunks.shift()!;
      sent += chunk.length;
      req.write(chunk, () => setImmediate(next));
    };
    next();
  });
}

async function newRun(name: string) {
  const res = await api('POST', '/api/projects/PAY/test-runs', { name, milestone: '2.4', createMilestone: true });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const resultsOf = (runId: string) => h.t.prisma.testResult.count({ where: { runId } });

describe('POST …/test-runs/{runId}/junit', () => {
  it('stores a streamed upload and answers with the run and counts', async () => {
    const runId = await newRun('streamed');
    const res = await streamed(runId, report(700));
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ total: 700, skipped: 100, passed: 600, failed: 0 });
    expect(res.body.run).toMatchObject({ id: runId, results: 700 });
    expect(await resultsOf(runId)).toBe(700);
  });

  it('413 once a body without Content-Length passes MAX_JUNIT_BYTES, nothing stored', async () => {
    const runId = await newRun('too big');
    const xml = report(3000);
    expect(Buffer.byteLength(xml)).toBeGreaterThan(LIMIT + 16 * 1024);
    const res = await streamed(runId, xml, {}, 4096, LIMIT + 8 * 1024);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await resultsOf(runId)).toBe(0);
  });

  it('400 naming the line when the XML breaks near the end, nothing stored', async () => {
    const runId = await newRun('broken');
    const xml = report(800, '</testsuite><oops></testsuites>');
    const res = await streamed(runId, xml);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Line \d+/);
    expect(res.body.error.details.line).toBe(xml.split('\n').length);
    expect(await resultsOf(runId)).toBe(0);
    expect(await h.t.prisma.testCase.count({ where: { key: { startsWith: 'api.Spec::case 799' } } })).toBe(0);
  });

  it('a gzip upload is decoded as it streams, in small pieces too', async () => {
    const runId = await newRun('gzip');
    const res = await streamed(runId, gzipSync(report(700)), { 'content-encoding': 'gzip' }, 97);
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ total: 700, skipped: 100 });
    expect(await resultsOf(runId)).toBe(700);
  });

  it('413 when a gzip upload passes MAX_JUNIT_BYTES once decoded; 400 when it breaks late; nothing stored', async () => {
    const runId = await newRun('gzip refused');
    const big = gzipSync(report(3000));
    expect(big.length).toBeLessThan(LIMIT);
    const tooBig = await streamed(runId, big, { 'content-encoding': 'gzip' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.message).toMatch(/once decompressed/);
    const broken = gzipSync(report(800));
    // The checksum in gzip's trailer: every case decodes, and the last bytes fail.
    broken.writeUInt8(broken.readUInt8(broken.length - 8) ^ 0xff, broken.length - 8);
    const res = await streamed(runId, broken, { 'content-encoding': 'gzip' }, 512);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^The body is not valid gzip \(.+\); nothing was stored/);
    expect(await resultsOf(runId)).toBe(0);
  });

  it('400 for an empty body', async () => {
    const runId = await newRun('empty');
    const res = await api('POST', `/api/projects/PAY/test-runs/${runId}/junit`, '', { 'content-type': 'text/xml' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/empty/);
  });

  it('409 for an aborted run, 404 for an unknown run; a completed run still takes results', async () => {
    const aborted = await newRun('aborted');
    expect((await api('PATCH', `/api/projects/PAY/test-runs/${aborted}`, { status: 'ABORTED' })).status).toBe(200);
    const refused = await api('POST', `/api/projects/PAY/test-runs/${aborted}/junit`, report(3), { 'content-type': 'application/xml' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/aborted/);
    expect(await resultsOf(aborted)).toBe(0);

    const missing = await api('POST', '/api/projects/PAY/test-runs/nope/junit', report(3), { 'content-type': 'application/xml' });
    expect(missing.status).toBe(404);

    const done = await newRun('completed');
    expect((await api('PATCH', `/api/projects/PAY/test-runs/${done}`, { status: 'COMPLETED' })).status).toBe(200);
    const late = await api('POST', `/api/projects/PAY/test-runs/${done}/junit`, report(3), { 'content-type': 'application/xml' });
    expect(late.status).toBe(200);
    expect(await resultsOf(done)).toBe(3);
  });

  it('JSON results: a batch with one invalid row is refused whole', async () => {
    const runId = await newRun('json');
    const results = Array.from({ length: 50 }, (_, i) => ({ title: `t${i}`, suite: 'json', status: 'PASSED' }));
    const bad = await api('POST', `/api/projects/PAY/test-runs/${runId}/results`, {
      results: [...results, { title: 'x', status: 'MAYBE' }],
    });
    expect(bad.status).toBe(400);
    expect(await resultsOf(runId)).toBe(0);
    const ok = await api('POST', `/api/projects/PAY/test-runs/${runId}/results`, { results });
    expect(ok.status).toBe(200);
    expect(ok.body.counts).toMatchObject({ total: 50, passed: 50, casesCreated: 50 });
    const again = await api('POST', `/api/projects/PAY/test-runs/${runId}/results`, { results });
    expect(again.body.counts).toMatchObject({ total: 50, casesCreated: 0, resultsChanged: 0 });
    expect(await resultsOf(runId)).toBe(50);
  });
});
