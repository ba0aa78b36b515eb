// The current state kept at ingest (CurrentResult) equals the state re-derived
// from the whole history by the query readiness used before (the oracle,
// deriveCurrentState), after every step of random histories made through the
// real use cases: runs across environments (and none, and one named "default"),
// start times out of order and tied, uploads of random subsets of cases,
// re-posts that change results, aborts, completions, and runs moved
// between milestones. A seeded PRNG: a failure names its seed, and
// CURRENT_STATE_SEED=<seed> replays it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMilestone, seedProject, TEST_OPERATOR } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { deriveCurrentState, readCurrentState, type StateRow } from '../../src/db/derive-current-state.js';
import { ingestResults, type ResultStatus } from '../../src/services/ingest-results.js';
import { openTestRun } from '../../src/services/open-test-run.js';
import { updateTestRun } from '../../src/services/update-test-run.js';
import { attachTestRun } from '../../src/services/attach-test-run.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.cleanup());

/** A small deterministic PRNG (LCG), so a failure can be replayed from its seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const sortRows = (rows: StateRow[]) =>
  [...rows].sort((a, b) =>
    a.caseId + a.environment < b.caseId + b.environment ? -1 : a.caseId + a.environment > b.caseId + b.environment ? 1 : 0,
  );

async function expectAgreement(milestoneIds: string[], context: () => string) {
  for (const id of milestoneIds) {
    const [kept, derived] = await Promise.all([readCurrentState(t.db, id), deriveCurrentState(t.db, id)]);
    expect(sortRows(kept), context()).toEqual(sortRows(derived));
  }
}

const ENVIRONMENTS = [undefined, 'staging', 'production', 'default'] as const;
const STATUSES: ResultStatus[] = ['PASSED', 'PASSED', 'FAILED', 'SKIPPED', 'BLOCKED'];
const T0 = Date.parse('2030-01-01T00:00:00Z');

async function randomHistory(seed: number, steps: number) {
  const rnd = prng(seed);
  const key = `P${seed.toString(36).toUpperCase()}`;
  const { project } = await seedProject(t, key, { teamId: `T${key}` });
  const milestones = [(await seedMilestone(t, project.id, `${key} one`)).id, (await seedMilestone(t, project.id, `${key} two`)).id];
  const cases = Array.from({ length: 2 + rnd.int(6) }, (_, i) => `case${i}`);
  const runs: { id: string; status: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED' }[] = [];
  const log: string[] = [];
  const context = () => `seed ${seed} (CURRENT_STATE_SEED=${seed} replays it); steps: ${log.join('; ')}`;

  for (let step = 0; step < steps; step++) {
    const choice = runs.length === 0 ? 0 : rnd.int(10);
    if (choice <= 2) {
      // A new run; its start time may be earlier than, or tied with, others'.
      const startedAt = new Date(T0 + rnd.int(6) * 60_000);
      const environment = rnd.pick(ENVIRONMENTS);
      const milestoneId = rnd.int(8) === 0 ? undefined : rnd.pick(milestones);
      const { run } = await openTestRun(
        { db: t.db, now: () => startedAt },
        { projectId: project.id, name: `run${runs.length}`, milestoneId, environment, source: 'CI', actor: TEST_OPERATOR },
      );
      runs.push({ id: run.id, status: 'IN_PROGRESS' });
      log.push(
        `open run${runs.length - 1} env=${environment ?? '-'} at=${startedAt.toISOString().slice(11, 16)} m=${milestoneId ? milestones.indexOf(milestoneId) : '-'}`,
      );
    } else if (choice <= 6) {
      // Results for a random subset of cases (omitted cases keep what older runs said); a re-post replaces.
      const i = rnd.int(runs.length);
      const run = runs[i]!;
      if (run.status === 'ABORTED') continue;
      const chosen = cases.filter(() => rnd.next() < 0.6);
      const results = chosen.map((k) => ({
        key: k,
        title: k,
        suite: null,
        status: rnd.pick(STATUSES),
        durationMs: null,
        message: null,
        attempts: 1,
        flaky: rnd.int(5) === 0,
        critical: false,
      }));
      await ingestResults(t, { projectId: project.id, runId: run.id, results });
      log.push(`post run${i} ${results.map((r) => `${r.key}=${r.status[0]}${r.flaky ? '~' : ''}`).join(',')}`);
    } else if (choice <= 8) {
      const i = rnd.int(runs.length);
      const status = rnd.pick(['ABORTED', 'ABORTED', 'IN_PROGRESS', 'COMPLETED'] as const);
      // An aborted run stays aborted (domain/run-lifecycle.ts).
      if (runs[i]!.status === 'ABORTED') continue;
      await updateTestRun(t, { projectId: project.id, runId: runs[i]!.id, status, actor: TEST_OPERATOR });
      runs[i]!.status = status;
      log.push(`run${i} -> ${status}`);
    } else {
      const i = rnd.int(runs.length);
      const to = rnd.int(2);
      await attachTestRun(t, { projectId: project.id, runId: runs[i]!.id, milestoneId: milestones[to]! });
      log.push(`attach run${i} to m${to}`);
    }
    await expectAgreement(milestones, context);
  }
  // Not vacuous: the histories do produce state.
  return (await Promise.all(milestones.map((m) => readCurrentState(t.db, m)))).flat().length;
}

describe(`the current state kept at ingest (${testProvider()})`, () => {
  it('equals the state derived from history after every step of random histories', async () => {
    const first = Number(process.env.CURRENT_STATE_SEED ?? Date.now() % 1_000_000);
    const histories = process.env.CURRENT_STATE_SEED ? 1 : Number(process.env.CURRENT_STATE_HISTORIES ?? 15);
    console.log(`current-state property test: seeds ${first}…${first + histories - 1} (CURRENT_STATE_SEED=<seed> replays one)`);
    let rows = 0;
    for (let h = 0; h < histories; h++) rows += await randomHistory(first + h, 14);
    expect(rows).toBeGreaterThan(0);
  }, 300_000);
});
