// Keeps CurrentResult, a milestone's current state (SPEC §2): per (case,
// environment) the result of the newest non-aborted run, runs ordered by
// (startedAt, createdAt, id). Every statement is set-based and runs inside the
// caller's transaction, so the state changes together with what changed it:
// - results stored for a run: upserted, a row replaced only by a run at least as
//   new as the one it came from (applyRunResults);
// - a run aborted or reopened, or moved between milestones: the (milestone,
//   environment, cases) it touches are recomputed from history (recomputeRun);
// - a repair or a first fill: a milestone rebuilt from history (rebuildMilestone).
// The same transaction keeps the milestone's flaky pairs (FlakyCase, flaky-state.ts).
// The history (TestResult) is never changed here. For a milestone with a scope,
// the same transaction recomputes whether the touched cases are covered
// (ScopeCase, scope-cases.ts); callers first take the locks of
// lockForStateChange, which say which milestones have one.
import { execute, type Provider, type RawSql } from './raw-sql.js';
import { coverAppliedResults, rebuildScopeCases, refreshCovered } from './scope-cases.js';
import { lockForStateChange } from './state-locks.js';
import { ENVIRONMENT_NAME_SQL } from './environment-name.js';
import { pairsToRecompute, rebuildFlakyCases, refreshFlakyCases, refreshFlakyCasesOfRun } from './flaky-state.js';

export { DEFAULT_ENVIRONMENT } from './environment-name.js';

const ENV = ENVIRONMENT_NAME_SQL;
const COLUMNS = `"milestoneId", "caseId", "environment", "runId", "runStartedAt", "runCreatedAt", "status", "flaky"`;
/** The column list to INSERT bestResultsSql's rows into CurrentResult with. */
export const CURRENT_RESULT_COLUMNS = `(${COLUMNS})`;
const FROM_RUNS = `FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" JOIN "TestResult" r ON r."runId" = t."id"`;
const ORDER = `t."startedAt" DESC, t."createdAt" DESC, t."id" DESC`;
// A row is replaced only by a result from a run at least as new, and only when it differs.
const ON_CONFLICT =
  `ON CONFLICT ("milestoneId", "caseId", "environment") DO UPDATE SET ` +
  ['runId', 'runStartedAt', 'runCreatedAt', 'status', 'flaky'].map((c) => `"${c}" = excluded."${c}"`).join(', ') +
  ` WHERE (excluded."runStartedAt", excluded."runCreatedAt", excluded."runId") >= ` +
  `("CurrentResult"."runStartedAt", "CurrentResult"."runCreatedAt", "CurrentResult"."runId") ` +
  `AND (excluded."runId" <> "CurrentResult"."runId" OR excluded."status" <> "CurrentResult"."status" OR excluded."flaky" <> "CurrentResult"."flaky")`;

/**
 * The best result per (milestone, case, environment) among the results that
 * `where` selects (over t: TestRun, e: Environment, r: TestResult), as rows
 * ready to insert. Also the SQL of the migration that first filled the table.
 */
export function bestResultsSql(where: string): string {
  return (
    `SELECT ${COLUMNS} FROM (SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", ${ENV} AS "environment", ` +
    `t."id" AS "runId", t."startedAt" AS "runStartedAt", t."createdAt" AS "runCreatedAt", r."status" AS "status", r."flaky" AS "flaky", ` +
    `ROW_NUMBER() OVER (PARTITION BY t."milestoneId", r."caseId", ${ENV} ORDER BY ${ORDER}) AS rn ` +
    `${FROM_RUNS} WHERE t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED' AND (${where})) best WHERE best.rn = 1`
  );
}

/** A result as just written for a run: what its current-state row will hold. */
export interface AppliedResult {
  caseId: string;
  status: 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';
  flaky: boolean;
}

// The results travel as one JSON parameter, as in bulk-results.ts: the rows just
// written are not read back from TestResult (that doubled the statement's cost).
const FROM_APPLIED = {
  sqlite:
    `SELECT t."milestoneId", j.value->>0, ${ENV}, t."id", t."startedAt", t."createdAt", j.value->>1, j.value->>2 ` +
    `FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" CROSS JOIN json_each($2) j`,
  postgresql:
    `SELECT t."milestoneId", v->>0, ${ENV}, t."id", t."startedAt", t."createdAt", (v->>1)::"ResultStatus", (v->>2)::boolean ` +
    `FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" CROSS JOIN json_array_elements($2::json) AS j(v)`,
} as const;

/** Whether the milestone whose state is written has a scope (from lockForStateChange). */
export interface StateTarget {
  milestoneId: string;
  scoped: boolean;
}

/**
 * After a run's results were written (the same rows, in the same transaction):
 * each becomes current unless a newer run of the milestone already holds that
 * case and environment. Does nothing for a run without a milestone or an aborted one.
 */
export async function applyRunResults(
  sql: RawSql,
  provider: Provider,
  runId: string,
  results: AppliedResult[],
  target: StateTarget,
): Promise<void> {
  if (!results.length) return;
  // Read before the state changes: which pairs' flakiness these results may change.
  const flakyPairs = await pairsToRecompute(sql, provider, runId, results);
  const statement =
    `INSERT INTO "CurrentResult" (${COLUMNS}) ${FROM_APPLIED[provider]} ` +
    `WHERE t."id" = $1 AND t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED' ` +
    ON_CONFLICT;
  await execute(sql, provider, statement, runId, JSON.stringify(results.map((r) => [r.caseId, r.status, r.flaky])));
  if (target.scoped) await coverAppliedResults(sql, provider, target.milestoneId, results);
  if (flakyPairs) await refreshFlakyCases(sql, provider, target.milestoneId, flakyPairs);
}

/**
 * Recomputes, in `milestoneId`, the current state of the cases `runId` has
 * results for, in its environment, from history: after the run was aborted or
 * reopened, or moved into or out of that milestone.
 */
export async function recomputeRun(sql: RawSql, provider: Provider, target: StateTarget, runId: string): Promise<void> {
  const { milestoneId } = target;
  const envOfRun = `(SELECT ${ENV} FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" WHERE t."id" = $2)`;
  const casesOfRun = `(SELECT x."caseId" FROM "TestResult" x WHERE x."runId" = $2)`;
  await execute(
    sql,
    provider,
    `DELETE FROM "CurrentResult" WHERE "milestoneId" = $1 AND "environment" = ${envOfRun} AND "caseId" IN ${casesOfRun}`,
    milestoneId,
    runId,
  );
  await execute(
    sql,
    provider,
    `INSERT INTO "CurrentResult" (${COLUMNS}) ` +
      bestResultsSql(`t."milestoneId" = $1 AND ${ENV} = ${envOfRun} AND r."caseId" IN ${casesOfRun}`),
    milestoneId,
    runId,
  );
  await refreshFlakyCasesOfRun(sql, provider, milestoneId, runId);
  if (target.scoped) {
    await refreshCovered(sql, provider, milestoneId, {
      subquery: `SELECT x."caseId" FROM "TestResult" x WHERE x."runId" = $2`,
      param: runId,
    });
  }
}

/**
 * Replaces a milestone's current state, and its scope's cases, with those
 * recomputed from its whole history, its stored scope and the project's cases;
 * takes the milestone's row exclusively first.
 */
export async function rebuildMilestone(sql: RawSql, provider: Provider, milestoneId: string): Promise<void> {
  const [milestone] = await sql.$queryRawUnsafe<{ projectId: string }[]>(
    provider === 'postgresql'
      ? `SELECT "projectId" FROM "Milestone" WHERE "id" = $1`
      : `SELECT "projectId" FROM "Milestone" WHERE "id" = ?`,
    milestoneId,
  );
  if (!milestone) return;
  await lockForStateChange(sql, provider, milestone.projectId, [milestoneId], { exclusive: true });
  await execute(sql, provider, `DELETE FROM "CurrentResult" WHERE "milestoneId" = $1`, milestoneId);
  await execute(sql, provider, `INSERT INTO "CurrentResult" (${COLUMNS}) ` + bestResultsSql(`t."milestoneId" = $1`), milestoneId);
  await rebuildScopeCases(sql, provider, milestoneId);
  await rebuildFlakyCases(sql, provider, milestoneId);
}
