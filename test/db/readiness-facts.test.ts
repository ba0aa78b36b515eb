// loadReadinessFacts against a real database: the current state (latest result
// per case and environment) is checked against a plain in-memory model of the
// same rows, on hand-made cases and on generated milestones shaped to take each
// search path (newest run covering all cases; a small suite in a big project;
// a newest run with no results yet; runs without an environment; aborted runs).
// Rows are written directly, so the milestone's kept state is rebuilt from them
// (rebuildMilestone, as `shipgate doctor --repair` does); the state derived from
// history (deriveCurrentState, the oracle) is checked against the model too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedProject } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { loadReadinessFacts } from '../../src/db/readiness-facts.js';
import { loadCriticalFailures, loadCriticalFailuresIfFewerCases } from '../../src/db/current-state-query.js';
import { planLatestResults } from '../../src/db/latest-results-query.js';
import { rebuildMilestone } from '../../src/db/current-state.js';
import { deriveCurrentState } from '../../src/db/derive-current-state.js';
import { compileScope } from '../../src/domain/scope.js';

type Status = 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';
interface SeedRun {
  id: string;
  env: string | null;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED';
  startedAt: Date;
  createdAt?: Date;
  results: { caseKey: string; status: Status; flaky?: boolean }[];
}
interface SeedCase {
  key: string;
  suite: string | null;
  critical: boolean;
}

let t: TestDatabase;
let projectId: string;
let seq = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await seedProject(t, 'FACTS', { teamId: 'TFACTS', name: 'Facts' })).project.id;
});
afterAll(async () => t.cleanup());

const T0 = Date.parse('2030-03-01T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/**
 * Seeds a milestone (cases are per project and shared, keyed by key). Rows are
 * written directly rather than through the use cases: the model this test
 * compares with needs exact ids, start times and result rows.
 */
async function seed(cases: SeedCase[], runs: SeedRun[], scope: string[] | null = null) {
  const name = `m${++seq}`;
  const milestone = await t.prisma.milestone.create({
    data: { projectId, name, nameKey: name, scope: scope ? JSON.stringify(scope) : null },
  });
  const caseIds = new Map<string, string>();
  for (const c of cases) {
    const row = await t.prisma.testCase.upsert({
      where: { projectId_key: { projectId, key: c.key } },
      update: { suite: c.suite, critical: c.critical },
      create: { projectId, key: c.key, title: `title of ${c.key}`, suite: c.suite, critical: c.critical },
    });
    caseIds.set(c.key, row.id);
  }
  for (const r of runs) {
    const environment = r.env
      ? await t.prisma.environment.upsert({
          where: { projectId_name: { projectId, name: r.env } },
          update: {},
          create: { projectId, name: r.env },
        })
      : null;
    await t.prisma.testRun.create({
      data: {
        id: `${name}-${r.id}`,
        projectId,
        milestoneId: milestone.id,
        environmentId: environment?.id ?? null,
        name: r.id,
        status: r.status,
        startedAt: r.startedAt,
        createdAt: r.createdAt ?? r.startedAt,
      },
    });
    if (r.results.length) {
      await t.prisma.testResult.createMany({
        data: r.results.map((x) => ({
          runId: `${name}-${r.id}`,
          caseId: caseIds.get(x.caseKey)!,
          status: x.status,
          flaky: x.flaky ?? false,
        })),
      });
    }
  }
  await rebuildMilestone(t.prisma, t.db.provider, milestone.id, new Date());
  return milestone.id;
}

/** The in-memory model: the same rules, over all rows. */
function expected(cases: SeedCase[], runs: SeedRun[], scope: string[] | null) {
  const live = runs
    .filter((r) => r.status !== 'ABORTED')
    .sort(
      (a, b) =>
        a.startedAt.getTime() - b.startedAt.getTime() ||
        (a.createdAt ?? a.startedAt).getTime() - (b.createdAt ?? b.startedAt).getTime() ||
        (a.id < b.id ? -1 : 1),
    );
  const latest = new Map<string, { caseKey: string; env: string; status: Status; flaky: boolean }>();
  for (const r of live) {
    const env = r.env ?? 'default';
    for (const x of r.results)
      latest.set(`${x.caseKey}\u0000${env}`, { caseKey: x.caseKey, env, status: x.status, flaky: x.flaky ?? false });
  }
  const current = [...latest.values()];
  const count = (s: Status) => current.filter((c) => c.status === s).length;
  const critical = new Set(cases.filter((c) => c.critical).map((c) => c.key));
  const envNames = [...new Set(live.map((r) => r.env ?? 'default'))].sort();
  let scopeFacts = null;
  if (scope) {
    const compiled = compileScope(scope);
    const inScope = cases.filter((c) => compiled.matches(c)).map((c) => c.key);
    const covered = new Set(current.filter((c) => c.status !== 'SKIPPED').map((c) => c.caseKey));
    const untested = inScope.filter((k) => !covered.has(k)).sort();
    scopeFacts = {
      patterns: scope,
      inScope: inScope.length,
      covered: inScope.length - untested.length,
      untested: { count: untested.length, sample: untested.slice(0, 5) },
    };
  }
  const criticalFailed = current.filter((c) => c.status === 'FAILED' && critical.has(c.caseKey));
  return {
    results: {
      passed: count('PASSED'),
      failed: count('FAILED'),
      blocked: count('BLOCKED'),
      skipped: count('SKIPPED'),
      flaky: current.filter((c) => c.status === 'PASSED' && c.flaky).length,
    },
    criticalFailures: criticalFailed.length,
    criticalKeys: criticalFailed
      .map((c) => c.caseKey)
      .sort()
      .slice(0, 5),
    criticalSet: new Set(criticalFailed.map((c) => `${c.caseKey}|${c.env}`)),
    environments: envNames.map((name) => {
      const here = current.filter((c) => c.env === name);
      return {
        name,
        runs: live.filter((r) => (r.env ?? 'default') === name).length,
        executed: here.filter((c) => c.status !== 'SKIPPED').length,
        passed: here.filter((c) => c.status === 'PASSED').length,
      };
    }),
    scope: scopeFacts,
  };
}

async function check(cases: SeedCase[], runs: SeedRun[], scope: string[] | null = null) {
  const milestoneId = await seed(cases, runs, scope);
  const facts = await loadReadinessFacts(t.db, milestoneId, new Date(T0));
  const want = expected(cases, runs, scope);
  expect(facts.results).toEqual(want.results);
  const derived = await deriveCurrentState(t.db, milestoneId);
  const derivedCount = (s: Status) => derived.filter((r) => r.status === s).length;
  expect({
    passed: derivedCount('PASSED'),
    failed: derivedCount('FAILED'),
    blocked: derivedCount('BLOCKED'),
    skipped: derivedCount('SKIPPED'),
    flaky: derived.filter((r) => r.status === 'PASSED' && r.flaky).length,
  }).toEqual(want.results);
  expect(facts.environments).toEqual(want.environments);
  expect(facts.scope).toEqual(want.scope);
  expect(facts.criticalFailures.count).toBe(want.criticalFailures);
  expect(facts.criticalFailures.sample.map((s) => s.key)).toEqual(want.criticalKeys);
  for (const s of facts.criticalFailures.sample) expect(want.criticalSet.has(`${s.key}|${s.environment}`)).toBe(true);
  expect(facts.runs).toEqual({
    total: runs.length,
    inProgress: runs.filter((r) => r.status === 'IN_PROGRESS').length,
    completed: runs.filter((r) => r.status === 'COMPLETED').length,
    aborted: runs.filter((r) => r.status === 'ABORTED').length,
  });
  return { milestoneId, facts };
}

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STATUSES: Status[] = ['PASSED', 'PASSED', 'PASSED', 'FAILED', 'SKIPPED', 'BLOCKED'];

describe(`loadReadinessFacts (${testProvider()})`, () => {
  it('a newer run supersedes an older one per environment; aborted runs and other environments do not', async () => {
    const cases: SeedCase[] = [
      { key: 'pay::card', suite: 'pay', critical: true },
      { key: 'pay::refund', suite: 'pay', critical: false },
      { key: 'auth::login', suite: 'auth', critical: false },
    ];
    const { facts } = await check(cases, [
      {
        id: 'r1',
        env: 'staging',
        status: 'COMPLETED',
        startedAt: at(0),
        results: [
          { caseKey: 'pay::card', status: 'FAILED' },
          { caseKey: 'pay::refund', status: 'FAILED' },
          { caseKey: 'auth::login', status: 'PASSED' },
        ],
      },
      // Newer in staging: card now passes (flaky); refund not re-run stays FAILED.
      {
        id: 'r2',
        env: 'staging',
        status: 'COMPLETED',
        startedAt: at(10),
        results: [{ caseKey: 'pay::card', status: 'PASSED', flaky: true }],
      },
      // Aborted and newest: ignored entirely.
      {
        id: 'r3',
        env: 'staging',
        status: 'ABORTED',
        startedAt: at(20),
        results: [
          { caseKey: 'pay::refund', status: 'PASSED' },
          { caseKey: 'auth::login', status: 'FAILED' },
        ],
      },
      // Another environment keeps its own state: the critical case fails there.
      { id: 'r4', env: 'production', status: 'IN_PROGRESS', startedAt: at(5), results: [{ caseKey: 'pay::card', status: 'FAILED' }] },
    ]);
    expect(facts.results).toEqual({ passed: 2, failed: 2, blocked: 0, skipped: 0, flaky: 1 });
    expect(facts.criticalFailures).toEqual({
      count: 1,
      sample: [{ key: 'pay::card', title: 'title of pay::card', environment: 'production' }],
    });
  });

  it('runs without an environment count as "default"; start-time ties go to the later-created run, then the higher id', async () => {
    const cases: SeedCase[] = [
      { key: 'tie::a', suite: null, critical: false },
      { key: 'tie::b', suite: null, critical: false },
    ];
    const { facts } = await check(cases, [
      {
        id: 'b-run',
        env: null,
        status: 'COMPLETED',
        startedAt: at(0),
        createdAt: at(1),
        results: [{ caseKey: 'tie::a', status: 'FAILED' }],
      },
      {
        id: 'a-run',
        env: null,
        status: 'COMPLETED',
        startedAt: at(0),
        createdAt: at(2),
        results: [{ caseKey: 'tie::a', status: 'PASSED' }],
      },
      {
        id: 'y-run',
        env: null,
        status: 'COMPLETED',
        startedAt: at(3),
        createdAt: at(3),
        results: [{ caseKey: 'tie::b', status: 'PASSED' }],
      },
      {
        id: 'z-run',
        env: null,
        status: 'COMPLETED',
        startedAt: at(3),
        createdAt: at(3),
        results: [{ caseKey: 'tie::b', status: 'BLOCKED' }],
      },
    ]);
    expect(facts.environments).toEqual([{ name: 'default', runs: 4, executed: 2, passed: 1 }]);
    expect(facts.results).toMatchObject({ passed: 1, blocked: 1, failed: 0 });
  });

  it('scope: exact keys and globs over keys and suites; skipped is not covered; untested are named', async () => {
    const cases: SeedCase[] = [
      { key: 'checkout::pay', suite: 'checkout', critical: false },
      { key: 'checkout::cancel', suite: 'checkout', critical: false },
      { key: 'legacy-7', suite: 'billing › refunds', critical: false },
      { key: 'search::find', suite: 'search', critical: false },
      { key: 'ui::theme', suite: 'ui', critical: false },
      { key: 'ünïcode, "quoted" › 🚀', suite: 'billing › refunds', critical: false },
    ];
    const { facts } = await check(
      cases,
      [
        {
          id: 'r1',
          env: 'ci',
          status: 'COMPLETED',
          startedAt: at(0),
          results: [
            { caseKey: 'checkout::pay', status: 'PASSED' },
            { caseKey: 'legacy-7', status: 'SKIPPED' },
            { caseKey: 'ui::theme', status: 'FAILED' },
          ],
        },
      ],
      ['checkout::*', 'billing*', 'search::find'],
    );
    expect(facts.scope).toMatchObject({
      inScope: 5,
      covered: 1,
      untested: { count: 4, sample: ['checkout::cancel', 'legacy-7', 'search::find', 'ünïcode, "quoted" › 🚀'] },
    });
  });

  it('an expired waiver counts as open; a live one as waived; sign-offs are the latest per user', async () => {
    const milestoneId = await seed([], []);
    const base = { projectId, milestoneId, title: 'x', severity: 'CRITICAL' as const };
    await t.prisma.defect.createMany({
      data: [
        { ...base, title: 'expired', status: 'WAIVED', waiverReason: 'r', waiverUntil: at(-1) },
        { ...base, title: 'live', status: 'WAIVED', waiverReason: 'r', waiverUntil: at(60) },
        { ...base, title: 'open', severity: 'LOW' },
        { ...base, title: 'done', status: 'RESOLVED' },
      ],
    });
    await t.prisma.signoff.createMany({
      data: [
        { milestoneId, slackUserId: 'U1', decision: 'REJECT', evidence: '{}', createdAt: at(0) },
        { milestoneId, slackUserId: 'U1', decision: 'APPROVE', evidence: '{}', createdAt: at(5) },
        { milestoneId, slackUserId: 'U2', decision: 'REJECT', evidence: '{}', createdAt: at(1) },
      ],
    });
    const facts = await loadReadinessFacts(t.db, milestoneId, new Date(T0));
    expect(facts.defects.open.map((d) => d.title).sort()).toEqual(['expired', 'open']);
    expect(facts.defects).toMatchObject({ waived: 1, resolved: 1 });
    expect(facts.signoffs.map((s) => [s.userId, s.decision]).sort()).toEqual([
      ['U1', 'APPROVE'],
      ['U2', 'REJECT'],
    ]);
    // The waiver's end is the boundary: just before it, the same defect is waived.
    const before = await loadReadinessFacts(t.db, milestoneId, at(-2));
    expect(before.defects.waived).toBe(2);
  });

  it('reads the state kept at ingest, not the history: a kept row that disagrees with history is what readiness reports', async () => {
    const cases: SeedCase[] = [{ key: 'kept::a', suite: null, critical: true }];
    const { milestoneId } = await check(cases, [
      { id: 'r1', env: 'ci', status: 'COMPLETED', startedAt: at(0), results: [{ caseKey: 'kept::a', status: 'PASSED' }] },
    ]);
    await t.prisma.currentResult.updateMany({ where: { milestoneId }, data: { status: 'FAILED' } });
    const facts = await loadReadinessFacts(t.db, milestoneId, new Date(T0));
    expect(facts.results).toMatchObject({ passed: 0, failed: 1 });
    expect(facts.criticalFailures).toEqual({ count: 1, sample: [{ key: 'kept::a', title: 'title of kept::a', environment: 'ci' }] });
  });

  it('an empty milestone, and one whose runs have no results yet', async () => {
    await check([], []);
    const { facts } = await check(
      [{ key: 'e::1', suite: null, critical: false }],
      [{ id: 'r1', env: 'staging', status: 'IN_PROGRESS', startedAt: at(0), results: [] }],
      ['e::*'],
    );
    expect(facts.environments).toEqual([{ name: 'staging', runs: 1, executed: 0, passed: 0 }]);
    expect(facts.scope).toMatchObject({ inScope: 1, covered: 0, untested: { count: 1, sample: ['e::1'] } });
  });

  it('generated milestones agree with the model on every search path', async () => {
    const random = prng(20301);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    // 60 project cases; "full" re-runs most of them, "smoke" runs a handful.
    const cases: SeedCase[] = Array.from({ length: 60 }, (_, i) => ({
      key: `gen::${String(i).padStart(2, '0')}`,
      suite: `suite-${i % 4}`,
      critical: i % 7 === 0,
    }));
    const shapes = [
      { env: 'full', size: () => 50 + Math.floor(random() * 10), runs: 4 },
      { env: 'smoke', size: () => 3 + Math.floor(random() * 3), runs: 4 },
      { env: null, size: () => Math.floor(random() * 60), runs: 3 },
    ];
    for (let round = 0; round < 4; round++) {
      const runs: SeedRun[] = [];
      let minute = 0;
      for (const shape of shapes) {
        for (let i = 0; i < shape.runs; i++) {
          const size = shape.size();
          const chosen = [...cases].sort(() => random() - 0.5).slice(0, size);
          runs.push({
            id: `${shape.env ?? 'none'}-${i}`,
            env: shape.env,
            status: round > 0 && random() < 0.2 ? 'ABORTED' : pick(['COMPLETED', 'IN_PROGRESS'] as const),
            startedAt: at((minute += 1 + Math.floor(random() * 3)) % 17),
            results: chosen.map((c) => ({ caseKey: c.key, status: pick(STATUSES), flaky: random() < 0.1 })),
          });
        }
      }
      // The newest "full" run has not reported yet (a run just opened).
      runs.push({ id: 'full-new', env: 'full', status: 'IN_PROGRESS', startedAt: at(30), results: [] });
      const { milestoneId } = await check(cases, runs, round % 2 ? ['suite-1', 'gen::0*'] : null);
      if (round === 0) {
        // Both ways of searching older runs are taken on this data (no run is aborted in round 0).
        const live = await t.prisma.testRun.findMany({
          where: { milestoneId, status: { not: 'ABORTED' } },
          orderBy: [{ startedAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
          include: { environment: true },
        });
        const plan = await planLatestResults(
          t.db,
          projectId,
          live.map((r, i) => ({ id: r.id, rank: i + 1, env: r.environment?.name ?? 'default' })),
        );
        const byEnv = Object.fromEntries(plan.envNames.map((n, i) => [n, plan.groups[i]!]));
        expect(byEnv.full!.top.id).not.toContain('full-new');
        expect(byEnv.full!.older).toHaveLength(3);
        expect(byEnv.full!.byCase).toBe(true);
        expect(byEnv.smoke!.older).toHaveLength(3);
        expect(byEnv.smoke!.byCase).toBe(false);
      }
    }
  });

  // Last: its cases join the shared project, whose size the search-path test above depends on.
  it('critical failures are the same whichever side they are counted from (the failures or the critical cases)', async () => {
    // Seven critical cases of which four fail in one environment or two.
    // Thirty more non-critical failures, so the milestone has more failures than the shared project has critical cases.
    const cases: SeedCase[] = Array.from({ length: 40 }, (_, i) => ({ key: `crit::c${i}`, suite: 'crit', critical: i < 7 }));
    const status = (i: number): Status => (i < 4 || i >= 7 ? 'FAILED' : 'PASSED');
    const milestoneId = await seed(cases, [
      {
        id: 's',
        env: 'staging',
        status: 'COMPLETED',
        startedAt: at(0),
        results: cases.map((c, i) => ({ caseKey: c.key, status: status(i) })),
      },
      { id: 'p', env: 'production', status: 'COMPLETED', startedAt: at(0), results: [{ caseKey: 'crit::c2', status: 'FAILED' }] },
    ]);
    const fromFailures = await loadCriticalFailures(t.db, milestoneId, 'failures', { sample: 3 });
    const fromCases = await loadCriticalFailures(t.db, milestoneId, 'cases', { sample: 3 });
    const want = {
      counts: new Map([
        ['production', 1],
        ['staging', 4],
      ]),
      sample: [
        { key: 'crit::c0', title: 'title of crit::c0', environment: 'staging' },
        { key: 'crit::c1', title: 'title of crit::c1', environment: 'staging' },
        { key: 'crit::c2', title: 'title of crit::c2', environment: 'production' },
      ],
    };
    expect(fromFailures).toEqual(want);
    expect(fromCases).toEqual(want);
    // Sent with the other reads: fewer critical cases than failures, so found from the cases.
    const critical = await t.prisma.testCase.count({ where: { projectId, critical: true } });
    expect(critical).toBeLessThan(38);
    // The failures are counted only up to the number of critical cases: enough to choose the side.
    expect(await loadCriticalFailuresIfFewerCases(t.db, milestoneId, { sample: 3 })).toEqual({ failed: critical, critical, found: want });
    expect((await loadReadinessFacts(t.db, milestoneId, new Date(T0))).criticalFailures.count).toBe(5);
    // A milestone with fewer failures than the project has critical cases looks from its failures.
    const fewer = await seed(cases, [
      { id: 'one', env: 'staging', status: 'COMPLETED', startedAt: at(0), results: [{ caseKey: 'crit::c3', status: 'FAILED' }] },
    ]);
    expect(await loadCriticalFailuresIfFewerCases(t.db, fewer, { sample: 3 })).toEqual({ failed: 1, critical, found: null });
    expect((await loadReadinessFacts(t.db, fewer, new Date(T0))).criticalFailures).toEqual({
      count: 1,
      sample: [{ key: 'crit::c3', title: 'title of crit::c3', environment: 'staging' }],
    });
  });
});
