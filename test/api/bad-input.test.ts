// Every way a request can be wrong gets the documented error and changes nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { fixturePath } from '../helpers/fixtures.js';

const hostile = fixturePath('junit', 'hostile');

describe('the REST API refuses bad requests and changes nothing', () => {
  let h: ApiHarness;
  let pay: Awaited<ReturnType<typeof seedProjectWithApiKey>>;
  let web: Awaited<ReturnType<typeof seedProjectWithApiKey>>;
  let other: Awaited<ReturnType<typeof seedProjectWithApiKey>>;
  let api: ReturnType<typeof client>;
  let runId: string;
  const snapshot = async () => ({
    milestones: await h.t.prisma.milestone.count(),
    runs: await h.t.prisma.testRun.count(),
    results: await h.t.prisma.testResult.count(),
    cases: await h.t.prisma.testCase.count(),
    defects: await h.t.prisma.defect.count(),
  });

  beforeAll(async () => {
    h = await startApi({ MAX_BODY_BYTES: '2048', MAX_JUNIT_BYTES: '4096' });
    pay = await seedProjectWithApiKey(h.t, 'PAY', { teamId: 'T1' });
    web = await seedProjectWithApiKey(h.t, 'WEB', { teamId: 'T1' });
    other = await seedProjectWithApiKey(h.t, 'OPS', { teamId: 'T2' });
    api = client(h.url, pay.apiKey);
    const run = await api('POST', '/api/projects/PAY/test-runs', { name: 'r', milestone: 'm1', createMilestone: true });
    runId = run.body.id;
  });
  afterAll(async () => h.close());

  it('401 without a key, with a malformed header, an unknown key or a revoked key', async () => {
    const before = await snapshot();
    const url = `${h.url}/api/projects/PAY/milestones`;
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer sg_nope' }] as Record<string, string>[]) {
      const res = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"name":"x"}' });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: expect.stringMatching(/Bearer|not valid/),
      });
    }
    await h.t.prisma.apiKey.update({ where: { id: web.apiKeyId }, data: { revokedAt: new Date() } });
    expect((await client(h.url, web.apiKey)('GET', '/api/projects/WEB')).status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("403 on another project of the same workspace, 404 on another workspace's project", async () => {
    const forbidden = await api('GET', '/api/projects/WEB/milestones');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toMatch(/belongs to project PAY/);
    const hidden = await api('GET', '/api/projects/OPS');
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain(other.project.id);
    const byId = await api('GET', `/api/projects/${other.project.id}/milestones`);
    expect(byId.status).toBe(404);
    // The other workspace's key cannot see PAY either.
    expect((await client(h.url, other.apiKey)('GET', '/api/projects/PAY')).status).toBe(404);
  });

  it('400 for malformed JSON, wrong types and unknown fields, naming the problem', async () => {
    const before = await snapshot();
    const malformed = await api('POST', '/api/projects/PAY/milestones', '{"name": ', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/not valid JSON/);
    const types = await api('POST', '/api/projects/PAY/milestones', { name: 42, gate: { passRateThreshold: 'high' } });
    expect(types.status).toBe(400);
    expect(types.body.error.message).toMatch(/name: .*gate\.passRateThreshold/s);
    const unknown = await api('POST', '/api/projects/PAY/milestones', { name: 'ok', colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('unknown field "colour"');
    const badDate = await api('POST', '/api/projects/PAY/milestones', { name: 'ok', dueDate: '2026-02-30' });
    expect(badDate.status).toBe(400);
    const badQuery = await api('GET', '/api/projects/PAY/milestones?status=DONE');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toMatch(/query/);
    expect(await snapshot()).toEqual(before);
  });

  it('413 for a body over the limit, 415 for the wrong content type', async () => {
    const before = await snapshot();
    const huge = await api('POST', `/api/projects/PAY/test-runs/${runId}/results`, {
      results: Array.from({ length: 200 }, (_, i) => ({ title: `t${i}`, status: 'PASSED' })),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const bigXml = `<testsuites><testsuite name="s">${'<testcase name="c"/>'.repeat(400)}</testsuite></testsuites>`;
    const bigJunit = await api('POST', `/api/projects/PAY/test-runs/${runId}/junit`, bigXml, { 'content-type': 'application/xml' });
    expect(bigJunit.status).toBe(413);
    const wrongType = await api('POST', '/api/projects/PAY/milestones', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(wrongType.status).toBe(415);
    const jsonToJunit = await api('POST', `/api/projects/PAY/test-runs/${runId}/junit`, { results: [] });
    expect(jsonToJunit.status).toBe(415);
    expect(jsonToJunit.body.error.message).toMatch(/application\/xml/);
    expect(await snapshot()).toEqual(before);
  });

  it.each(['billion-laughs.xml', 'xxe.xml', 'malformed.xml', 'not-xml.json', 'wrong-root.xml'])(
    '400 for hostile JUnit %s, nothing stored',
    async (name) => {
      const before = await snapshot();
      const res = await api('POST', `/api/projects/PAY/test-runs/${runId}/junit`, readFileSync(join(hostile, name), 'utf8'), {
        'content-type': 'application/xml',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/nothing was stored\. Line \d+:/);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('404 for an unknown milestone suggests the near ones, by id too, and where to list them', async () => {
    await api('POST', '/api/projects/PAY/milestones', { name: 'Release 3.0' });
    const res = await api('GET', '/api/projects/PAY/milestones/release%203.1/readiness');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'PAY has no milestone "release 3.1". Did you mean `PAY/Release 3.0`? List them with GET /api/projects/{projectId}/milestones.',
    );
    const [suggestion] = res.body.error.details.suggestions;
    expect(suggestion).toMatchObject({ projectKey: 'PAY', name: 'Release 3.0' });
    expect((await api('GET', `/api/projects/PAY/milestones/${suggestion.id}`)).body.name).toBe('Release 3.0');
  });

  it('400 for a readiness ?since= that is not an ISO-8601 instant or is in the future, saying what works', async () => {
    const bad = await api('GET', '/api/projects/PAY/milestones/m1/readiness?since=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('must be an ISO-8601 instant such as 2026-12-01T09:00:00Z');
    const future = await api('GET', `/api/projects/PAY/milestones/m1/readiness?since=${new Date(Date.now() + 3_600_000).toISOString()}`);
    expect(future.status).toBe(400);
    expect(future.body.error.message).toMatch(/is in the future: give a moment before now/);
    const ok = await api('GET', '/api/projects/PAY/milestones/m1/readiness?since=2026-01-01T00:00:00Z');
    expect(ok.status).toBe(200);
    expect(ok.body.changes).toMatchObject({ since: '2026-01-01T00:00:00.000Z', verdict: { after: ok.body.verdict } });
  });

  it('404 for unknown runs, milestones and defects; 409 for results to an aborted run', async () => {
    expect((await api('GET', '/api/projects/PAY/test-runs/nope')).status).toBe(404);
    expect((await api('GET', '/api/projects/PAY/milestones/nope/readiness')).status).toBe(404);
    expect((await api('PATCH', '/api/projects/PAY/defects/nope', { status: 'RESOLVED' })).status).toBe(404);
    const run = await api('POST', '/api/projects/PAY/test-runs', {
      name: 'aborted',
      milestone: 'm1',
      createMilestone: true,
      status: 'ABORTED',
    });
    const res = await api('POST', `/api/projects/PAY/test-runs/${run.body.id}/results`, { results: [{ title: 't', status: 'PASSED' }] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/aborted/);
  });
});
