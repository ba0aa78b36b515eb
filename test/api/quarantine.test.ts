// Quarantine over the real HTTP server (SPEC §10): a quarantined non-critical
// failure leaves the pass rate and shows as QUARANTINED_TESTS; a critical case
// is refused; an expired quarantine counts again, as does a case made critical
// later; the tests listing shows it; bad input is a 400 that says what works;
// every change is on the project's audit trail with the key that made it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { resultRow, resultRows, seedMilestone, seedProjectWithApiKey, seedRun } from '../helpers/factories.js';
import { auditEntries } from '../helpers/audit.js';
import { testProvider } from '../helpers/test-database.js';
import { MilestoneTestsPage, QuarantineBody, QuarantineList } from '../../src/api/schemas.js';

const base = '/api/projects/PAY';
const NOW = new Date('2026-11-20T12:00:00Z');

describe(`quarantine over the API (${testProvider()})`, () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  let projectId: string;
  let apiKeyId: string;
  let n = 0;

  beforeAll(async () => {
    h = await startApi();
    h.setNow(NOW);
    const seeded = await seedProjectWithApiKey(h.t, 'PAY');
    api = client(h.url, seeded.apiKey);
    apiKeyId = seeded.apiKeyId;
    projectId = seeded.project.id;
  });
  afterAll(async () => h?.close());

  /** A milestone with 94 passing and 6 failing cases (suite s<n>), the last of them critical: 94/100 is below the 95% gate. */
  async function milestone() {
    const suite = `s${++n}`;
    const m = await seedMilestone(h.t, projectId, `m${n}`);
    const rows = resultRows(94, 6, suite).map((r, i) => (i === 99 ? { ...r, critical: true } : r));
    await seedRun(h.t, { projectId, milestoneId: m.id, startedAt: NOW, results: rows });
    const readiness = async () => (await api('GET', `${base}/milestones/${m.id}/readiness`)).body;
    return { m, suite, readiness, key: (i: number) => `${suite}::t${i}` };
  }

  it('a quarantined non-critical failure leaves failed, executed and the pass rate, and shows as a risk', async () => {
    const { m, readiness, key } = await milestone();
    expect((await readiness()).metrics).toMatchObject({ passed: 94, failed: 6, executed: 100, quarantined: 0 });

    const res = await api('POST', `${base}/quarantine`, { caseKey: key(94), reason: 'flaky since the cache change', until: '2026-12-01' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(QuarantineBody.safeParse(res.body).success).toBe(true);
    expect(res.body).toMatchObject({
      caseKey: key(94),
      critical: false,
      reason: 'flaky since the cache change',
      // The end of that day in the project's zone (UTC here).
      until: '2026-12-01T23:59:59.999Z',
      by: 'api',
      inForce: true,
    });

    const r = await readiness();
    expect(r.metrics).toMatchObject({ passed: 94, failed: 5, executed: 99, quarantined: 1 });
    expect(r.metrics.passRate).toBeCloseTo(94 / 99, 10);
    const reason = r.reasons.find((x: { code: string }) => x.code === 'QUARANTINED_TESTS');
    expect(reason).toEqual({
      code: 'QUARANTINED_TESTS',
      severity: 'risk',
      message: `1 failure of quarantined tests left out of the pass rate: t94 (${key(94)}) on default, quarantined until 2026-12-01: “flaky since the cache change”`,
    });
    expect(r.checks.find((c: { rule: string }) => c.rule === 'quarantinedTests')).toEqual({
      rule: 'quarantinedTests',
      status: 'risk',
      actual: 1,
      threshold: 0,
    });

    // Quarantining the other non-critical failures (96–98 → 95–98) brings the pass rate to 94/95 (98.9%): the
    // critical failure still makes it NO_GO.
    for (const i of [95, 96, 97, 98])
      expect((await api('POST', `${base}/quarantine`, { caseKey: key(i), reason: 'r', until: '2026-12-01' })).status).toBe(201);
    const after = await readiness();
    expect(after.metrics).toMatchObject({ failed: 1, executed: 95, quarantined: 5 });
    expect(after.verdict).toBe('NO_GO');
    expect(after.reasons.map((x: { code: string }) => x.code)).toEqual(['CRITICAL_TEST_FAILED', 'QUARANTINED_TESTS']);

    // The tests listing shows each failure's quarantine.
    const tests = await api('GET', `${base}/milestones/${m.id}/tests?status=FAILED`);
    expect(MilestoneTestsPage.safeParse(tests.body).success).toBe(true);
    const byKey = new Map(tests.body.tests.map((t: { key: string }) => [t.key, t]));
    expect((byKey.get(key(94)) as { quarantine: unknown }).quarantine).toEqual({
      reason: 'flaky since the cache change',
      until: '2026-12-01T23:59:59.999Z',
      by: 'api',
    });
    expect((byKey.get(key(99)) as { quarantine: unknown }).quarantine).toBeNull();
  });

  it('a critical case can never be quarantined: 409 saying why, and nothing stored', async () => {
    const { key, readiness } = await milestone();
    const res = await api('POST', `${base}/quarantine`, { caseKey: key(99), reason: 'please', until: '2026-12-01' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT');
    expect(res.body.error.message).toContain(`${key(99)} is a critical test case, and a critical case can never be quarantined`);
    expect(await h.t.prisma.quarantine.count({ where: { testCase: { key: key(99) } } })).toBe(0);
    expect((await readiness()).metrics.quarantined).toBe(0);
  });

  it('a case made critical after it was quarantined counts again: critical always wins', async () => {
    const { m, key, readiness } = await milestone();
    expect((await api('POST', `${base}/quarantine`, { caseKey: key(94), reason: 'flaky', until: '2026-12-01' })).status).toBe(201);
    expect((await readiness()).metrics.quarantined).toBe(1);
    // The next run reports it as critical (a case's flag follows its latest results).
    await seedRun(h.t, {
      projectId,
      milestoneId: m.id,
      startedAt: new Date(NOW.getTime() + 60_000),
      results: [resultRow(key(94), 'FAILED', { critical: true })],
    });
    const r = await readiness();
    expect(r.metrics).toMatchObject({ failed: 6, quarantined: 0 });
    expect(r.reasons.map((x: { code: string }) => x.code)).not.toContain('QUARANTINED_TESTS');
    const list = (await api('GET', `${base}/quarantine`)).body;
    expect(list.quarantines.find((q: { caseKey: string }) => q.caseKey === key(94))).toMatchObject({ critical: true, inForce: false });
  });

  it('an expired quarantine counts again, and can be given anew', async () => {
    const { key, readiness } = await milestone();
    const until = new Date(NOW.getTime() + 3_600_000).toISOString();
    expect((await api('POST', `${base}/quarantine`, { caseKey: key(95), reason: 'one hour', until })).status).toBe(201);
    expect((await readiness()).metrics.quarantined).toBe(1);
    try {
      h.setNow(new Date(NOW.getTime() + 3_600_000)); // the instant it ends: no longer in force
      const r = await readiness();
      expect(r.metrics).toMatchObject({ failed: 6, executed: 100, quarantined: 0 });
      expect(r.reasons.map((x: { code: string }) => x.code)).not.toContain('QUARANTINED_TESTS');
      const listed = (await api('GET', `${base}/quarantine`)).body.quarantines.find((q: { caseKey: string }) => q.caseKey === key(95));
      expect(listed).toMatchObject({ inForce: false, reason: 'one hour' });
      // Expired: quarantining again replaces it.
      const again = await api('POST', `${base}/quarantine`, { caseKey: key(95), reason: 'another day', until: '2026-12-05' });
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(again.body.id).toBe(listed.id);
      expect((await readiness()).metrics.quarantined).toBe(1);
    } finally {
      h.setNow(NOW);
    }
  });

  it('a case already in quarantine: 409 saying how to change it; DELETE by key ends it, and its failures count again', async () => {
    const { key, readiness } = await milestone();
    const first = await api('POST', `${base}/quarantine`, { caseKey: key(96), reason: 'flaky', until: '2026-12-01' });
    const again = await api('POST', `${base}/quarantine`, { caseKey: key(96), reason: 'longer', until: '2026-12-24' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      `${key(96)} is already quarantined until 2026-12-01 (by api: “flaky”). To change it, remove that quarantine first, then quarantine it again.`,
    );
    const removed = await api('DELETE', `${base}/quarantine/${encodeURIComponent(key(96))}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: first.body.id, caseKey: key(96) });
    expect((await readiness()).metrics.quarantined).toBe(0);
    expect((await api('DELETE', `${base}/quarantine/${first.body.id}`)).status).toBe(404);

    // By id too.
    const third = await api('POST', `${base}/quarantine`, { caseKey: key(96), reason: 'again', until: '2026-12-01' });
    expect((await api('DELETE', `${base}/quarantine/${third.body.id}`)).status).toBe(200);
  });

  it('every change is on the project trail with the key that made it', async () => {
    const { key } = await milestone();
    await api('POST', `${base}/quarantine`, { caseKey: key(97), reason: 'flaky', until: '2026-12-01' });
    await api('DELETE', `${base}/quarantine/${encodeURIComponent(key(97))}`);
    const entries = (await auditEntries(h.t.prisma, { projectId })).filter(
      (e) => e.kind.startsWith('quarantine.') && (e.after.case === key(97) || e.before.case === key(97)),
    );
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'quarantine.added',
        actorType: 'api-key',
        actorId: apiKeyId,
        milestoneId: null,
        before: {},
        after: { case: key(97), reason: 'flaky', until: '2026-12-01T23:59:59.999Z', by: 'api' },
      }),
      expect.objectContaining({
        kind: 'quarantine.removed',
        actorType: 'api-key',
        actorId: apiKeyId,
        before: { case: key(97), reason: 'flaky', until: '2026-12-01T23:59:59.999Z', by: 'api' },
        after: {},
      }),
    ]);
  });

  it('bad input: 400 saying what was wrong and what works; unknown case 404; nothing stored', async () => {
    const { key } = await milestone();
    const before = await h.t.prisma.quarantine.count();
    const cases: [unknown, number, RegExp][] = [
      [{ caseKey: key(98), until: '2026-12-01' }, 400, /reason/],
      [{ caseKey: key(98), reason: '   ', until: '2026-12-01' }, 400, /reason: must not be empty/],
      [{ caseKey: key(98), reason: 'r' }, 400, /until/],
      [{ caseKey: key(98), reason: 'r', until: 'next week' }, 400, /until: "next week" is not a date I can read: use YYYY-MM-DD/],
      [{ caseKey: key(98), reason: 'r', until: '2026-02-30' }, 400, /not a calendar date/],
      [{ caseKey: key(98), reason: 'r', until: '2026-11-01' }, 400, /until \(2026-11-01\) is not in the future/],
      [{ caseKey: key(98), reason: 'r', until: '2026-12-01T10:00' }, 400, /no time-zone offset/],
      [{ caseKey: key(98), reason: 'r', until: '2026-12-01', extra: 1 }, 400, /extra/],
      [{ caseKey: 'no::such', reason: 'r', until: '2026-12-01' }, 404, /Project PAY has no test case "no::such"/],
    ];
    for (const [body, status, message] of cases) {
      const res = await api('POST', `${base}/quarantine`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.message).toMatch(message);
    }
    expect(await h.t.prisma.quarantine.count()).toBe(before);
    const gone = await api('DELETE', `${base}/quarantine/nothing-here`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toContain('Project PAY has no quarantine "nothing-here"');
  });

  it('GET lists the quarantines soonest to end first, in the documented shape', async () => {
    const res = await api('GET', `${base}/quarantine`);
    expect(res.status).toBe(200);
    expect(QuarantineList.safeParse(res.body).success).toBe(true);
    const ends = res.body.quarantines.map((q: { until: string }) => q.until);
    expect(ends).toEqual([...ends].sort());
  });
});
