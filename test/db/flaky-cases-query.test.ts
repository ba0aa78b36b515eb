// Flakiness across runs in the database, on scripted histories with exact
// expected values, and checked against the pure rule (domain/flaky-score.ts)
// for every pair: run order (startedAt, then createdAt), aborted runs and other
// milestones left out, environments apart, the window of the last 20.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedProject } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { loadFlakiness } from '../../src/db/flaky-cases-query.js';
import { assessFlakiness, type FlakyResult } from '../../src/domain/flaky-score.js';

type Status = FlakyResult['status'];
interface SeedRun {
  env: string | null;
  status?: 'COMPLETED' | 'ABORTED';
  /** case key → status letter: P passed, R passed on retry, F failed, S skipped, B blocked */
  results: Record<string, string>;
  /** Minutes after T0; defaults to the run's index. */
  startedAt?: number;
  createdAt?: number;
}

let t: TestDatabase;
let projectId: string;
let seq = 0;
const T0 = Date.parse('2030-03-01T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const STATUS: Record<string, Status> = { P: 'PASSED', R: 'PASSED', F: 'FAILED', S: 'SKIPPED', B: 'BLOCKED' };

beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await seedProject(t, 'FLAKY', { teamId: 'TFLAKY', name: 'Flaky' })).project.id;
});
afterAll(async () => t.cleanup());

async function caseId(key: string): Promise<string> {
  const row = await t.prisma.testCase.upsert({
    where: { projectId_key: { projectId, key } },
    update: {},
    create: { projectId, key, title: `title of ${key}` },
  });
  return row.id;
}

/** Runs given oldest first unless startedAt says otherwise. */
async function seed(runs: SeedRun[], milestoneId?: string): Promise<string> {
  const name = `m${++seq}`;
  const id = milestoneId ?? (await t.prisma.milestone.create({ data: { projectId, name, nameKey: name } })).id;
  for (const [i, r] of runs.entries()) {
    const environment = r.env
      ? await t.prisma.environment.upsert({
          where: { projectId_name: { projectId, name: r.env } },
          update: {},
          create: { projectId, name: r.env },
        })
      : null;
    const run = await t.prisma.testRun.create({
      data: {
        projectId,
        milestoneId: id,
        environmentId: environment?.id ?? null,
        name: `${name}-run-${i}`,
        status: r.status ?? 'COMPLETED',
        startedAt: at(r.startedAt ?? i),
        createdAt: at(r.createdAt ?? r.startedAt ?? i),
      },
    });
    for (const [key, letter] of Object.entries(r.results)) {
      await t.prisma.testResult.create({
        data: { runId: run.id, caseId: await caseId(key), status: STATUS[letter]!, flaky: letter === 'R' },
      });
    }
  }
  return id;
}

/** One run per letter position: `history` maps case key → letters oldest first ('.' = no result). */
function runsOf(env: string | null, history: Record<string, string>): SeedRun[] {
  const length = Math.max(...Object.values(history).map((h) => h.length));
  return Array.from({ length }, (_, i) => ({
    env,
    results: Object.fromEntries(
      Object.entries(history)
        .filter(([, h]) => h[i] !== undefined && h[i] !== '.')
        .map(([k, h]) => [k, h[i]!]),
    ),
  }));
}

async function byKey(milestoneId: string, pairs?: { caseId: string; environment: string }[]) {
  const rows = await loadFlakiness(t.db, milestoneId, pairs ? { pairs } : {});
  const keys = new Map((await t.prisma.testCase.findMany({ where: { projectId } })).map((c) => [c.id, c.key]));
  return Object.fromEntries(rows.map(({ caseId: id, environment, ...rest }) => [`${keys.get(id)}@${environment}`, rest]));
}

describe('loadFlakiness', () => {
  it('a case flipping pass/fail over six runs is flaky with flip rate 1; a steady failure and a single regression are not', async () => {
    const m = await seed(runsOf('staging', { flipper: 'PFPFPF', steady: 'FFFFFF', regressed: 'PPPPPF', retried: 'PRPRPP' }));
    expect(await byKey(m)).toEqual({
      'flipper@staging': { results: 6, flips: 5, flipRate: 1, retriedPasses: 0, flaky: true },
    });
  });

  it('with pairs: exactly those pairs, flaky or not, with their scores', async () => {
    const m = await seed(runsOf(null, { a: 'PFPPPP', b: 'FFFFFF', c: 'PRPRPP' }));
    const ids = await Promise.all(['a', 'b', 'c'].map(caseId));
    const pairs = ids.map((caseId) => ({ caseId, environment: 'default' }));
    expect(await byKey(m, pairs)).toEqual({
      'a@default': { results: 6, flips: 2, flipRate: 0.4, retriedPasses: 0, flaky: true },
      'b@default': { results: 6, flips: 0, flipRate: 0, retriedPasses: 0, flaky: false },
      'c@default': { results: 6, flips: 0, flipRate: 0, retriedPasses: 2, flaky: false },
    });
  });

  it('runs are ordered by start time, not by when they were recorded; aborted runs and other milestones do not count', async () => {
    // Recorded P, F, P, F but started F, F, P, P: one flip only.
    const m = await seed([
      { env: 'ci', startedAt: 30, createdAt: 0, results: { order: 'P' } },
      { env: 'ci', startedAt: 10, createdAt: 1, results: { order: 'F' } },
      { env: 'ci', startedAt: 40, createdAt: 2, results: { order: 'P' } },
      { env: 'ci', startedAt: 20, createdAt: 3, results: { order: 'F' } },
      { env: 'ci', startedAt: 35, status: 'ABORTED', results: { order: 'F' } },
    ]);
    await seed(runsOf('ci', { order: 'FPFPFP' }));
    const id = await caseId('order');
    expect(await byKey(m)).toEqual({});
    expect(await byKey(m, [{ caseId: id, environment: 'ci' }])).toEqual({
      'order@ci': { results: 4, flips: 1, flipRate: 1 / 3, retriedPasses: 0, flaky: false },
    });
  });

  it('environments are apart; skipped and blocked results neither count nor break the sequence', async () => {
    const m = await seed([
      ...runsOf('staging', { both: 'PSFBPF' }),
      ...runsOf('production', { both: 'PPPPPP' }).map((r, i) => ({ ...r, startedAt: 100 + i })),
    ]);
    expect(await byKey(m)).toEqual({ 'both@staging': { results: 4, flips: 3, flipRate: 1, retriedPasses: 0, flaky: true } });
  });

  it('only the last 20 passed or failed results count, and every pair matches the pure rule', async () => {
    const history = {
      old: 'PFPFPFPFPF' + 'P'.repeat(20),
      edge: 'F'.repeat(10) + 'P'.repeat(15) + 'FPFPF',
      gappy: 'P.F.P.F..PSPBF' + 'P'.repeat(16),
    };
    const m = await seed(runsOf('nightly', history));
    const ids = await Promise.all(Object.keys(history).map(caseId));
    const all = await byKey(
      m,
      ids.map((caseId) => ({ caseId, environment: 'nightly' })),
    );
    for (const [key, h] of Object.entries(history)) {
      const oracle = assessFlakiness([...h].filter((c) => c !== '.').map((c) => ({ status: STATUS[c]!, flaky: c === 'R' })));
      expect(all[`${key}@nightly`]).toEqual(oracle);
    }
    expect(all['old@nightly']).toMatchObject({ results: 20, flips: 0, flaky: false });
    expect(all['edge@nightly']).toMatchObject({ results: 20, flips: 5, flaky: true });
    // gappy: 23 passed/failed results, the last 20 are F P P F then 16 P: 3 flips in 19 is below 0.2.
    expect(all['gappy@nightly']).toMatchObject({ results: 20, flips: 3, flaky: false });
    expect(Object.keys(await byKey(m))).toEqual(['edge@nightly']);
  });
});
