// The current state of a milestone re-derived from its whole result history by
// the query readiness used before the state was kept at ingest
// (latest-results-query.ts): the oracle the maintained CurrentResult rows are
// checked against, by the property tests and by `shipgate doctor`.
import type { Database } from './open-database.js';
import { decodeStatus, latestResultsSql, planLatestResults, queryAggregate, type RankedRun } from './latest-results-query.js';
import { DEFAULT_ENVIRONMENT } from './current-state.js';

export interface StateRow {
  caseId: string;
  environment: string;
  runId: string;
  status: 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';
  flaky: boolean;
}

/** The milestone's runs that count, ranked in start order (a higher rank supersedes a lower one). */
export async function rankedRuns(db: Database, milestoneId: string): Promise<RankedRun[]> {
  const runs = await db.prisma.testRun.findMany({
    where: { milestoneId },
    select: { id: true, status: true, environment: { select: { name: true } } },
    orderBy: [{ startedAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
  });
  return runs
    .filter((r) => r.status !== 'ABORTED')
    .map((r, i) => ({ id: r.id, rank: i + 1, env: r.environment?.name ?? DEFAULT_ENVIRONMENT }));
}

export async function deriveCurrentState(db: Database, milestoneId: string): Promise<StateRow[]> {
  const milestone = await db.prisma.milestone.findUniqueOrThrow({ where: { id: milestoneId }, select: { projectId: true } });
  const plan = await planLatestResults(db, milestone.projectId, await rankedRuns(db, milestoneId));
  if (!plan.groups.length) return [];
  const inner = latestResultsSql(db, plan);
  const rows = await queryAggregate<{ case_id: string; env_group: number | bigint; packed: number | bigint }>(
    db,
    `SELECT l.case_id, l.env_group, l.packed FROM (${inner.sql}) l`,
    inner.params,
  );
  const runOfRank = new Map(plan.runs.map((r) => [r.rank, r.id]));
  return rows.map((row) => {
    const packed = Number(row.packed);
    return {
      caseId: row.case_id,
      environment: plan.envNames[Number(row.env_group)]!,
      runId: runOfRank.get(Math.floor(packed / 8))!,
      ...decodeStatus(packed % 8),
    };
  });
}

/** The maintained rows of a milestone, in the same shape. */
export async function readCurrentState(db: Database, milestoneId: string): Promise<StateRow[]> {
  const rows = await db.prisma.currentResult.findMany({
    where: { milestoneId },
    select: { caseId: true, environment: true, runId: true, status: true, flaky: true },
  });
  return rows;
}
