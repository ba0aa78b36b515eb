// The current state kept at ingest (CurrentResult) equals the state re-derived
// from the whole history by the query readiness used before (the oracle,
// deriveCurrentState), and the scope's kept cases (ScopeCase) equal the scope
// matched afresh by domain/scope.ts with coverage from that state, after every
// step of random histories made through the real use cases: runs across
// environments (and none, and one named "default"), start times out of order
// and tied, uploads of random subsets of cases (new ones among them, some
// tagged critical), re-posts that change results, aborts, completions, runs
// moved between milestones, and scopes set, changed and removed (globs over
// keys and suites, exact keys, characters SQL treats specially). After every
// step the readiness facts that come from those tables (counts, critical
// failures, scope coverage and samples) are checked against the same oracle,
// and the changes since earlier steps (read from the state's kept past,
// StateChange) against the difference between the state kept then and now,
// and each pair's kept flakiness window (CurrentResult.recent) against the one
// cut from history.
// A seeded PRNG: a failure names its seed, and CURRENT_STATE_SEED=<seed> replays it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMilestone, seedProject, TEST_OPERATOR } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { deriveCurrentState, readCurrentState, type StateRow } from '../../src/db/derive-current-state.js';
import { ingestResults, type ResultStatus } from '../../src/services/ingest-results.js';
import { openTestRun } from '../../src/services/open-test-run.js';
import { updateTestRun } from '../../src/services/update-test-run.js';
import { attachTestRun } from '../../src/services/attach-test-run.js';
import { updateMilestone } from '../../src/services/update-milestone.js';
import { compareScopes, deriveScopeCases, readScopeCases } from '../../src/services/check-current-state.js';
import { loadReadinessFacts } from '../../src/db/readiness-facts.js';
import { byteOrder } from '../../src/db/current-state-query.js';
import { compileScope } from '../../src/domain/scope.js';
import { loadFlakiness } from '../../src/db/flaky-cases-query.js';
import { loadTestChanges } from '../../src/db/test-changes-query.js';
import { DEFAULT_FLAKINESS } from '../../src/domain/flaky-score.js';

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

/** The facts readiness takes from the kept tables, computed from the derived state, the cases and the scope. */
async function expectedFacts(milestoneId: string, derived: StateRow[]) {
  const milestone = await t.prisma.milestone.findUniqueOrThrow({ where: { id: milestoneId } });
  const cases = await t.prisma.testCase.findMany({ where: { projectId: milestone.projectId } });
  const byId = new Map(cases.map((c) => [c.id, c]));
  const count = (s: StateRow['status']) => derived.filter((r) => r.status === s).length;
  const criticalFailed = derived
    .filter((r) => r.status === 'FAILED' && byId.get(r.caseId)!.critical)
    .map((r) => ({ key: byId.get(r.caseId)!.key, title: byId.get(r.caseId)!.title, environment: r.environment }))
    .sort((a, b) => byteOrder(a.key, b.key) || byteOrder(a.environment, b.environment));
  let scope = null;
  if (milestone.scope) {
    const patterns = JSON.parse(milestone.scope) as string[];
    const compiled = compileScope(patterns);
    const executed = new Set(derived.filter((r) => r.status !== 'SKIPPED').map((r) => r.caseId));
    const inScope = cases.filter((c) => compiled.matches(c));
    const untested = inScope
      .filter((c) => !executed.has(c.id))
      .map((c) => c.key)
      .sort(byteOrder);
    scope = {
      patterns,
      inScope: inScope.length,
      covered: inScope.length - untested.length,
      untested: { count: untested.length, sample: untested.slice(0, 5) },
    };
  }
  return {
    results: {
      passed: count('PASSED'),
      failed: count('FAILED'),
      blocked: count('BLOCKED'),
      skipped: count('SKIPPED'),
      flaky: derived.filter((r) => r.status === 'PASSED' && r.flaky).length,
    },
    criticalFailures: { count: criticalFailed.length, sample: criticalFailed.slice(0, 5) },
    scope,
  };
}

/** What the checks saw, so the test can show they were not vacuous. */
const seen = { scopeCases: 0, covered: 0, criticalFailures: 0, flaky: 0, changes: 0, windows: 0, fullWindows: 0 };

/**
 * The windows kept on CurrentResult and those the history gives: per pair, the
 * marks (P passed, p passed after a retry, F failed) of its last
 * DEFAULT_FLAKINESS.window passed and failed results in the milestone's
 * non-aborted runs, oldest first, the runs ordered by the database (startedAt,
 * createdAt, id), the window cut in JS.
 */
async function windows(milestoneId: string) {
  const kept = await t.prisma.currentResult.findMany({ where: { milestoneId }, select: { caseId: true, environment: true, recent: true } });
  const runs = await t.prisma.testRun.findMany({
    where: { milestoneId, status: { not: 'ABORTED' } },
    orderBy: [{ startedAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
    select: { environment: { select: { name: true } }, results: { select: { caseId: true, status: true, flaky: true } } },
  });
  const derived = new Map<string, string>();
  for (const run of runs) {
    for (const r of run.results) {
      const k = `${r.caseId} ${run.environment?.name ?? 'default'}`;
      const mark = r.status === 'PASSED' ? (r.flaky ? 'p' : 'P') : r.status === 'FAILED' ? 'F' : '';
      derived.set(k, ((derived.get(k) ?? '') + mark).slice(-DEFAULT_FLAKINESS.window));
    }
  }
  return {
    kept: kept.map((r) => `${r.caseId} ${r.environment} ${r.recent}`).sort(),
    derived: [...derived].map(([k, w]) => `${k} ${w}`).sort(),
  };
}

/** The flaky pairs kept (FlakyCase) and those the history gives (loadFlakiness), in one shape and order. */
async function flakyPairs(milestoneId: string) {
  const shape = (r: { caseId: string; environment: string; results: number; flips: number; flipRate: number; retried: number }) =>
    `${r.caseId} ${r.environment} results=${r.results} flips=${r.flips} rate=${r.flipRate} retried=${r.retried}`;
  const kept = await t.prisma.flakyCase.findMany({ where: { milestoneId } });
  const derived = await loadFlakiness(t.db, milestoneId);
  return {
    kept: kept.map(shape).sort(),
    derived: derived.map((d) => shape({ ...d, retried: d.retriedPasses })).sort(),
  };
}

async function expectAgreement(milestoneIds: string[], context: () => string) {
  for (const id of milestoneIds) {
    const [kept, derived, keptScope] = await Promise.all([readCurrentState(t.db, id), deriveCurrentState(t.db, id), readScopeCases(t, id)]);
    expect(sortRows(kept), context()).toEqual(sortRows(derived));
    const derivedScope = await deriveScopeCases(t, id, derived);
    expect(compareScopes(keptScope, derivedScope), context()).toEqual({ expected: derivedScope.length, missing: 0, extra: 0, changed: 0 });
    const facts = await loadReadinessFacts(t.db, id, new Date(T0));
    const want = await expectedFacts(id, derived);
    expect({ results: facts.results, criticalFailures: facts.criticalFailures, scope: facts.scope }, context()).toEqual(want);
    const flaky = await flakyPairs(id);
    expect(flaky.kept, context()).toEqual(flaky.derived);
    const window = await windows(id);
    expect(window.kept, context()).toEqual(window.derived);
    seen.windows += window.kept.filter((w) => !w.endsWith(' ')).length;
    seen.fullWindows += window.kept.filter((w) => w.split(' ').pop()!.length === DEFAULT_FLAKINESS.window).length;
    seen.flaky += flaky.kept.length;
    seen.scopeCases += keptScope.length;
    seen.covered += keptScope.filter((c) => c.covered).length;
    seen.criticalFailures += facts.criticalFailures.count;
  }
}

/** The state kept after a step, and a moment after that step's writes and before the next one's. */
interface Moment {
  at: Date;
  states: Map<string, StateRow[]>;
}

const stateKey = (r: Pick<StateRow, 'status' | 'flaky'> | null | undefined) => (r ? `${r.status}${r.flaky ? '~' : ''}` : '-');

/** How many pairs went from which state to which, per environment and criticality: `env before>after critical` → n. */
function tally(entries: { environment: string; before: string; after: string; critical: boolean; n: number }[]) {
  const out: Record<string, number> = {};
  for (const e of entries) {
    if (e.before === e.after) continue; // a pair that changed and changed back is the same then and now
    const k = `${e.environment} ${e.before}>${e.after}${e.critical ? ' critical' : ''}`;
    out[k] = (out[k] ?? 0) + e.n;
  }
  return out;
}

/** The changes since `then` (from StateChange) equal the difference between the state kept then and now. */
async function expectChangesSince(milestoneId: string, then: Moment, now: StateRow[], context: () => string) {
  const before = then.states.get(milestoneId) ?? [];
  const critical = new Set((await t.prisma.testCase.findMany({ where: { critical: true }, select: { id: true } })).map((c) => c.id));
  const pair = (r: StateRow) => `${r.caseId}\u0000${r.environment}`;
  const was = new Map(before.map((r) => [pair(r), r]));
  const is = new Map(now.map((r) => [pair(r), r]));
  const want = tally(
    [...new Set([...was.keys(), ...is.keys()])].map((k) => {
      const row = (is.get(k) ?? was.get(k))!;
      return {
        environment: row.environment,
        before: stateKey(was.get(k)),
        after: stateKey(is.get(k)),
        critical: critical.has(row.caseId),
        n: 1,
      };
    }),
  );
  const changes = await loadTestChanges(t.db, milestoneId, then.at, { sample: 1_000 });
  const got = tally(
    changes.transitions.map((tr) => ({
      environment: tr.environment,
      before: stateKey(tr.before),
      after: stateKey(tr.after),
      critical: tr.critical,
      n: tr.n,
    })),
  );
  expect(got, `changes since ${then.at.toISOString()}: ${context()}`).toEqual(want);
  const newlyFailing = [...is.values()].filter((r) => r.status === 'FAILED' && was.get(pair(r))?.status !== 'FAILED').length;
  expect(changes.newlyFailing, context()).toHaveLength(newlyFailing);
  seen.changes += Object.keys(want).length;
}

/** Waits until the clock has moved past `at` (so the next step's writes are dated after it). */
async function clockPast(at: Date) {
  while (Date.now() <= at.getTime()) await new Promise((resolve) => setImmediate(resolve));
}

/** Case keys and their suites: separators, spaces and the characters LIKE and GLOB treat specially. */
const CASE_POOL: { key: string; suite: string | null }[] = [
  { key: 'checkout::pay', suite: 'checkout' },
  { key: 'checkout::refund', suite: 'checkout' },
  { key: 'billing › invoice', suite: 'billing' },
  { key: 'billing › tax_rate', suite: 'billing' },
  { key: 'x[1]', suite: null },
  { key: 'a%b_c', suite: 'pct%suite' },
  { key: 'back\\slash', suite: null },
  { key: 'q?mark', suite: 'odd*suite' },
  { key: 'caseé', suite: 'ünï' },
  { key: 'plain', suite: 'checkout' },
];
/** Scope patterns: globs over keys and suites, exact keys, and ones that match nothing. */
const PATTERNS = [
  'checkout::*',
  'checkout',
  '*',
  'billing › *',
  'x[1]',
  'x[?]',
  'a%b_c',
  'a_b%c',
  '*\\*',
  '?mark',
  'q?mark',
  'odd*',
  'pct%*',
  'case?',
  'ün?',
  ' plain ',
  'nothing::*',
  '[1]',
];

const ENVIRONMENTS = [undefined, 'staging', 'production', 'default'] as const;
const STATUSES: ResultStatus[] = ['PASSED', 'PASSED', 'FAILED', 'SKIPPED', 'BLOCKED'];
const T0 = Date.parse('2030-01-01T00:00:00Z');

/** What random histories draw from: the default mixes everything; a flaky mix flips few cases in few environments. */
interface HistoryMix {
  environments: readonly (string | undefined)[];
  statuses: readonly ResultStatus[];
  /** Extra weight (out of 12) for posting results over the other steps. */
  extraPosts: number;
}
const ANY_MIX: HistoryMix = { environments: ENVIRONMENTS, statuses: STATUSES, extraPosts: 0 };
const FLAKY_MIX: HistoryMix = {
  environments: [undefined, 'staging'],
  statuses: ['PASSED', 'FAILED', 'PASSED', 'FAILED', 'SKIPPED'],
  extraPosts: 12,
};

async function randomHistory(seed: number, steps: number, mix: HistoryMix = ANY_MIX) {
  const rnd = prng(seed);
  const key = `P${seed.toString(36).toUpperCase()}`;
  const { project } = await seedProject(t, key, { teamId: `T${key}` });
  const somePatterns = () => PATTERNS.filter(() => rnd.next() < 0.2);
  const firstScope = rnd.int(2) ? somePatterns() : undefined;
  const milestones = [
    (await seedMilestone(t, project.id, `${key} one`, { scope: firstScope })).id,
    (await seedMilestone(t, project.id, `${key} two`)).id,
  ];
  // Cases come into use over time: an upload may name one no upload named before.
  const pool = [...CASE_POOL].sort(() => rnd.next() - 0.5);
  const cases = pool.splice(0, 2 + rnd.int(4));
  const runs: { id: string; status: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED' }[] = [];
  const log: string[] = [];
  const moments: Moment[] = [];
  const context = () =>
    `seed ${seed} (CURRENT_STATE_SEED=${seed} replays it); first scope ${JSON.stringify(firstScope ?? null)}; steps: ${log.join('; ')}`;

  for (let step = 0; step < steps; step++) {
    const drawn = runs.length === 0 ? 0 : rnd.int(12 + mix.extraPosts);
    const choice = drawn >= 12 ? 3 : drawn;
    if (choice <= 2) {
      // A new run; its start time may be earlier than, or tied with, others'.
      const startedAt = new Date(T0 + rnd.int(6) * 60_000);
      const environment = rnd.pick(mix.environments);
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
      if (pool.length && rnd.int(3) === 0) cases.push(pool.shift()!);
      const chosen = cases.filter(() => rnd.next() < 0.6);
      const results = chosen.map((c) => ({
        key: c.key,
        title: c.key,
        suite: c.suite,
        status: rnd.pick(mix.statuses),
        durationMs: null,
        message: null,
        attempts: 1,
        flaky: rnd.int(5) === 0,
        critical: rnd.int(6) === 0,
      }));
      await ingestResults(t, { projectId: project.id, runId: run.id, results });
      log.push(`post run${i} ${results.map((r) => `${r.key}=${r.status[0]}${r.flaky ? '~' : ''}${r.critical ? '!' : ''}`).join(',')}`);
    } else if (choice <= 8) {
      const i = rnd.int(runs.length);
      const status = rnd.pick(['ABORTED', 'ABORTED', 'IN_PROGRESS', 'COMPLETED'] as const);
      // An aborted run stays aborted (domain/run-lifecycle.ts).
      if (runs[i]!.status === 'ABORTED') continue;
      await updateTestRun(t, { projectId: project.id, runId: runs[i]!.id, status, actor: TEST_OPERATOR });
      runs[i]!.status = status;
      log.push(`run${i} -> ${status}`);
    } else if (choice <= 9) {
      const i = rnd.int(runs.length);
      const to = rnd.int(2);
      await attachTestRun(t, { projectId: project.id, runId: runs[i]!.id, milestoneId: milestones[to]! });
      log.push(`attach run${i} to m${to}`);
    } else {
      // A scope set, changed or removed.
      const m = rnd.int(2);
      const include = rnd.int(4) === 0 ? null : somePatterns();
      await updateMilestone(t, { milestoneId: milestones[m]!, patch: { scope: include ? { include } : null }, actor: TEST_OPERATOR });
      log.push(`scope m${m} ${include ? JSON.stringify(include) : 'none'}`);
    }
    await expectAgreement(milestones, context);
    // The changes since the first moment, the last one and a random one in between.
    const states = new Map(await Promise.all(milestones.map(async (m) => [m, await readCurrentState(t.db, m)] as const)));
    const earlier = moments.length ? [moments[0]!, moments[moments.length - 1]!, rnd.pick(moments)] : [];
    for (const then of earlier) for (const m of milestones) await expectChangesSince(m, then, states.get(m)!, context);
    const at = new Date();
    moments.push({ at, states });
    await clockPast(at);
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
    if (histories > 1) {
      expect(seen.scopeCases).toBeGreaterThan(0);
      expect(seen.covered).toBeGreaterThan(0);
      expect(seen.scopeCases).toBeGreaterThan(seen.covered);
      expect(seen.criticalFailures).toBeGreaterThan(0);
      expect(seen.changes).toBeGreaterThan(0);
    }
  }, 300_000);

  it('keeps the flaky pairs equal to those the history gives through long random histories', async () => {
    // Longer histories than above, so pairs gather the flips that make them flaky (and lose them again).
    // Fixed seeds (known to make flaky pairs, so the check is not vacuous); the test above draws new ones each run.
    const first = Number(process.env.CURRENT_STATE_SEED ?? 1_013_002);
    const histories = process.env.CURRENT_STATE_SEED ? 1 : 6;
    console.log(`flaky-state property test: seeds ${first}…${first + histories - 1} (CURRENT_STATE_SEED=<seed> replays one)`);
    const before = seen.flaky;
    for (let h = 0; h < histories; h++) await randomHistory(first + h, 60, FLAKY_MIX);
    if (histories > 1) expect(seen.flaky).toBeGreaterThan(before);
    expect(seen.windows).toBeGreaterThan(0);
  }, 300_000);

  it('keeps the windows and flaky pairs of pairs with more results than the window, whatever lands inside their sequence', async () => {
    // Results appended run after run past the window's length, then ones that do not append: an older run's,
    // a re-post that changes a result, a run aborted and one moved away, checked after every step.
    const { project } = await seedProject(t, 'PWIN', { teamId: 'TPWIN' });
    const milestones = [(await seedMilestone(t, project.id, 'win one')).id, (await seedMilestone(t, project.id, 'win two')).id];
    const log: string[] = [];
    const context = () => log.join('; ');
    const runs: string[] = [];
    const post = async (i: number, statuses: [string, ResultStatus, boolean][]) => {
      const results = statuses.map(([key, status, flaky]) => ({
        key,
        title: key,
        suite: null,
        status,
        durationMs: null,
        message: null,
        attempts: 1,
        flaky,
        critical: false,
      }));
      await ingestResults(t, { projectId: project.id, runId: runs[i]!, results });
      log.push(`post run${i} ${statuses.map(([k, s, f]) => `${k}=${s[0]}${f ? '~' : ''}`).join(',')}`);
      await expectAgreement(milestones, context);
    };
    const open = async (minute: number) => {
      const startedAt = new Date(T0 + minute * 60_000);
      const { run } = await openTestRun(
        { db: t.db, now: () => startedAt },
        {
          projectId: project.id,
          name: `run${runs.length}`,
          milestoneId: milestones[0],
          environment: 'staging',
          source: 'CI',
          actor: TEST_OPERATOR,
        },
      );
      runs.push(run.id);
      log.push(`open run${runs.length - 1} at ${minute}`);
    };
    // 'steady' flips now and then, 'flip' every time, 'retry' passes after retries; 'skip' is skipped in between.
    for (let i = 0; i < 26; i++) {
      await open(10 + 2 * i);
      await post(i, [
        ['steady', i % 7 === 3 ? 'FAILED' : 'PASSED', false],
        ['flip', i % 2 ? 'FAILED' : 'PASSED', i % 4 === 0],
        ['retry', i % 5 === 0 ? 'SKIPPED' : 'PASSED', i % 3 === 0],
      ]);
    }
    const full = seen.fullWindows;
    expect(full).toBeGreaterThan(0);
    // An older run's results land inside the sequences (and before the window of some).
    await open(11);
    await post(26, [
      ['steady', 'FAILED', false],
      ['flip', 'FAILED', false],
      ['retry', 'PASSED', true],
    ]);
    await open(0);
    await post(27, [['flip', 'PASSED', false]]);
    // Re-posts that change a result, the newest run's and an older one's.
    await post(25, [
      ['steady', 'FAILED', true],
      ['flip', 'SKIPPED', false],
    ]);
    await post(20, [['retry', 'FAILED', false]]);
    await post(24, [['retry', 'PASSED', true]]);
    // A run aborted, and one moved to the other milestone.
    await updateTestRun(t, { projectId: project.id, runId: runs[23]!, status: 'ABORTED', actor: TEST_OPERATOR });
    log.push('run23 -> ABORTED');
    await expectAgreement(milestones, context);
    await attachTestRun(t, { projectId: project.id, runId: runs[22]!, milestoneId: milestones[1]! });
    log.push('attach run22 to m1');
    await expectAgreement(milestones, context);
    await post(25, [['steady', 'PASSED', false]]);
    const flaky = await t.prisma.flakyCase.findMany({ where: { milestoneId: milestones[0] } });
    const keys = await t.prisma.testCase.findMany({ where: { id: { in: flaky.map((f) => f.caseId) } }, select: { key: true } });
    expect(
      keys.map((c) => c.key),
      context(),
    ).toContain('flip');
  }, 300_000);
});
