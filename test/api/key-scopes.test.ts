// Who may move the gate: every route of the REST API, called with a key of
// each scope. A key below the route's scope gets 403 naming the scope it
// needs; a key at or above it gets through. A new route cannot be added
// without a scope (the route table requires one) nor without a request here.
// Then the changes a report key may not make although the route is open to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/api/mount-api.js';
import { API_KEY_SCOPES, scopeAllows, type ApiKeyScope } from '../../src/domain/api-key-scopes.js';
import { createApiKey } from '../../src/services/create-api-key.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { resultRows, seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { testProvider } from '../helpers/test-database.js';

interface Fixture {
  milestoneId: string;
  runId: string;
  defectId: string;
  /** A case free to quarantine, and one already quarantined. */
  caseKey: string;
  quarantinedKey: string;
}

interface Call {
  path: string;
  body?: unknown;
  contentType?: string;
}

const JUNIT = '<testsuite name="s"><testcase classname="s" name="a"/></testsuite>';
const CTRF = JSON.stringify({
  reportFormat: 'CTRF',
  results: {
    tool: { name: 'jest' },
    summary: { tests: 1, passed: 1, failed: 0, skipped: 0, pending: 0, other: 0, start: 0, stop: 1 },
    tests: [{ name: 'a', status: 'passed', duration: 1 }],
  },
});

/** A request each route accepts, on a fixture of its own. */
const CALLS: Record<string, (f: Fixture) => Call> = {
  'GET ': () => ({ path: '' }),
  'GET /audit': () => ({ path: '/audit' }),
  'GET /milestones/{milestoneId}/audit': (f) => ({ path: `/milestones/${f.milestoneId}/audit` }),
  'PATCH ': () => ({ path: '', body: { name: 'Payments' } }),
  'POST /link-secret/rotate': () => ({ path: '/link-secret/rotate' }),
  'GET /owners': () => ({ path: '/owners' }),
  'PUT /owners': () => ({ path: '/owners', body: { rules: [{ pattern: 'checkout*', owners: ['U024BE7LH'] }] } }),
  'GET /milestones': () => ({ path: '/milestones' }),
  'POST /milestones': (f) => ({ path: '/milestones', body: { name: `new ${f.milestoneId}` } }),
  'GET /milestones/{milestoneId}': (f) => ({ path: `/milestones/${f.milestoneId}` }),
  'PATCH /milestones/{milestoneId}': (f) => ({ path: `/milestones/${f.milestoneId}`, body: { description: 'x' } }),
  'GET /milestones/{milestoneId}/readiness': (f) => ({ path: `/milestones/${f.milestoneId}/readiness` }),
  'GET /milestones/{milestoneId}/tests': (f) => ({ path: `/milestones/${f.milestoneId}/tests` }),
  'POST /test-runs': (f) => ({ path: '/test-runs', body: { name: 'CI', milestoneId: f.milestoneId } }),
  'GET /test-runs/{runId}': (f) => ({ path: `/test-runs/${f.runId}` }),
  'PATCH /test-runs/{runId}': (f) => ({ path: `/test-runs/${f.runId}`, body: { status: 'COMPLETED' } }),
  'POST /test-runs/{runId}/results': (f) => ({
    path: `/test-runs/${f.runId}/results`,
    body: { results: [{ title: 'a', status: 'PASSED' }] },
  }),
  'POST /test-runs/{runId}/junit': (f) => ({ path: `/test-runs/${f.runId}/junit`, body: JUNIT, contentType: 'application/xml' }),
  'POST /test-runs/{runId}/ctrf': (f) => ({ path: `/test-runs/${f.runId}/ctrf`, body: CTRF, contentType: 'application/json' }),
  'GET /defects': () => ({ path: '/defects' }),
  'POST /defects': (f) => ({ path: '/defects', body: { title: 'Crash', severity: 'HIGH', milestoneId: f.milestoneId } }),
  'GET /defects/{defectId}': (f) => ({ path: `/defects/${f.defectId}` }),
  'PATCH /defects/{defectId}': (f) => ({ path: `/defects/${f.defectId}`, body: { title: 'Crash on pay' } }),
  'GET /quarantine': () => ({ path: '/quarantine' }),
  'POST /quarantine': (f) => ({ path: '/quarantine', body: { caseKey: f.caseKey, reason: 'flaky', until: '2099-01-01' } }),
  'DELETE /quarantine/{quarantineId}': (f) => ({ path: `/quarantine/${encodeURIComponent(f.quarantinedKey)}` }),
};

describe(`API key scopes (${testProvider()})`, () => {
  let h: ApiHarness;
  let projectId = '';
  const keys = {} as Record<ApiKeyScope, string>;
  let n = 0;

  beforeAll(async () => {
    h = await startApi();
    const { workspace, project } = await seedProject(h.t, 'PAY');
    projectId = project.id;
    for (const scope of API_KEY_SCOPES)
      keys[scope] = (await createApiKey(h.t, { workspaceId: workspace.id, projectKey: 'PAY', scope })).key;
  });
  afterAll(async () => h?.close());

  async function fixture(): Promise<Fixture> {
    const m = await seedMilestone(h.t, projectId, `m${++n}`);
    const run = await seedRun(h.t, { projectId, milestoneId: m.id, status: 'IN_PROGRESS' });
    const defect = await h.t.prisma.defect.create({ data: { projectId, milestoneId: m.id, title: 'Crash', severity: 'CRITICAL' } });
    const [free, held] = await Promise.all(
      ['free', 'held'].map((k) => h.t.prisma.testCase.create({ data: { projectId, key: `q::${k}${n}`, title: k } })),
    );
    await h.t.prisma.quarantine.create({
      data: { projectId, caseId: held!.id, reason: 'flaky', until: new Date('2099-01-01T00:00:00Z'), createdBy: 'cli' },
    });
    return { milestoneId: m.id, runId: run.id, defectId: defect.id, caseKey: free!.key, quarantinedKey: held!.key };
  }

  async function call(scope: ApiKeyScope, method: string, c: Call) {
    const api = client(h.url, keys[scope]);
    return api(method.toUpperCase(), `/api/projects/PAY${c.path}`, c.body, c.contentType ? { 'content-type': c.contentType } : {});
  }

  it('every route has a request in this table', () => {
    const routes = API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(routes.filter((r) => !CALLS[r])).toEqual([]);
    expect(Object.keys(CALLS).filter((c) => !routes.includes(c))).toEqual([]);
  });

  const cases = API_ROUTES.flatMap((r) => API_KEY_SCOPES.map((scope) => [`${r.method.toUpperCase()} ${r.path}`, r.scope, scope] as const));
  it.each(cases)('%s (needs %s) with a %s key', async (route, needs, scope) => {
    const [method] = route.split(' ');
    const res = await call(scope, method!, CALLS[route]!(await fixture()));
    if (scopeAllows(scope, needs)) {
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body.error.message).toContain(`This API key has the ${scope} scope;`);
      expect(res.body.error.message).toContain(`needs ${needs === 'admin' ? 'an' : 'a'} ${needs} key`);
      expect(res.body.error.details).toEqual({ scope, needs });
    }
  });
});

describe(`a pipeline's report key cannot move its own gate (${testProvider()})`, () => {
  let h: ApiHarness;
  let report: ReturnType<typeof client>;
  let admin: ReturnType<typeof client>;
  let projectId = '';
  let n = 0;
  const base = '/api/projects/PAY';

  beforeAll(async () => {
    h = await startApi();
    const { workspace, project } = await seedProject(h.t, 'PAY');
    projectId = project.id;
    report = client(h.url, (await createApiKey(h.t, { workspaceId: workspace.id, projectKey: 'PAY' })).key);
    admin = client(h.url, (await createApiKey(h.t, { workspaceId: workspace.id, projectKey: 'PAY', scope: 'admin' })).key);
  });
  afterAll(async () => h?.close());

  /** A milestone at NO_GO: 3 of 4 passed, and an open CRITICAL defect. */
  async function failing() {
    const m = await seedMilestone(h.t, projectId, `r${++n}`);
    await seedRun(h.t, { projectId, milestoneId: m.id, results: resultRows(3, 1) });
    const defect = await h.t.prisma.defect.create({ data: { projectId, milestoneId: m.id, title: 'Crash', severity: 'CRITICAL' } });
    return { m, defect };
  }
  const verdict = async (milestoneId: string) => (await getReadiness(h.t, milestoneId)).verdict;

  it('the default key is a report key: lowering the gate is 403 and the verdict stays NO_GO', async () => {
    const { m } = await failing();
    const res = await report('PATCH', `${base}/milestones/${m.id}`, { gate: { passRateThreshold: 0 } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('needs an admin key');
    expect(res.body.error.message).toContain('shipgate apikey create PAY --scope admin');
    expect(await verdict(m.id)).toBe('NO_GO');
    expect((await report('PATCH', `${base}`, { gate: { passRateThreshold: 0 } })).status).toBe(403);
    expect((await report('PATCH', `${base}/milestones/${m.id}`, { status: 'COMPLETED', overrideReason: 'ship it' })).status).toBe(403);
    expect((await h.t.prisma.milestone.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('ACTIVE');
  });

  it('resolving, reopening or waiving a defect, or lowering its severity, is 403; the admin key may', async () => {
    const { m, defect } = await failing();
    const path = `${base}/defects/${defect.id}`;
    for (const [body, says] of [
      [{ status: 'RESOLVED' }, "changing a defect's status (OPEN → RESOLVED)"],
      [{ waiver: { reason: 'fine', until: '2031-01-01T00:00:00Z' } }, 'waiving a defect'],
      [{ severity: 'LOW' }, "lowering a defect's severity (CRITICAL → LOW)"],
    ] as const) {
      const res = await report('PATCH', path, body);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(`${says} needs an admin key`);
    }
    expect(await h.t.prisma.defect.findUniqueOrThrow({ where: { id: defect.id } })).toMatchObject({
      status: 'OPEN',
      severity: 'CRITICAL',
      waiverReason: null,
    });
    expect(await verdict(m.id)).toBe('NO_GO');
    // What CI may still do to a defect: rename it, or raise a severity.
    expect((await report('PATCH', path, { title: 'Crash on pay' })).status).toBe(200);
    const low = await h.t.prisma.defect.create({ data: { projectId, milestoneId: m.id, title: 'Typo', severity: 'LOW' } });
    expect((await report('PATCH', `${base}/defects/${low.id}`, { severity: 'HIGH' })).status).toBe(200);
    // Reporting a defect is CI's to do.
    expect((await report('POST', `${base}/defects`, { title: 'Another', severity: 'HIGH', milestoneId: m.id })).status).toBe(201);
    const resolved = await admin('PATCH', path, { status: 'RESOLVED' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('RESOLVED');
  });

  it('a new milestone with a gate or a scope needs an admin key; a plain one does not', async () => {
    const gated = await report('POST', `${base}/milestones`, { name: 'lax', gate: { passRateThreshold: 0 } });
    expect(gated.status).toBe(403);
    expect(gated.body.error.message).toContain("setting a milestone's gate needs an admin key");
    expect((await report('POST', `${base}/milestones`, { name: 'scoped', scope: { include: ['x'] } })).status).toBe(403);
    expect(await h.t.prisma.milestone.count({ where: { projectId, name: { in: ['lax', 'scoped'] } } })).toBe(0);
    expect((await report('POST', `${base}/milestones`, { name: 'plain' })).status).toBe(201);
  });

  it('aborting a run that holds results needs an admin key; a run with none (every upload failed) CI may abort', async () => {
    const { m } = await failing();
    const run = await h.t.prisma.testRun.findFirstOrThrow({ where: { milestoneId: m.id } });
    const res = await report('PATCH', `${base}/test-runs/${run.id}`, { status: 'ABORTED' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('aborting a run that holds results (4 would stop counting) needs an admin key');
    expect((await h.t.prisma.testRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('COMPLETED');
    expect(await verdict(m.id)).toBe('NO_GO');
    const empty = await seedRun(h.t, { projectId, milestoneId: m.id, status: 'IN_PROGRESS' });
    expect((await report('PATCH', `${base}/test-runs/${empty.id}`, { status: 'ABORTED' })).status).toBe(200);
  });
});
