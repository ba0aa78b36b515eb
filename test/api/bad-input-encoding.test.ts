// Bad bytes, characters and numbers are a 400 (or 415) that names the problem,
// never a 500: malformed percent-escapes in the path, NUL characters, numbers
// beyond an integer column, broken or unknown Content-Encodings, invalid UTF-8
// and names too long to index. Each test checks that nothing was stored and
// that nothing reached the error log.
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';

describe('bad bytes, characters and numbers are refused, never a 500', () => {
  let h: ApiHarness;
  let key: string;
  let api: ReturnType<typeof client>;
  let runId: string;
  const snapshot = async () => ({
    milestones: await h.t.prisma.milestone.count(),
    runs: await h.t.prisma.testRun.count(),
    results: await h.t.prisma.testResult.count(),
    cases: await h.t.prisma.testCase.count(),
    defects: await h.t.prisma.defect.count(),
    projects: await h.t.prisma.project.findMany({ select: { gatePolicy: true, name: true }, orderBy: { key: 'asc' } }),
  });
  /** A request with raw bytes and exactly these headers (plus the key unless `anonymous`). */
  const send = async (method: string, path: string, body: Buffer | string | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(`${h.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...headers }, body });
    const text = await res.text();
    let json: any = text;
    try {
      json = JSON.parse(text);
    } catch {
      // kept as text: the assertion shows it
    }
    return { status: res.status, body: json };
  };
  const junitPath = () => `/api/projects/PAY/test-runs/${runId}/junit`;
  const xml = (cases: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="s">\n${cases}\n</testsuite>\n`;

  beforeAll(async () => {
    h = await startApi({ MAX_BODY_BYTES: '65536', MAX_JUNIT_BYTES: '65536' });
    ({ apiKey: key } = await seedProjectWithApiKey(h.t, 'PAY'));
    api = client(h.url, key);
    runId = (await api('POST', '/api/projects/PAY/test-runs', { name: 'r', milestone: 'm1', createMilestone: true })).body.id;
  });
  afterEach(() => {
    expect(h.errorLogs.splice(0)).toEqual([]);
  });
  afterAll(async () => h?.close());

  describe('malformed percent-escapes in the path', () => {
    it.each([
      ['/api/projects/PAY/milestones/%FF', '%FF'],
      ['/api/projects/%E0%A4%A/milestones', '%E0%A4%A'],
      ['/api/projects/PAY/milestones/%E0%A4%A/readiness', '%E0%A4%A'],
      ['/api/projects/PAY/test-runs/%C0%AF', '%C0%AF'],
      ['/jira/webhook/%FF', '%FF'],
      ['/slack/events/%FF', '%FF'],
      ['/nowhere/%FF', '%FF'],
    ])('400 for %s, with or without a key, naming the segment', async (path, segment) => {
      const before = await snapshot();
      for (const headers of [{}, { authorization: `Bearer ${key}` }] as Record<string, string>[]) {
        const res = await fetch(`${h.url}${path}`, { headers });
        const body = (await res.json()) as any;
        expect(res.status).toBe(400);
        expect(body.error.code).toBe('VALIDATION_FAILED');
        expect(body.error.message).toContain(`"${segment}"`);
        expect(body.error.message).toMatch(/percent-escape.*encodeURIComponent/);
      }
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('NUL characters', () => {
    it.each([
      ['POST', '/api/projects/PAY/milestones', { name: 'a\u0000b' }, 'name'],
      ['POST', '/api/projects/PAY/milestones', { name: 'ok', scope: { include: ['x\u0000'] } }, 'scope.include.0'],
      ['POST', '/api/projects/PAY/test-runs', { name: 'r', milestone: 'm\u0000' }, 'milestone'],
      ['POST', '/api/projects/PAY/defects', { title: 't', severity: 'LOW', description: '\u0000' }, 'description'],
      ['PATCH', '/api/projects/PAY', { name: 'P\u0000AY' }, 'name'],
    ])('400 for %s %s naming the field %#', async (method, path, body, field) => {
      const before = await snapshot();
      const res = await api(method, path, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`${field}: must not contain the NUL character (U+0000)`);
      expect(await snapshot()).toEqual(before);
    });

    it('400 in results, query strings and path parameters', async () => {
      const before = await snapshot();
      const results = await api('POST', `/api/projects/PAY/test-runs/${runId}/results`, {
        results: [
          { title: 'fine', status: 'PASSED' },
          { title: 'bad\u0000', status: 'PASSED' },
        ],
      });
      expect(results.status).toBe(400);
      expect(results.body.error.message).toContain('results.1.title: must not contain the NUL character');
      const query = await api('GET', '/api/projects/PAY/defects?milestoneId=a%00b');
      expect(query.status).toBe(400);
      expect(query.body.error.message).toContain('milestoneId: must not contain the NUL character');
      for (const path of [
        '/api/projects/PAY/milestones/a%00b',
        '/api/projects/PAY/milestones/a%00b/readiness',
        '/api/projects/P%00/milestones',
      ]) {
        const res = await api('GET', path);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/Invalid path: (milestoneId|projectId): must not contain the NUL character/);
      }
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      ['a NUL character in a name', `<testcase name="a\u0000b"/>`],
      ['a NUL character reference in a message', `<testcase name="n"><failure message="x&#0;y"/></testcase>`],
      ['a NUL character in text', `<testcase name="n"><failure>trace \u0000 here</failure></testcase>`],
    ])('400 for JUnit with %s, with the line', async (_what, cases) => {
      const before = await snapshot();
      const res = await send('POST', junitPath(), xml(cases), { 'content-type': 'application/xml' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/nothing was stored\. Line 3:/);
      expect(res.body.error.details).toMatchObject({ line: 3 });
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('numbers beyond an integer column', () => {
    it('400 for a durationMs or a gate number over 2147483647, naming the field and the range', async () => {
      const before = await snapshot();
      const duration = await api('POST', `/api/projects/PAY/test-runs/${runId}/results`, {
        results: [{ title: 't', status: 'PASSED', durationMs: 3_000_000_000 }],
      });
      expect(duration.status).toBe(400);
      expect(duration.body.error.message).toContain('results.0.durationMs: must be a whole number from 0 to 2147483647');
      const gate = await api('PATCH', '/api/projects/PAY', { gate: { minExecuted: 2 ** 40 } });
      expect(gate.status).toBe(400);
      expect(gate.body.error.message).toContain('gate.minExecuted: must be a whole number from 0 to 2147483647');
      expect(await snapshot()).toEqual(before);
    });

    it('a JUnit time beyond the column is stored as an unknown duration, the upload accepted', async () => {
      const run = await api('POST', '/api/projects/PAY/test-runs', { name: 'times', milestone: 'm1', createMilestone: true });
      const path = `/api/projects/PAY/test-runs/${run.body.id}/junit`;
      const res = await send('POST', path, xml(`<testcase name="slow" time="3000000"/><testcase name="fast" time="2"/>`), {
        'content-type': 'application/xml',
      });
      expect(res.status).toBe(200);
      const stored = await h.t.prisma.testResult.findMany({
        where: { runId: run.body.id },
        select: { durationMs: true, testCase: { select: { title: true } } },
      });
      expect(Object.fromEntries(stored.map((r) => [r.testCase.title, r.durationMs]))).toEqual({ slow: null, fast: 2000 });
    });
  });

  describe('Content-Encoding', () => {
    it('a gzip JSON body is read; a corrupt one is a 400, an unknown encoding a 415', async () => {
      const ok = await send('POST', '/api/projects/PAY/milestones', gzipSync(JSON.stringify({ name: 'zipped' })), {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      expect(ok.status).toBe(201);
      const before = await snapshot();
      const zipped = gzipSync(JSON.stringify({ name: 'corrupt' }));
      for (const body of [Buffer.from('not gzip at all'), zipped.subarray(0, zipped.length - 6)]) {
        const res = await send('POST', '/api/projects/PAY/milestones', body, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/^The body is not valid gzip/);
      }
      const unknown = await send('POST', '/api/projects/PAY/milestones', '{"name":"x"}', {
        'content-type': 'application/json',
        'content-encoding': 'zstd',
      });
      expect(unknown.status).toBe(415);
      expect(unknown.body.error.message).toMatch(/Content-Encoding "zstd".*gzip/);
      expect(await snapshot()).toEqual(before);
    });

    it('a gzip JUnit upload is decoded and stored; corrupt gzip is a 400, an unknown encoding a 415', async () => {
      const run = await api('POST', '/api/projects/PAY/test-runs', { name: 'gz', milestone: 'm1', createMilestone: true });
      const path = `/api/projects/PAY/test-runs/${run.body.id}/junit`;
      const ok = await send('POST', path, gzipSync(xml('<testcase name="one"/><testcase name="two"/>')), {
        'content-type': 'application/xml',
        'content-encoding': 'gzip',
      });
      expect(ok.status).toBe(200);
      expect(ok.body.counts).toMatchObject({ total: 2 });
      const before = await snapshot();
      const zipped = gzipSync(xml('<testcase name="three"/>'));
      for (const body of [Buffer.from('not gzip at all'), zipped.subarray(0, zipped.length - 6)]) {
        const res = await send('POST', junitPath(), body, { 'content-type': 'application/xml', 'content-encoding': 'gzip' });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/The body is not valid gzip/);
      }
      const unknown = await send('POST', junitPath(), xml('<testcase name="x"/>'), {
        'content-type': 'application/xml',
        'content-encoding': 'zstd',
      });
      expect(unknown.status).toBe(415);
      expect(unknown.body.error.message).toMatch(/Content-Encoding "zstd".*gzip/);
      expect(await snapshot()).toEqual(before);
    });

    it('a gzip JUnit upload is held to MAX_JUNIT_BYTES on the decoded bytes', async () => {
      const before = await snapshot();
      const bomb = gzipSync(xml(`<testcase name="n"><system-out>${'x'.repeat(200_000)}</system-out></testcase>`));
      expect(bomb.length).toBeLessThan(65536);
      const res = await send('POST', junitPath(), bomb, { 'content-type': 'application/xml', 'content-encoding': 'gzip' });
      expect(res.status).toBe(413);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('invalid UTF-8', () => {
    it('400 for a JSON body with a byte that is not UTF-8, giving its offset', async () => {
      const valid = await send('POST', '/api/projects/PAY/milestones', Buffer.from('{"name":"Café 🚀"}'), {
        'content-type': 'application/json',
      });
      expect(valid.status).toBe(201);
      expect(valid.body.name).toBe('Café 🚀');
      const before = await snapshot();
      // "Caf\xE9" as ISO-8859-1 writes it: byte 12 is 0xE9.
      const body = Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
      const res = await send('POST', '/api/projects/PAY/milestones', body, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/not valid UTF-8 at byte 12\b.*send UTF-8/);
      expect(res.body.error.details).toMatchObject({ byteOffset: 12 });
      expect(await snapshot()).toEqual(before);
    });

    it('400 for a JUnit body with a byte that is not UTF-8, giving its offset, also when declared ISO-8859-1', async () => {
      const before = await snapshot();
      const head = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<testsuite name="s">\n<testcase name="Caf';
      const body = Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from('"/>\n</testsuite>\n')]);
      const res = await send('POST', junitPath(), body, { 'content-type': 'application/xml' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        new RegExp(
          `not valid UTF-8 at byte ${head.length} \\(0xE9\\); send the report encoded as UTF-8 \\(the XML declaration says ISO-8859-1`,
        ),
      );
      expect(res.body.error.details).toMatchObject({ byteOffset: head.length });
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('long names', () => {
    it('two JUnit cases that share their first 1,000 characters stay two cases', async () => {
      const run = await api('POST', '/api/projects/PAY/test-runs', { name: 'long', milestone: 'm1', createMilestone: true });
      const prefix = 'p'.repeat(1000);
      const res = await send(
        'POST',
        `/api/projects/PAY/test-runs/${run.body.id}/junit`,
        xml(`<testcase classname="c" name="${prefix}-one"/><testcase classname="c" name="${prefix}-two"><failure/></testcase>`),
        { 'content-type': 'application/xml' },
      );
      expect(res.status).toBe(200);
      const cases = await h.t.prisma.testCase.findMany({
        where: { key: { startsWith: `c::${prefix}` } },
        select: { key: true, title: true },
      });
      expect(cases.map((c) => c.title).sort()).toEqual([`${prefix}-one`, `${prefix}-two`]);
    });

    it('400 for a 10,000-character JUnit name, naming the case and its line; nothing stored', async () => {
      const before = await snapshot();
      const name = `checkout ${'n'.repeat(10_000)}`;
      const res = await send('POST', junitPath(), xml(`<testcase name="short"/>\n<testcase classname="c" name="${name}"/>`), {
        'content-type': 'application/xml',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/nothing was stored\. Line 4: /);
      expect(res.body.error.message).toContain(`"c::${name.slice(0, 77)}…"`);
      expect(res.body.error.message).toMatch(/at most 2000 bytes/);
      expect(await snapshot()).toEqual(before);
    });

    it('400 for a JSON result whose key or title is over 2000 bytes; nothing stored', async () => {
      const before = await snapshot();
      const cases = [
        [{ title: 't'.repeat(2001), status: 'PASSED' }, 'results.0.title'],
        [{ key: 'é'.repeat(1001), title: 't', status: 'PASSED' }, 'results.0.key'],
        [{ suite: 's'.repeat(1000), title: 't'.repeat(1000), status: 'PASSED' }, 'results.0'],
      ] as const;
      for (const [result, field] of cases) {
        const res = await api('POST', `/api/projects/PAY/test-runs/${runId}/results`, { results: [result] });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(`${field}: `);
        expect(res.body.error.message).toMatch(/at most 2000 bytes/);
      }
      expect(await snapshot()).toEqual(before);
    });
  });
});
