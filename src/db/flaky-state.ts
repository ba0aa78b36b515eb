// Keeps FlakyCase, a milestone's (case, environment) pairs that are flaky across
// runs (SPEC §10, the default policy of domain/flaky-score.ts), in the
// transaction that changes their history, as current-state.ts keeps
// CurrentResult; readiness then reads the flaky pairs instead of computing them
// over the whole history. A pair is recomputed from its history
// (flakinessSql, bounded to the pairs given) when its history may have made it
// flaky or stopped it being flaky:
// - results applied for a run (pairsToRecompute, read before the current state
//   is written): a result for a pair already flaky, one whose status differs
//   from the pair's current one (a change, or a re-post that replaces a result),
//   or one older than the current one (it lands inside the history). The rest
//   repeat, as the newest result, the status the pair's history ended with (or
//   are its first result, or a skip after a skip): that adds no flip and can
//   only lower the flip rate, so a pair that was not flaky stays so;
// - a run aborted, reopened or moved: the cases it has results for, in its environment;
// - a repair: the whole milestone.
import { ENVIRONMENT_NAME_SQL as ENV } from './environment-name.js';
import { execute, jsonTextList, select, type Provider, type RawSql } from './raw-sql.js';
import { flakinessSql } from './flaky-cases-query.js';
import type { AppliedResult } from './current-state.js';
const COLUMNS = `"milestoneId", "caseId", "environment", "results", "flips", "flipRate", "retried"`;

// The results being applied, beside the pair's current row and its FlakyCase row.
const APPLIED = {
  sqlite: { key: `j.value->>0`, status: `j.value->>1`, from: `json_each($2) j` },
  postgresql: { key: `v->>0`, status: `v->>1`, from: `json_array_elements($2::json) AS j(v)` },
} as const;

/**
 * Before results of `runId` are applied to its milestone's state: the cases
 * whose flakiness they may change (see the header), in the run's environment.
 */
export async function pairsToRecompute(
  sql: RawSql,
  provider: Provider,
  runId: string,
  results: AppliedResult[],
): Promise<{ environment: string; caseIds: string[] } | null> {
  const a = APPLIED[provider];
  // By primary key: without statistics SQLite would rather search by milestone alone (see raw-sql.ts).
  const current = provider === 'sqlite' ? `"CurrentResult" c INDEXED BY "sqlite_autoindex_CurrentResult_1"` : `"CurrentResult" c`;
  const flaky = provider === 'sqlite' ? `"FlakyCase" f INDEXED BY "sqlite_autoindex_FlakyCase_1"` : `"FlakyCase" f`;
  const text =
    `SELECT ${a.key} AS "caseId", ${ENV} AS "environment" FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" ` +
    `CROSS JOIN ${a.from} ` +
    `LEFT JOIN ${current} ON c."milestoneId" = t."milestoneId" AND c."caseId" = ${a.key} AND c."environment" = ${ENV} ` +
    `LEFT JOIN ${flaky} ON f."milestoneId" = t."milestoneId" AND f."caseId" = ${a.key} AND f."environment" = ${ENV} ` +
    `WHERE t."id" = $1 AND t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED' ` +
    `AND (f."caseId" IS NOT NULL OR (c."caseId" IS NOT NULL AND (CAST(c."status" AS TEXT) <> ${a.status} ` +
    `OR (c."runStartedAt", c."runCreatedAt", c."runId") > (t."startedAt", t."createdAt", t."id"))))`;
  const applied = JSON.stringify(results.map((r) => [r.caseId, r.status]));
  const rows = await select<{ caseId: string; environment: string }>(sql, provider, text, runId, applied);
  if (!rows.length) return null;
  return { environment: rows[0]!.environment, caseIds: rows.map((r) => r.caseId) };
}

/** Recomputes the flakiness of `caseIds` in `environment` of a milestone from their history. */
export async function refreshFlakyCases(
  sql: RawSql,
  provider: Provider,
  milestoneId: string,
  pairs: { environment: string; caseIds: string[] },
): Promise<void> {
  const cases = jsonTextList(provider, 3);
  await execute(
    sql,
    provider,
    `DELETE FROM "FlakyCase" WHERE "milestoneId" = $1 AND "environment" = $2 AND "caseId" IN (${cases})`,
    milestoneId,
    pairs.environment,
    JSON.stringify(pairs.caseIds),
  );
  await execute(
    sql,
    provider,
    `INSERT INTO "FlakyCase" (${COLUMNS}) ` + flakinessSql(provider, `t."milestoneId" = $1 AND ${ENV} = $2 AND r."caseId" IN (${cases})`),
    milestoneId,
    pairs.environment,
    JSON.stringify(pairs.caseIds),
  );
}

/** After a run was aborted, reopened or moved: the flakiness of its cases in its environment, in `milestoneId`. */
export async function refreshFlakyCasesOfRun(sql: RawSql, provider: Provider, milestoneId: string, runId: string): Promise<void> {
  const envOfRun = `(SELECT ${ENV} FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" WHERE t."id" = $2)`;
  const casesOfRun = `(SELECT x."caseId" FROM "TestResult" x WHERE x."runId" = $2)`;
  await execute(
    sql,
    provider,
    `DELETE FROM "FlakyCase" WHERE "milestoneId" = $1 AND "environment" = ${envOfRun} AND "caseId" IN ${casesOfRun}`,
    milestoneId,
    runId,
  );
  await execute(
    sql,
    provider,
    `INSERT INTO "FlakyCase" (${COLUMNS}) ` +
      flakinessSql(provider, `t."milestoneId" = $1 AND ${ENV} = ${envOfRun} AND r."caseId" IN ${casesOfRun}`),
    milestoneId,
    runId,
  );
}

/** A milestone's flaky pairs recomputed from its whole history. */
export async function rebuildFlakyCases(sql: RawSql, provider: Provider, milestoneId: string): Promise<void> {
  await execute(sql, provider, `DELETE FROM "FlakyCase" WHERE "milestoneId" = $1`, milestoneId);
  await execute(sql, provider, `INSERT INTO "FlakyCase" (${COLUMNS}) ` + flakinessSql(provider, `t."milestoneId" = $1`), milestoneId);
}
