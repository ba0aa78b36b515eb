// The current state of a milestone: the latest result per (case, environment)
// across its non-aborted runs, as SQL both SQLite and PostgreSQL run the same
// way. Runs are few, so they are ranked in JS; the rank travels into the SQL
// packed with the status: packed = rank·8 + status·2 + flaky, so the newest
// result of a group is its MAX(packed) and carries its status along.
//
// Grouping every result row is what costs (a million rows take over a second in
// either database), so the newest run of each environment is taken whole —
// its rows are current by definition — and only cases it lacks are looked for
// in older runs. Two ways to find those, picked per environment from the sizes:
// - by case: the project's cases missing from the newest run, probed in each
//   older run (cheap when the newest run covers most cases, the usual CI rerun);
// - by row: the older runs' rows whose case the newest run lacks (cheap when the
//   project has far more cases than this environment runs, e.g. a smoke suite).
// Both give the same answer; the choice only changes the work done.
import type { Database } from './open-database.js';

export const STATUS_CODES = ['PASSED', 'FAILED', 'SKIPPED', 'BLOCKED'] as const;

export interface RankedRun {
  id: string;
  /** Position in start order: a higher rank supersedes a lower one. */
  rank: number;
  env: string;
}

export interface LatestPlan {
  projectId: string;
  /** The runs with at least one result. */
  runs: RankedRun[];
  /** Environment names in first-seen order; env_group is an index into it. */
  envNames: string[];
  /** Per environment group: the newest run, the older ones, and how to search them. */
  groups: { top: RankedRun; older: RankedRun[]; byCase: boolean }[];
}

export interface SqlParts {
  sql: string;
  params: string[];
}

/** Decides, from cheap counts, how each environment's older runs are searched. */
export async function planLatestResults(db: Database, projectId: string, runs: RankedRun[]): Promise<LatestPlan> {
  // A run without results (one just opened) contributes nothing, and must not
  // stand as its environment's newest run.
  const withResults = runs.length
    ? new Set(
        (
          await db.prisma.testRun.findMany({ where: { id: { in: runs.map((r) => r.id) }, results: { some: {} } }, select: { id: true } })
        ).map((r) => r.id),
      )
    : new Set<string>();
  const counted = runs.filter((r) => withResults.has(r.id));
  const envNames: string[] = [];
  for (const r of counted) if (!envNames.includes(r.env)) envNames.push(r.env);
  const perEnv = envNames.map((name) => counted.filter((r) => r.env === name).sort((a, b) => a.rank - b.rank));
  const needsPlan = perEnv.some((list) => list.length > 1);
  const [caseCount, topCounts] = needsPlan
    ? await Promise.all([
        db.prisma.testCase.count({ where: { projectId } }),
        db.prisma.testResult.groupBy({ by: ['runId'], where: { runId: { in: perEnv.map((l) => l.at(-1)!.id) } }, _count: { _all: true } }),
      ])
    : [0, []];
  const topSize = new Map(topCounts.map((c) => [c.runId, c._count._all]));
  const groups = perEnv.map((list) => {
    const top = list.at(-1)!;
    const older = list.slice(0, -1);
    const topRows = topSize.get(top.id) ?? 0;
    // Probes by case: every project case once, then each missing one per older
    // run. Probes by row: about topRows per older run (their sizes are unknown;
    // the newest run's is the estimate).
    const byCaseCost = caseCount + Math.max(caseCount - topRows, 0) * older.length;
    const byRowCost = topRows * older.length;
    return { top, older, byCase: byCaseCost <= byRowCost };
  });
  return { projectId, runs: counted, envNames, groups };
}

function placeholders(db: Database) {
  let i = 0;
  return () => (db.provider === 'postgresql' ? `$${++i}` : '?');
}

/**
 * A derived table (case_id, env_group, packed): one row per (case, environment)
 * with a result in the plan's runs. Embed it in a query with no other parameters.
 */
export function latestResultsSql(db: Database, plan: LatestPlan): SqlParts {
  const next = placeholders(db);
  const params: string[] = [];
  // Placeholders are numbered in text order, so the SQL is built left to right.
  const bind = (value: string) => {
    params.push(value);
    return next();
  };
  const status = `CASE r."status" ${STATUS_CODES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
  const packed = (runs: RankedRun[]) =>
    `(CASE r."runId" ${runs.map((r) => `WHEN ${bind(r.id)} THEN ${r.rank}`).join(' ')} END) * 8 + ${status} * 2 + CASE WHEN r."flaky" THEN 1 ELSE 0 END`;
  const list = (runs: RankedRun[]) => runs.map((r) => bind(r.id)).join(', ');

  const tops = plan.groups.map((g) => g.top);
  const envOfTop = `CASE r."runId" ${tops.map((r, i) => `WHEN ${bind(r.id)} THEN ${i}`).join(' ')} END`;
  const branches = [
    `SELECT r."caseId" AS case_id, ${envOfTop} AS env_group, ${packed(tops)} AS packed FROM "TestResult" r WHERE r."runId" IN (${list(tops)})`,
  ];
  plan.groups.forEach((g, envGroup) => {
    if (!g.older.length) return;
    if (g.byCase) {
      // CROSS JOIN fixes SQLite's join order (cases first); PostgreSQL plans it freely.
      branches.push(
        `SELECT r."caseId" AS case_id, ${envGroup} AS env_group, MAX(${packed(g.older)}) AS packed
           FROM "TestCase" c CROSS JOIN "TestResult" r
          WHERE c."projectId" = ${bind(plan.projectId)}
            AND NOT EXISTS (SELECT 1 FROM "TestResult" n WHERE n."runId" = ${bind(g.top.id)} AND n."caseId" = c."id")
            AND r."caseId" = c."id" AND r."runId" IN (${list(g.older)})
          GROUP BY r."caseId"`,
      );
    } else {
      branches.push(
        `SELECT r."caseId" AS case_id, ${envGroup} AS env_group, MAX(${packed(g.older)}) AS packed
           FROM "TestResult" r
          WHERE r."runId" IN (${list(g.older)})
            AND NOT EXISTS (SELECT 1 FROM "TestResult" n WHERE n."runId" = ${bind(g.top.id)} AND n."caseId" = r."caseId")
          GROUP BY r."caseId"`,
      );
    }
  });
  return { sql: branches.join('\n UNION ALL\n'), params };
}

/** Decodes packed % 8 into a status and the flaky flag. */
export function decodeStatus(code: number): { status: (typeof STATUS_CODES)[number]; flaky: boolean } {
  return { status: STATUS_CODES[Math.floor(code / 2)]!, flaky: code % 2 === 1 };
}

/**
 * Runs a read-only aggregate. On PostgreSQL, JIT is off for it: the planner's
 * estimates for these queries cross the JIT threshold, and compiling them costs
 * far more (seconds on a small machine) than running them.
 */
export async function queryAggregate<T>(db: Database, sql: string, params: string[]): Promise<T[]> {
  if (db.provider !== 'postgresql') return db.prisma.$queryRawUnsafe<T[]>(sql, ...params);
  // SET LOCAL needs a transaction; its timeout must not cut a slow read short.
  return db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL jit = off');
      return tx.$queryRawUnsafe<T[]>(sql, ...params);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
