// The changes since a moment, for a scripted history: which tests newly fail and
// newly pass (with environment and the run that changed them), how many still
// fail, the defects opened and closed, the reasons added and removed, and the
// verdict then, rebuilt from the result history (SPEC §2 "Changes").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getReadiness } from '../../src/services/get-readiness.js';
import { reportDefect } from '../../src/services/report-defect.js';
import { signOff } from '../../src/services/sign-off.js';
import { updateDefect } from '../../src/services/update-defect.js';
import { updateTestRun } from '../../src/services/update-test-run.js';
import { resultRow, seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

const LEAD = { type: 'slack', userId: 'U1', teamId: 'T1' } as const;

/** A moment strictly after every write so far and before every later one (timestamps have millisecond precision). */
async function momentBetween(): Promise<Date> {
  const at = new Date();
  while (Date.now() <= at.getTime()) await new Promise((resolve) => setImmediate(resolve));
  return at;
}

describe(`changes since a moment (${testProvider()})`, () => {
  let t: TestDatabase;
  let projectId: string;
  let milestoneId: string;
  let moment: Date;
  let runC: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    projectId = (await seedProject(t, 'PAY')).project.id;
    milestoneId = (await seedMilestone(t, projectId, '2.4')).id;
    const m = { projectId, milestoneId };
    // Before the moment: staging t0 t1 pass, t2 t3 fail; production t0 passes; a qa run still open; a blocking defect.
    await seedRun(t, {
      ...m,
      name: 'A',
      environment: 'staging',
      results: [resultRow('pay::t0'), resultRow('pay::t1'), resultRow('pay::t2', 'FAILED'), resultRow('pay::t3', 'FAILED')],
    });
    await seedRun(t, { ...m, name: 'B', environment: 'production', results: [resultRow('pay::t0')] });
    const runD = await seedRun(t, { ...m, name: 'D', environment: 'qa', status: 'IN_PROGRESS', results: [resultRow('pay::t0')] });
    const blocker = await reportDefect(t, { ...m, title: 'Refunds fail', severity: 'HIGH' });
    moment = await momentBetween();
    // After: the qa run completes; staging reruns with t0 failing, t2 fixed, t3 still failing and a new t4 failing;
    // the blocker is resolved, a low defect reported, a sign-off given.
    await updateTestRun(t, { projectId, runId: runD.id, status: 'COMPLETED', actor: LEAD });
    runC = (
      await seedRun(t, {
        ...m,
        name: 'C',
        environment: 'staging',
        results: [
          resultRow('pay::t0', 'FAILED'),
          resultRow('pay::t1'),
          resultRow('pay::t2'),
          resultRow('pay::t3', 'FAILED'),
          resultRow('pay::t4', 'FAILED'),
        ],
      })
    ).id;
    await updateDefect(t, { projectId, defectId: blocker.id, patch: { status: 'RESOLVED' }, actor: LEAD });
    await reportDefect(t, { ...m, title: 'Typo in footer', severity: 'LOW' });
    await signOff(t, { milestoneId, actor: LEAD, decision: 'APPROVE' });
  });
  afterAll(async () => t.cleanup());

  it('names the tests newly failing and newly passing with environment and run, and counts those still failing', async () => {
    const { changes } = await getReadiness(t, milestoneId, { since: moment });
    expect(changes!.since).toBe(moment.toISOString());
    expect(changes!.tests).toEqual({
      newlyFailing: {
        total: 2,
        byEnvironment: [{ environment: 'staging', total: 2 }],
        tests: [
          { key: 'pay::t0', title: 't0', environment: 'staging', before: 'PASSED', after: 'FAILED', run: { id: runC, name: 'C' } },
          { key: 'pay::t4', title: 't4', environment: 'staging', before: null, after: 'FAILED', run: { id: runC, name: 'C' } },
        ],
      },
      newlyPassing: {
        total: 1,
        byEnvironment: [{ environment: 'staging', total: 1 }],
        tests: [{ key: 'pay::t2', title: 't2', environment: 'staging', before: 'FAILED', after: 'PASSED', run: { id: runC, name: 'C' } }],
      },
      stillFailing: 1,
    });
  });

  it('lists the defects opened and closed since', async () => {
    const { changes } = await getReadiness(t, milestoneId, { since: moment });
    expect(changes!.defects).toEqual({
      opened: [expect.objectContaining({ title: 'Typo in footer', severity: 'LOW', status: 'OPEN' })],
      closed: [expect.objectContaining({ title: 'Refunds fail', severity: 'HIGH', status: 'RESOLVED' })],
    });
  });

  it('rebuilds the verdict then from history, and says which reasons were added and removed', async () => {
    const now = await getReadiness(t, milestoneId, { since: moment });
    const changes = now.changes!;
    // Then: t0 passed in staging, production and qa, t1 passed, t2 and t3 failed (4 of 6); the blocker open; the qa run in progress.
    expect(changes.verdict).toEqual({ before: 'NO_GO', after: 'NO_GO' });
    expect(changes.reasons.removed.map((r) => r.code)).toEqual(['BLOCKING_DEFECT_OPEN', 'RUNS_IN_PROGRESS']);
    expect(changes.reasons.added).toEqual([]);
    expect(now.metrics).toMatchObject({ passed: 4, failed: 3, executed: 7 });
    // The pass-rate reason fired then and fires now (other numbers): neither added nor removed.
    expect(now.reasons.map((r) => r.code)).toEqual(['PASS_RATE_BELOW_THRESHOLD']);
  });

  it('since before anything happened: every failing test is newly failing, nothing was known then', async () => {
    const { changes } = await getReadiness(t, milestoneId, { since: new Date('2020-01-01T00:00:00Z') });
    expect(changes!.tests.newlyFailing.total).toBe(3);
    expect(changes!.tests.stillFailing).toBe(0);
    expect(changes!.verdict.before).toBe('INSUFFICIENT_EVIDENCE');
    expect(changes!.defects.opened).toHaveLength(2);
  });

  it('since now: nothing changed, the verdict then is the verdict now', async () => {
    const since = await momentBetween();
    const r = await getReadiness(t, milestoneId, { since });
    expect(r.changes!.tests).toMatchObject({
      newlyFailing: { total: 0, byEnvironment: [], tests: [] },
      newlyPassing: { total: 0, byEnvironment: [], tests: [] },
      stillFailing: 3,
    });
    expect(r.changes!.verdict).toEqual({ before: r.verdict, after: r.verdict });
    expect(r.changes!.reasons).toEqual({ added: [], removed: [] });
  });

  it('a moment in the future is refused, saying so', async () => {
    await expect(getReadiness(t, milestoneId, { since: new Date(Date.now() + 3_600_000) })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/is in the future/),
    });
  });
});
