// The current state's kept past (StateChange) in the cases random histories
// rarely reach: two changes of a pair in one millisecond, a pair that leaves
// the state and comes back, and an upload dated before the row's last write
// (uploads commit out of order): the changes since a moment stay exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMilestone, seedProject, TEST_OPERATOR } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { ingestResults, type ResultStatus } from '../../src/services/ingest-results.js';
import { openTestRun } from '../../src/services/open-test-run.js';
import { updateTestRun } from '../../src/services/update-test-run.js';
import { loadTestChanges } from '../../src/db/test-changes-query.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.cleanup());

const T0 = Date.parse('2030-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

async function setUp(key: string) {
  const { project } = await seedProject(t, key, { teamId: `T${key}` });
  const milestone = await seedMilestone(t, project.id, 'm');
  const run = async (minutes: number) =>
    (
      await openTestRun(
        { db: t.db, now: () => at(minutes) },
        { projectId: project.id, name: `r${minutes}`, milestoneId: milestone.id, source: 'CI', actor: TEST_OPERATOR },
      )
    ).run.id;
  const post = (runId: string, status: ResultStatus, minutes: number) =>
    ingestResults(
      { db: t.db, now: () => at(minutes) },
      {
        projectId: project.id,
        runId,
        results: [
          { key: 'pay', title: 'pay', suite: null, status, durationMs: null, message: null, attempts: 1, flaky: false, critical: false },
        ],
      },
    );
  const changes = async (minutes: number) =>
    (await loadTestChanges(t.db, milestone.id, at(minutes), { sample: 5 })).transitions.map((x) => [
      x.before?.status ?? null,
      x.after?.status ?? null,
      x.n,
    ]);
  return { project, milestone, run, post, changes };
}

describe(`the current state's kept past (${testProvider()})`, () => {
  it('two changes of a pair in one millisecond: one row, from the first state to the last', async () => {
    const { milestone, run, post, changes } = await setUp('SCA');
    const first = await run(0);
    await post(first, 'PASSED', 1);
    const second = await run(2);
    await post(second, 'FAILED', 3);
    await post(second, 'SKIPPED', 3); // a re-post in the same millisecond
    expect(
      await t.prisma.stateChange.findMany({ where: { milestoneId: milestone.id }, select: { fromStatus: true, toStatus: true } }),
    ).toEqual([{ fromStatus: 'PASSED', toStatus: 'SKIPPED' }]);
    expect(await changes(2)).toEqual([['PASSED', 'SKIPPED', 1]]);
  });

  it('a pair that left the state (its only run aborted) and came back: then and now are both right', async () => {
    const { project, run, post, changes } = await setUp('SCB');
    const first = await run(0);
    await post(first, 'FAILED', 1);
    await updateTestRun({ db: t.db, now: () => at(5) }, { projectId: project.id, runId: first, status: 'ABORTED', actor: TEST_OPERATOR });
    expect(await changes(2)).toEqual([['FAILED', null, 1]]);
    const second = await run(6);
    await post(second, 'PASSED', 7);
    // Since before the abort: failing then, passing now. Between the abort and the new run: nothing then.
    expect(await changes(2)).toEqual([['FAILED', 'PASSED', 1]]);
    expect(await changes(6)).toEqual([[null, 'PASSED', 1]]);
    // Since before it first appeared: nothing then.
    expect(await changes(0)).toEqual([[null, 'PASSED', 1]]);
  });

  it('an upload dated before the row was last written (a slower upload committing later) is logged no earlier than that write', async () => {
    const { milestone, run, post, changes } = await setUp('SCC');
    const older = await run(0);
    const newer = await run(1);
    await post(older, 'PASSED', 10);
    await post(newer, 'FAILED', 4); // prepared at minute 4, committed after the write at minute 10
    const [change] = await t.prisma.stateChange.findMany({ where: { milestoneId: milestone.id } });
    expect(change).toMatchObject({ fromStatus: 'PASSED', toStatus: 'FAILED', changedAt: at(10) });
    // A reader at minute 9 (or 5, before the failure's own date) had seen nothing of the pair.
    expect(await changes(9)).toEqual([[null, 'FAILED', 1]]);
    expect(await changes(5)).toEqual([[null, 'FAILED', 1]]);
    expect(await t.prisma.currentResult.findFirst({ where: { milestoneId: milestone.id } })).toMatchObject({
      status: 'FAILED',
      appearedAt: at(10),
      changedAt: at(10),
    });
  });
});
