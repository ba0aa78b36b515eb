// Keeps FlakyCase, a milestone's (case, environment) pairs that are flaky across
// runs (SPEC §10, the default policy of domain/flaky-score.ts), in the
// transaction that changes their history, as current-state.ts keeps
// CurrentResult; readiness then reads the flaky pairs instead of computing them
// over the whole history. Each CurrentResult row keeps its pair's window
// ("recent": its last passed and failed results in run order, one mark each,
// see markSql), so an upload that appends to the pairs' sequences (results from
// their newest run) writes their FlakyCase rows from the windows alone
// (refreshFlakyCasesFromWindows): its cost does not grow with history. The
// windows, and the FlakyCase rows, are recomputed from history (windowsSql,
// flakinessSql) for the pairs where an upload does not append:
// - results applied for a run (pairsToRecompute, read before the current state
//   is written) that re-post, in the pair's current run, a different result, or
//   that come from a run older than the pair's current one (they land inside
//   the history);
// - a run aborted, reopened or moved: the cases it has results for, in its
//   environment (current-state.ts reconciles their windows);
// - a repair: the whole milestone.
import { ENVIRONMENT_NAME_SQL as ENV } from './environment-name.js';
import { execute, jsonTextList, select, type Provider, type RawSql } from './raw-sql.js';
import { flakinessSql, flakySql } from './flaky-cases-query.js';
import { refreshWindowsSql, windowStatsSql } from './flaky-window.js';
import type { AppliedResult } from './current-state.js';
const COLUMNS = `"milestoneId", "caseId", "environment", "results", "flips", "flipRate", "retried"`;

// The results being applied, beside the pair's current row.
const APPLIED = {
  sqlite: { key: `j.value->>0`, status: `j.value->>1`, flaky: `j.value->>2`, from: `json_each($2) j` },
  postgresql: { key: `v->>0`, status: `v->>1`, flaky: `(v->>2)::boolean`, from: `json_array_elements($2::json) AS j(v)` },
} as const;

// By primary key: without statistics SQLite would rather search by milestone alone (see raw-sql.ts).
const currentByKey = (provider: Provider) =>
  provider === 'sqlite' ? `"CurrentResult" c INDEXED BY "sqlite_autoindex_CurrentResult_1"` : `"CurrentResult" c`;

/** The environment of run $n, as CurrentResult names it. */
const envOfRun = (n: number) =>
  `(SELECT ${ENV} FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" WHERE t."id" = $${n})`;

/**
 * Before results of `runId` are applied to its milestone's state: the cases
 * whose window they change other than by appending (see the header), in the
 * run's environment.
 */
export async function pairsToRecompute(
  sql: RawSql,
  provider: Provider,
  runId: string,
  results: AppliedResult[],
): Promise<{ environment: string; caseIds: string[] } | null> {
  const a = APPLIED[provider];
  const text =
    `SELECT ${a.key} AS "caseId", ${ENV} AS "environment" FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" ` +
    `CROSS JOIN ${a.from} ` +
    // Joined left, so SQLite reads the results in order and seeks each pair's row.
    `LEFT JOIN ${currentByKey(provider)} ON c."milestoneId" = t."milestoneId" AND c."caseId" = ${a.key} AND c."environment" = ${ENV} ` +
    `WHERE t."id" = $1 AND t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED' AND c."caseId" IS NOT NULL ` +
    `AND ((c."runId" = t."id" AND (CAST(c."status" AS TEXT) <> ${a.status} OR c."flaky" <> ${a.flaky})) ` +
    `OR (c."runStartedAt", c."runCreatedAt", c."runId") > (t."startedAt", t."createdAt", t."id"))`;
  const applied = JSON.stringify(results.map((r) => [r.caseId, r.status, r.flaky]));
  const rows = await select<{ caseId: string; environment: string }>(sql, provider, text, runId, applied);
  if (!rows.length) return null;
  return { environment: rows[0]!.environment, caseIds: rows.map((r) => r.caseId) };
}

/** Recomputes the kept windows of `caseIds` in `environment` of a milestone from their history. */
export async function refreshWindows(
  sql: RawSql,
  provider: Provider,
  milestoneId: string,
  pairs: { environment: string; caseIds: string[] },
): Promise<void> {
  const where = `t."milestoneId" = $1 AND ${ENV} = $2 AND r."caseId" IN (${jsonTextList(provider, 3)})`;
  await execute(sql, provider, refreshWindowsSql(provider, where), milestoneId, pairs.environment, JSON.stringify(pairs.caseIds));
}

/**
 * After results of `runId` were applied (and the windows they did not append
 * to recomputed): the FlakyCase rows of `caseIds` in the run's environment of
 * `milestoneId`, written from their kept windows.
 */
export async function refreshFlakyCasesFromWindows(
  sql: RawSql,
  provider: Provider,
  milestoneId: string,
  runId: string,
  caseIds: string[],
): Promise<void> {
  const cases = jsonTextList(provider, 3);
  const real = provider === 'postgresql' ? 'DOUBLE PRECISION' : 'REAL';
  const w = windowStatsSql('c."recent"');
  const values = [milestoneId, runId, JSON.stringify(caseIds)];
  await execute(
    sql,
    provider,
    `DELETE FROM "FlakyCase" WHERE "milestoneId" = $1 AND "environment" = ${envOfRun(2)} AND "caseId" IN (${cases})`,
    ...values,
  );
  await execute(
    sql,
    provider,
    `INSERT INTO "FlakyCase" (${COLUMNS}) ` +
      `SELECT s."milestoneId", s."caseId", s."environment", s.n, s.flips, CAST(s.flips AS ${real}) / CAST(s.n - 1 AS ${real}), s.retried ` +
      `FROM (SELECT c."milestoneId", c."caseId", c."environment", ${w.results} AS n, ${w.flips} AS flips, ${w.retried} AS retried ` +
      `FROM ${currentByKey(provider)} WHERE c."milestoneId" = $1 AND c."environment" = ${envOfRun(2)} AND c."caseId" IN (${cases})) s ` +
      `WHERE ${flakySql('s.n', 's.flips')}`,
    ...values,
  );
}

/** After a run was aborted, reopened or moved: the flakiness of its cases in its environment, in `milestoneId`. */
export async function refreshFlakyCasesOfRun(sql: RawSql, provider: Provider, milestoneId: string, runId: string): Promise<void> {
  const casesOfRun = `(SELECT x."caseId" FROM "TestResult" x WHERE x."runId" = $2)`;
  await execute(
    sql,
    provider,
    `DELETE FROM "FlakyCase" WHERE "milestoneId" = $1 AND "environment" = ${envOfRun(2)} AND "caseId" IN ${casesOfRun}`,
    milestoneId,
    runId,
  );
  await execute(
    sql,
    provider,
    `INSERT INTO "FlakyCase" (${COLUMNS}) ` +
      flakinessSql(provider, `t."milestoneId" = $1 AND ${ENV} = ${envOfRun(2)} AND r."caseId" IN ${casesOfRun}`),
    milestoneId,
    runId,
  );
}

/** A milestone's flaky pairs recomputed from its whole history. */
export async function rebuildFlakyCases(sql: RawSql, provider: Provider, milestoneId: string): Promise<void> {
  await execute(sql, provider, `DELETE FROM "FlakyCase" WHERE "milestoneId" = $1`, milestoneId);
  await execute(sql, provider, `INSERT INTO "FlakyCase" (${COLUMNS}) ` + flakinessSql(provider, `t."milestoneId" = $1`), milestoneId);
}
