// Two writers at once on PostgreSQL (state-locks.ts): an upload is held open
// inside its transaction after writing, while a second request that would
// otherwise compute from a state missing the first one's rows runs beside it.
// The second must wait for the first (seen as a backend waiting on a lock) and
// the kept tables must end as history and scope derive them. Without the locks
// the second request finishes first on a stale view and the check fails.
// SQLite has one writer, so there is nothing to interleave there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { seedMilestone, seedProject, resultRow, TEST_OPERATOR } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { signal, waitUntil, within } from '../helpers/wait.js';
import { storeResults, ingestResults, type ResultRow } from '../../src/services/ingest-results.js';
import { openTestRun } from '../../src/services/open-test-run.js';
import { updateMilestone } from '../../src/services/update-milestone.js';
import { deriveCurrentState } from '../../src/db/derive-current-state.js';
import { compareScopes, deriveScopeCases, readScopeCases } from '../../src/services/check-current-state.js';

const pgOnly = testProvider() === 'postgresql';
let t: TestDatabase;
let watcher: pg.Client;

beforeAll(async () => {
  if (!pgOnly) return;
  t = await createTestDatabase();
  watcher = new pg.Client({ connectionString: t.url });
  await watcher.connect();
});
afterAll(async () => {
  if (!pgOnly) return;
  await watcher.end();
  await t.cleanup();
});

async function someoneWaitsOnALock(): Promise<boolean> {
  const { rows } = await watcher.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]!.n > 0;
}

/** An upload whose transaction stays open after writing `rows`, until `release` is called. */
function heldUpload(projectId: string, runId: string, rows: ResultRow[]) {
  const written = signal();
  const gate = signal();
  async function* batches() {
    yield rows;
    written.resolve();
    await gate.promise;
  }
  const done = storeResults(t, { projectId, runId, now: new Date(), batches: batches() });
  return { written: written.promise, release: () => gate.resolve(), done };
}

/** Waits until `second` waits on a lock or has finished, whichever comes first. */
async function untilBlockedOrDone(second: Promise<unknown>) {
  let finished = false;
  void second.then(
    () => (finished = true),
    () => (finished = true),
  );
  await waitUntil(async () => finished || (await someoneWaitsOnALock()), 'the second request waiting on a lock or finishing');
  return finished;
}

async function expectScopeAgrees(milestoneId: string) {
  const derived = await deriveScopeCases(t, milestoneId, await deriveCurrentState(t.db, milestoneId));
  expect(compareScopes(await readScopeCases(t, milestoneId), derived)).toEqual({
    expected: derived.length,
    missing: 0,
    extra: 0,
    changed: 0,
  });
  return derived;
}

describe.runIf(pgOnly)('row locks between writers of the kept state (postgresql)', () => {
  it('two uploads into a scoped milestone take turns, so coverage sees both', async () => {
    const { project } = await seedProject(t, 'LOCKA', { teamId: 'TLOCKA' });
    const m = await seedMilestone(t, project.id, 'scoped', { scope: ['x::*'] });
    const open = async (environment: string, minute: number) =>
      (
        await openTestRun(
          { db: t.db, now: () => new Date(Date.UTC(2030, 0, 1, 0, minute)) },
          { projectId: project.id, name: `${environment}${minute}`, milestoneId: m.id, environment, source: 'CI', actor: TEST_OPERATOR },
        )
      ).run.id;
    // x::one passed in both environments: covered.
    for (const env of ['staging', 'production']) {
      await ingestResults(t, { projectId: project.id, runId: await open(env, 1), results: [resultRow('x::one', 'PASSED')] });
    }
    expect((await readScopeCases(t, m.id)).map((c) => c.covered)).toEqual([true]);

    // Newer runs skip it in both environments at once: no longer covered.
    const [staging, production] = [await open('staging', 2), await open('production', 2)];
    const first = heldUpload(project.id, staging, [resultRow('x::one', 'SKIPPED')]);
    await within(first.written, 10_000, 'the first upload writing its rows');
    const second = ingestResults(t, { projectId: project.id, runId: production, results: [resultRow('x::one', 'SKIPPED')] });
    const finishedFirst = await untilBlockedOrDone(second);
    first.release();
    await Promise.all([first.done, second]);
    expect(await expectScopeAgrees(m.id)).toEqual([expect.objectContaining({ key: 'x::one', covered: false })]);
    expect(finishedFirst, 'the second upload finished while the first was still open').toBe(false);
  });

  it('a scope change waits for an upload creating cases in the project, so the new case is in scope', async () => {
    const { project } = await seedProject(t, 'LOCKB', { teamId: 'TLOCKB' });
    const target = await seedMilestone(t, project.id, 'uploads');
    const scoped = await seedMilestone(t, project.id, 'scoped later');
    const { run } = await openTestRun(t, { projectId: project.id, name: 'r', milestoneId: target.id, source: 'CI', actor: TEST_OPERATOR });
    const upload = heldUpload(project.id, run.id, [resultRow('x::new', 'PASSED')]);
    await within(upload.written, 10_000, 'the upload writing its rows');
    const change = updateMilestone(t, { milestoneId: scoped.id, patch: { scope: { include: ['x::*'] } }, actor: TEST_OPERATOR });
    const finishedFirst = await untilBlockedOrDone(change);
    upload.release();
    await Promise.all([upload.done, change]);
    expect(await expectScopeAgrees(scoped.id)).toEqual([expect.objectContaining({ key: 'x::new', covered: false })]);
    expect(finishedFirst, 'the scope change finished while the upload was still open').toBe(false);
  });
});

if (!pgOnly) {
  it.skip('row locks between writers (PostgreSQL only: SQLite has one writer; set TEST_DATABASE_URL)', () => {});
}
