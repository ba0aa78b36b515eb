// The CI path through the real HTTP app and a real database: milestone, run,
// results, JUnit, readiness, lifecycle, defects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { testProvider } from '../helpers/test-database.js';
import { fixturePath } from '../helpers/fixtures.js';
import { formatCheck } from '../../src/cli/format-readiness.js';
import { signOff } from '../../src/services/sign-off.js';

const fixtures = fixturePath('junit');

describe(`the CI pipeline over the REST API (${testProvider()})`, () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  const base = '/api/projects/PAY';

  beforeAll(async () => {
    h = await startApi();
    const { apiKey } = await seedProjectWithApiKey(h.t, 'PAY');
    api = client(h.url, apiKey);
  });
  afterAll(async () => h.close());

  it('creates a milestone with a Unicode name and reads it back by name', async () => {
    const created = await api('POST', `${base}/milestones`, {
      name: 'Release 2.4 — 🚀 Café',
      dueDate: '2030-01-15',
      gate: { requiredEnvironments: ['staging'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Release 2.4 — 🚀 Café',
      status: 'ACTIVE',
      projectKey: 'PAY',
      dueDate: '2030-01-15T23:59:59.999Z',
    });
    const read = await api('GET', `${base}/milestones/${encodeURIComponent('release 2.4 — 🚀 café')}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(created.body.id);
    const dup = await api('POST', `${base}/milestones`, { name: 'RELEASE 2.4 — 🚀 CAFÉ' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
  });

  it('an empty milestone is INSUFFICIENT_EVIDENCE, not GO', async () => {
    const r = await api('GET', `${base}/milestones/${encodeURIComponent('Release 2.4 — 🚀 Café')}/readiness`);
    expect(r.status).toBe(200);
    expect(r.body.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(r.body.reasons.map((x: { code: string }) => x.code)).toEqual(
      expect.arrayContaining(['NOT_ENOUGH_EXECUTED', 'ENVIRONMENT_NOT_TESTED']),
    );
  });

  it('opens a run idempotently by externalId (201, then 200 with the same run)', async () => {
    const body = {
      name: 'build 77',
      milestone: '2.5',
      createMilestone: true,
      environment: 'staging',
      externalId: 'gh-77',
      url: 'https://ci.example.com/77',
    };
    const first = await api('POST', `${base}/test-runs`, body);
    const second = await api('POST', `${base}/test-runs`, body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(first.body).toMatchObject({ milestone: '2.5', environment: 'staging', status: 'IN_PROGRESS', source: 'CI' });
    const milestones = await api('GET', `${base}/milestones?status=ACTIVE`);
    expect(milestones.body.milestones.map((m: { name: string }) => m.name)).toContain('2.5');
  });

  it('uploads JUnit, completes the run and reads the verdict', async () => {
    const run = await api('POST', `${base}/test-runs`, { name: 'pytest', milestone: '2.6', createMilestone: true, environment: 'staging' });
    const upload = await api('POST', `${base}/test-runs/${run.body.id}/junit`, readFileSync(join(fixtures, 'pytest.xml'), 'utf8'), {
      'content-type': 'application/xml',
    });
    expect(upload.status).toBe(200);
    expect(upload.body.counts).toMatchObject({ total: 6, passed: 3, failed: 2, skipped: 1, critical: 1 });
    const again = await api('POST', `${base}/test-runs/${run.body.id}/junit`, readFileSync(join(fixtures, 'pytest.xml'), 'utf8'), {
      'content-type': 'text/xml',
    });
    expect(again.body.counts.resultsChanged).toBe(0);
    expect(again.body.run.results).toBe(6);
    const done = await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'COMPLETED' });
    expect(done.body.status).toBe('COMPLETED');
    const r = await api('GET', `${base}/milestones/2.6/readiness`);
    expect(r.body.verdict).toBe('NO_GO');
    expect(r.body.metrics).toMatchObject({ passed: 3, failed: 2, executed: 5, skipped: 1, passRate: 0.6 });
    expect(r.body.reasons[0]).toMatchObject({
      code: 'PASS_RATE_BELOW_THRESHOLD',
      severity: 'blocker',
      message: 'Pass rate 60% (3/5) is below the 95% gate: 2 failed',
    });
  });

  it('a newer run supersedes an older one per environment; aborted runs are ignored', async () => {
    const results = (status: string) => ({
      results: [
        { key: 'checkout::pay', title: 'pay', status },
        { key: 'checkout::cart', title: 'cart', status: 'PASSED' },
      ],
    });
    const old = await api('POST', `${base}/test-runs`, { name: 'old', milestone: '2.7', createMilestone: true, environment: 'staging' });
    await api('POST', `${base}/test-runs/${old.body.id}/results`, results('FAILED'));
    const prod = await api('POST', `${base}/test-runs`, {
      name: 'prod',
      milestone: '2.7',
      createMilestone: true,
      environment: 'production',
    });
    await api('POST', `${base}/test-runs/${prod.body.id}/results`, results('FAILED'));
    const fresh = await api('POST', `${base}/test-runs`, { name: 'new', milestone: '2.7', createMilestone: true, environment: 'staging' });
    await api('POST', `${base}/test-runs/${fresh.body.id}/results`, results('PASSED'));
    let r = await api('GET', `${base}/milestones/2.7/readiness`);
    // staging: the new run's 2 passes; production: 1 failure + 1 pass.
    expect(r.body.metrics).toMatchObject({ passed: 3, failed: 1, executed: 4 });
    await api('PATCH', `${base}/test-runs/${prod.body.id}`, { status: 'ABORTED' });
    r = await api('GET', `${base}/milestones/2.7/readiness`);
    expect(r.body.metrics).toMatchObject({ passed: 2, failed: 0, executed: 2 });
    for (const id of [old.body.id, fresh.body.id]) await api('PATCH', `${base}/test-runs/${id}`, { status: 'COMPLETED' });
    r = await api('GET', `${base}/milestones/2.7/readiness`);
    expect(r.body.verdict).toBe('GO');
    expect(r.body.metrics.environments).toEqual([{ name: 'staging', runs: 2, executed: 2, passRate: 1 }]);
  });

  it('a rejected sign-off names the person by id: in the JSON, and so in the CLI', async () => {
    await api('POST', `${base}/milestones`, { name: '2.10' });
    const run = await api('POST', `${base}/test-runs`, { name: 'ok', milestone: '2.10', createMilestone: true });
    await api('POST', `${base}/test-runs/${run.body.id}/results`, { results: [{ title: 'a', suite: 's', status: 'PASSED' }] });
    await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'COMPLETED' });
    const m = await api('GET', `${base}/milestones/2.10`);
    await signOff(h.deps, {
      milestoneId: m.body.id,
      actor: { type: 'slack', userId: 'U0REJECT', teamId: null },
      decision: 'REJECT',
      comment: 'Perf <regression>',
    });
    const r = await api('GET', `${base}/milestones/2.10/readiness`);
    expect(r.body.verdict).toBe('NO_GO');
    expect(r.body.reasons).toEqual([
      {
        code: 'SIGNOFF_REJECTED',
        severity: 'blocker',
        message: 'Sign-off rejected by U0REJECT (“Perf <regression>”)',
        userIds: ['U0REJECT'],
      },
    ]);
    expect(formatCheck(r.body, false)).toContain('[blocker] Sign-off rejected by U0REJECT (“Perf <regression>”)');
  });

  it('a critical failure is NO_GO; completing needs an override, which is recorded', async () => {
    const run = await api('POST', `${base}/test-runs`, { name: 'crit', milestone: '2.8', createMilestone: true });
    await api('POST', `${base}/test-runs/${run.body.id}/results`, {
      results: [
        ...Array.from({ length: 30 }, (_, i) => ({ title: `t${i}`, suite: 's', status: 'PASSED' })),
        { title: 'login', suite: 'auth', status: 'FAILED', critical: true },
      ],
    });
    await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'COMPLETED' });
    const r = await api('GET', `${base}/milestones/2.8/readiness`);
    expect(r.body.verdict).toBe('NO_GO');
    expect(r.body.reasons.map((x: { code: string }) => x.code)).toEqual(['CRITICAL_TEST_FAILED']);
    expect(r.body.reasons[0].message).toContain('login (auth::login) on default');
    const refused = await api('PATCH', `${base}/milestones/2.8`, { status: 'COMPLETED' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/NO_GO/);
    const forced = await api('PATCH', `${base}/milestones/2.8`, { status: 'COMPLETED', overrideReason: 'Login fix ships as a hotfix' });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ status: 'COMPLETED', completionOverrideReason: 'Login fix ships as a hotfix' });
    const reopened = await api('PATCH', `${base}/milestones/2.8`, { status: 'ACTIVE' });
    expect(reopened.body).toMatchObject({ status: 'ACTIVE', completionOverrideReason: null });
  });

  it('an open blocking defect with nothing run is NO_GO; a waiver turns it into a risk until it expires', async () => {
    await api('POST', `${base}/milestones`, { name: '2.9' });
    const defect = await api('POST', `${base}/defects`, {
      title: 'Checkout fails on Safari',
      severity: 'CRITICAL',
      milestone: '2.9',
    });
    expect(defect.status).toBe(201);
    let r = await api('GET', `${base}/milestones/2.9/readiness`);
    expect(r.body.verdict).toBe('NO_GO');
    expect(r.body.reasons.map((x: { code: string }) => x.code)).toEqual(['BLOCKING_DEFECT_OPEN', 'NOT_ENOUGH_EXECUTED']);
    const until = new Date(Date.now() + 3600_000).toISOString();
    const waived = await api('PATCH', `${base}/defects/${defect.body.id}`, { waiver: { reason: 'Safari share is 0.1%', until } });
    expect(waived.body).toMatchObject({ status: 'WAIVED', waiver: { reason: 'Safari share is 0.1%', until } });
    r = await api('GET', `${base}/milestones/2.9/readiness`);
    expect(r.body.reasons.map((x: { code: string }) => x.code)).toEqual(['NOT_ENOUGH_EXECUTED', 'DEFECTS_WAIVED']);
    h.setNow(new Date(Date.now() + 2 * 3600_000));
    r = await api('GET', `${base}/milestones/2.9/readiness`);
    expect(r.body.verdict).toBe('NO_GO');
    h.setNow(new Date());
    const listed = await api('GET', `${base}/defects?milestoneId=2.9&status=WAIVED`);
    expect(listed.body.defects).toHaveLength(1);
  });

  it('scope coverage names the untested cases', async () => {
    await api('POST', `${base}/milestones`, {
      name: '3.0',
      scope: { include: ['checkout::*', 'auth::login'] },
      gate: { passRateThreshold: 0.5 },
    });
    const run = await api('POST', `${base}/test-runs`, { name: 'partial', milestone: '3.0', createMilestone: true });
    await api('POST', `${base}/test-runs/${run.body.id}/results`, { results: [{ key: 'checkout::pay', title: 'pay', status: 'PASSED' }] });
    await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'COMPLETED' });
    const r = await api('GET', `${base}/milestones/3.0/readiness`);
    expect(r.body.verdict).toBe('INSUFFICIENT_EVIDENCE');
    // checkout::pay, checkout::cart (seen in 2.7) and auth::login (seen in 2.8) are in scope.
    expect(r.body.metrics).toMatchObject({ inScope: 3, covered: 1, coverage: 1 / 3 });
    expect(r.body.metrics.untested).toEqual(['auth::login', 'checkout::cart']);
    expect(r.body.reasons.find((x: { code: string }) => x.code === 'UNTESTED_SCOPE').message).toContain('auth::login');
  });

  it('a batch with one invalid result stores nothing', async () => {
    const run = await api('POST', `${base}/test-runs`, { name: 'bad batch', milestone: '3.1', createMilestone: true });
    const bad = await api('POST', `${base}/test-runs/${run.body.id}/results`, {
      results: [
        { title: 'ok', status: 'PASSED' },
        { title: 'bad', status: 'GREEN' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/results\.1\.status/);
    const read = await api('GET', `${base}/test-runs/${run.body.id}`);
    expect(read.body.results).toBe(0);
  });

  it('a JUnit file malformed near its end stores nothing', async () => {
    const run = await api('POST', `${base}/test-runs`, { name: 'truncated', milestone: '3.1', createMilestone: true });
    const xml = readFileSync(join(fixtures, 'vitest.xml'), 'utf8').replace(/<\/testsuites>\s*$/, '<testcase name="x"></testsuites>');
    const res = await api('POST', `${base}/test-runs/${run.body.id}/junit`, xml, { 'content-type': 'application/xml' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/nothing was stored.*Line \d+/);
    expect((await api('GET', `${base}/test-runs/${run.body.id}`)).body.results).toBe(0);
  });

  it('reads and updates the project settings, gate defaults included', async () => {
    const patched = await api('PATCH', base, {
      name: 'Payments',
      timeZone: 'Europe/Berlin',
      gate: { passRateThreshold: 0.9 },
      jira: { projectKey: 'PAYJ', issueType: 'Bug', priorities: { CRITICAL: 'Blocker' }, labels: ['shipgate'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      key: 'PAY',
      name: 'Payments',
      timeZone: 'Europe/Berlin',
      policy: { passRateThreshold: 0.9 },
      jira: { projectKey: 'PAYJ', issueType: 'Bug', priorities: { CRITICAL: 'Blocker' }, labels: ['shipgate'] },
    });
    const bad = await api('PATCH', base, { timeZone: 'Mars/Base' });
    expect(bad.status).toBe(400);
    expect((await api('GET', base)).body.timeZone).toBe('Europe/Berlin');
    // The project default now applies to milestones without their own threshold.
    const m = await api('GET', `${base}/milestones/2.6`);
    expect(m.body.policy.passRateThreshold).toBe(0.9);
  });

  it('serves an OpenAPI 3.1 document listing every route', async () => {
    const res = await fetch(`${h.url}/api/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const { API_ROUTES } = await import('../../src/api/mount-api.js');
    for (const r of API_ROUTES) expect(doc.paths[`/api/projects/{projectId}${r.path}`]?.[r.method], `${r.method} ${r.path}`).toBeDefined();
    expect(Object.keys(doc.paths)).toContain('/api/projects/{projectId}/test-runs/{runId}/junit');
  });
});
