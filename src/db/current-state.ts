// Keeps CurrentResult, a milestone's current state (SPEC §2): per (case,
// environment) the result of the newest non-aborted run, runs ordered by
// (startedAt, createdAt, id). Every statement is set-based and runs inside the
// caller's transaction, so the state changes together with what changed it:
// - results stored for a run: upserted, a row replaced only by a run at least as
//   new as the one it came from (applyRunResults);
// - a run aborted or reopened, or moved between milestones: the (milestone,
//   environment, cases) it touches are recomputed from history (recomputeRun);
// - a repair or a first fill: a milestone rebuilt from history (rebuildMilestone).
// Each write dates itself: a row keeps when it appeared and when it was last
// written, never earlier than before (uploads may commit out of order). A change
// of status or flaky flag is logged in StateChange, from and to (a trigger on the
// update, in the migration); a row removed is logged here before it goes.
// That log is the state's past, which the changes since a moment read
// (test-changes-query.ts). The same transaction keeps each row's window of recent
// results (flaky-window.ts) and the milestone's flaky pairs (FlakyCase, flaky-state.ts).
// The history (TestResult) is never changed here. For a milestone with a scope,
// the same transaction recomputes whether the touched cases are covered
// (ScopeCase, scope-cases.ts); callers first take the locks of
// lockForStateChange, which say which milestones have one.
import { execute, type Provider, type RawSql } from './raw-sql.js';
import { timestamp } from './bulk-results.js';
import { coverAppliedResults, rebuildScopeCases, refreshCovered } from './scope-cases.js';
import { lockForStateChange } from './state-locks.js';
import { ENVIRONMENT_NAME_SQL } from './environment-name.js';
import {
  pairsToRecompute,
  rebuildFlakyCases,
  refreshFlakyCasesFromWindows,
  refreshFlakyCasesOfRun,
  refreshWindows,
} from './flaky-state.js';
import { appendSql, markSql, refreshWindowsSql } from './flaky-window.js';

export { DEFAULT_ENVIRONMENT } from './environment-name.js';

const ENV = ENVIRONMENT_NAME_SQL;
const STATE = `"milestoneId", "caseId", "environment", "runId", "runStartedAt", "runCreatedAt", "status", "flaky"`;
const COLUMNS = `${STATE}, "appearedAt", "changedAt"`;
/** The column list to INSERT bestResultsSql's rows into CurrentResult with. */
export const CURRENT_RESULT_COLUMNS = `(${COLUMNS})`;
const FROM_RUNS = `FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" JOIN "TestResult" r ON r."runId" = t."id"`;
const ORDER = `t."startedAt" DESC, t."createdAt" DESC, t."id" DESC`;
const PAIR = `PARTITION BY t."milestoneId", r."caseId", ${ENV}`;

/** The later of two moments (the scalar max of SQLite, GREATEST of PostgreSQL). */
const later = (provider: Provider, a: string, b: string) => `${provider === 'postgresql' ? 'GREATEST' : 'MAX'}(${a}, ${b})`;

/** Parameter $n as a moment. */
const moment = (provider: Provider, n: number) => (provider === 'postgresql' ? `$${n}::timestamp(3)` : `$${n}`);

// A row is replaced only when it differs; its changedAt never goes back. From
// uploads (the rows carry their result's mark as "recent"), a result from a
// newer run appends its mark to the row's window; a re-post into the row's run
// keeps the window, which the caller then recomputes from history if the result
// changed. Recomputes set the windows after (refreshWindowsSql).
const onConflict = (provider: Provider, onlyByNewerRun: boolean) =>
  `ON CONFLICT ("milestoneId", "caseId", "environment") DO UPDATE SET ` +
  ['runId', 'runStartedAt', 'runCreatedAt', 'status', 'flaky'].map((c) => `"${c}" = excluded."${c}"`).join(', ') +
  `, "changedAt" = ${later(provider, 'excluded."changedAt"', '"CurrentResult"."changedAt"')}` +
  (onlyByNewerRun
    ? `, "recent" = CASE WHEN excluded."runId" <> "CurrentResult"."runId" ` +
      `THEN ${appendSql(provider, '"CurrentResult"."recent"', 'excluded."recent"')} ELSE "CurrentResult"."recent" END`
    : '') +
  ` WHERE ` +
  // From uploads, only a result from a run at least as new replaces a row.
  (onlyByNewerRun
    ? `(excluded."runStartedAt", excluded."runCreatedAt", excluded."runId") >= ` +
      `("CurrentResult"."runStartedAt", "CurrentResult"."runCreatedAt", "CurrentResult"."runId") AND `
    : '') +
  `(excluded."runId" <> "CurrentResult"."runId" OR excluded."status" <> "CurrentResult"."status" OR excluded."flaky" <> "CurrentResult"."flaky")`;

/**
 * The best result per (milestone, case, environment) among the results that
 * `where` selects (over t: TestRun, e: Environment, r: TestResult), as rows
 * ready to insert: appeared and written at the moments given (SQL), by default
 * as history says (the pair's first counted result, the best one's recording).
 */
export function bestResultsSql(where: string, dates: { appearedAt?: string; changedAt?: string } = {}): string {
  return (
    `SELECT ${STATE}, ${dates.appearedAt ?? 'best."firstAt"'}, ${dates.changedAt ?? 'best."recordedAt"'} FROM (SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", ${ENV} AS "environment", ` +
    `t."id" AS "runId", t."startedAt" AS "runStartedAt", t."createdAt" AS "runCreatedAt", r."status" AS "status", r."flaky" AS "flaky", ` +
    `r."recordedAt" AS "recordedAt", MIN(r."recordedAt") OVER (${PAIR}) AS "firstAt", ` +
    `ROW_NUMBER() OVER (${PAIR} ORDER BY ${ORDER}) AS rn ` +
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
    `SELECT t."milestoneId", j.value->>0, ${ENV}, t."id", t."startedAt", t."createdAt", j.value->>1, j.value->>2, $3, $3, ` +
    `${markSql('j.value->>1', 'j.value->>2')} ` +
    `FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" CROSS JOIN json_each($2) j`,
  postgresql:
    `SELECT t."milestoneId", v->>0, ${ENV}, t."id", t."startedAt", t."createdAt", (v->>1)::"ResultStatus", (v->>2)::boolean, $3::timestamp(3), $3::timestamp(3), ` +
    `${markSql('v->>1', '(v->>2)::boolean')} ` +
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
  now: Date,
): Promise<void> {
  if (!results.length) return;
  // Read before the state changes: the pairs whose window these results change other than by appending.
  const inside = await pairsToRecompute(sql, provider, runId, results);
  const statement =
    `INSERT INTO "CurrentResult" (${COLUMNS}, "recent") ${FROM_APPLIED[provider]} ` +
    `WHERE t."id" = $1 AND t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED' ` +
    onConflict(provider, true);
  const rows = JSON.stringify(results.map((r) => [r.caseId, r.status, r.flaky]));
  await execute(sql, provider, statement, runId, rows, timestamp(provider, now));
  if (target.scoped) await coverAppliedResults(sql, provider, target.milestoneId, results);
  if (inside) await refreshWindows(sql, provider, target.milestoneId, inside);
  await refreshFlakyCasesFromWindows(
    sql,
    provider,
    target.milestoneId,
    runId,
    results.map((r) => r.caseId),
  );
}

/**
 * Makes the rows of `milestoneId` that `pairs` selects (over s: CurrentResult,
 * SQL using $1 for the milestone, $2 for `param`) what history gives: each pair
 * with a counted result takes its best one, and a pair left without one is
 * logged in StateChange (to nothing) and removed. Changes are dated $3 (`now`),
 * as are new rows' appearances unless `appearedAt` says to take history's.
 */
async function reconcile(
  sql: RawSql,
  provider: Provider,
  milestoneId: string,
  scope: { pairs: string; history: string; param: string },
  now: Date,
  appearedAt: 'now' | 'history',
): Promise<void> {
  const at = moment(provider, 3);
  const counted =
    `SELECT 1 FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId" ` +
    `WHERE r."caseId" = s."caseId" AND t."milestoneId" = $1 AND t."status" <> 'ABORTED' AND ${ENV} = s."environment"`;
  const gone = `s."milestoneId" = $1 AND (${scope.pairs}) AND NOT EXISTS (${counted})`;
  const values = [milestoneId, scope.param, timestamp(provider, now)];
  // Each statement gets the parameters up to the last it names (PostgreSQL refuses unused ones).
  const run = (text: string) =>
    execute(sql, provider, text, ...values.slice(0, Math.max(...[...text.matchAll(/\$(\d)/g)].map((m) => Number(m[1])))));
  await run(
    `INSERT INTO "StateChange" ("milestoneId", "caseId", "environment", "changedAt", "fromStatus", "fromFlaky", "appearedAt", "toStatus", "toFlaky") ` +
      `SELECT s."milestoneId", s."caseId", s."environment", ${later(provider, at, 's."changedAt"')}, s."status", s."flaky", s."appearedAt", NULL, NULL ` +
      `FROM "CurrentResult" s WHERE ${gone} ` +
      `ON CONFLICT ("milestoneId", "caseId", "environment", "changedAt") DO UPDATE SET "toStatus" = NULL, "toFlaky" = NULL`,
  );
  await run(
    `DELETE FROM "CurrentResult" WHERE ("milestoneId", "caseId", "environment") IN ` +
      `(SELECT s."milestoneId", s."caseId", s."environment" FROM "CurrentResult" s WHERE ${gone})`,
  );
  await run(
    `INSERT INTO "CurrentResult" (${COLUMNS}) ` +
      bestResultsSql(`t."milestoneId" = $1 AND (${scope.history})`, { appearedAt: appearedAt === 'now' ? at : undefined, changedAt: at }) +
      ` ${onConflict(provider, false)}`,
  );
  await run(refreshWindowsSql(provider, `t."milestoneId" = $1 AND (${scope.history})`));
}

/**
 * Recomputes, in `milestoneId`, the current state of the cases `runId` has
 * results for, in its environment, from history: after the run was aborted or
 * reopened, or moved into or out of that milestone. Dated `now`.
 */
export async function recomputeRun(sql: RawSql, provider: Provider, target: StateTarget, runId: string, now: Date): Promise<void> {
  const { milestoneId } = target;
  const envOfRun = `(SELECT ${ENV} FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" WHERE t."id" = $2)`;
  const casesOfRun = `(SELECT x."caseId" FROM "TestResult" x WHERE x."runId" = $2)`;
  await reconcile(
    sql,
    provider,
    milestoneId,
    {
      pairs: `s."environment" = ${envOfRun} AND s."caseId" IN ${casesOfRun}`,
      history: `${ENV} = ${envOfRun} AND r."caseId" IN ${casesOfRun}`,
      param: runId,
    },
    now,
    'now',
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
 * Makes a milestone's current state, and its scope's cases, those recomputed
 * from its whole history, its stored scope and the project's cases; takes the
 * milestone's row exclusively first. Rows that were right stay as they were;
 * the others change (logged as of `now`), and new ones appeared as history says.
 */
export async function rebuildMilestone(sql: RawSql, provider: Provider, milestoneId: string, now: Date): Promise<void> {
  const [milestone] = await sql.$queryRawUnsafe<{ projectId: string }[]>(
    provider === 'postgresql'
      ? `SELECT "projectId" FROM "Milestone" WHERE "id" = $1`
      : `SELECT "projectId" FROM "Milestone" WHERE "id" = ?`,
    milestoneId,
  );
  if (!milestone) return;
  await lockForStateChange(sql, provider, milestone.projectId, [milestoneId], { exclusive: true });
  // The milestone twice ($1, $2): the scope is the whole milestone.
  const whole = { pairs: `s."milestoneId" = $2`, history: `t."milestoneId" = $2`, param: milestoneId };
  await reconcile(sql, provider, milestoneId, whole, now, 'history');
  await rebuildScopeCases(sql, provider, milestoneId);
  await rebuildFlakyCases(sql, provider, milestoneId);
}
