// One page of a milestone's current state per (case, environment), read from the
// rows kept at ingest (CurrentResult), with the run where each state began:
// what GET …/milestones/{id}/tests answers. Failed first, then by case key and
// environment in byte order on both databases, paged by that key (keyset), so a
// page costs the same wherever it starts and no row is skipped or repeated.
import { DEFAULT_ENVIRONMENT } from './current-state.js';
import type { StateRow } from './derive-current-state.js';
import type { Database } from './open-database.js';
import { jsonTextList } from './raw-sql.js';
import { query } from './raw-query.js';

export type TestStatus = StateRow['status'];

export interface MilestoneTestsFilter {
  status?: TestStatus;
  environment?: string;
  /**
   * true: tests whose current result passed only on retry, or that are flaky across
   * runs (`flakyPairs`); false: the others.
   */
  flaky?: boolean;
  /** The pairs flaky across runs (flaky-cases-query.ts), which `flaky` selects together with retried passes. */
  flakyPairs?: readonly { caseId: string; environment: string }[];
  /** new: failing now after passing in the previous result; still: failing now and before (regressions-query.ts). */
  regression?: 'new' | 'still';
  /** The failing pairs of that kind, which `regression` selects. */
  regressionPairs?: readonly { caseId: string; environment: string }[];
}

/** An EXISTS over a JSON list of [caseId, environment] pairs, matching the row s. */
function inPairs(pg: boolean, n: number): string {
  return pg
    ? `EXISTS (SELECT 1 FROM json_array_elements($${n}::json) AS j(v) WHERE v->>0 = s."caseId" AND v->>1 = s."environment")`
    : `EXISTS (SELECT 1 FROM json_each($${n}) j WHERE j.value->>0 = s."caseId" AND j.value->>1 = s."environment")`;
}

/** Where a page starts: just after this row in the listing's order. */
export interface TestsPosition {
  /** 0 for FAILED, 1 for any other status. */
  rank: 0 | 1;
  key: string;
  environment: string;
}

export interface MilestoneTestRow {
  caseId: string;
  key: string;
  title: string;
  suite: string | null;
  critical: boolean;
  environment: string;
  status: TestStatus;
  flaky: boolean;
  message: string | null;
  /** The run the current result came from. */
  runId: string;
  /** The earliest run of the unbroken streak of this status (see sinceRuns). */
  sinceRunId: string;
}

export function positionOf(row: Pick<MilestoneTestRow, 'status' | 'key' | 'environment'>): TestsPosition {
  return { rank: row.status === 'FAILED' ? 0 : 1, key: row.key, environment: row.environment };
}

interface PageRow {
  caseId: string;
  key: string;
  title: string;
  suite: string | null;
  critical: boolean | number | bigint;
  environment: string;
  status: TestStatus;
  flaky: boolean | number | bigint;
  message: string | null;
  runId: string;
}

function filterSql(db: Database, filter: MilestoneTestsFilter, values: unknown[]): string {
  const pg = db.provider === 'postgresql';
  const parts = [`s."milestoneId" = $1`];
  if (filter.status) {
    values.push(filter.status);
    parts.push(`s."status" = ${pg ? `CAST($${values.length} AS "ResultStatus")` : `$${values.length}`}`);
  }
  if (filter.environment !== undefined) {
    values.push(filter.environment);
    parts.push(`s."environment" = $${values.length}`);
  }
  if (filter.flaky !== undefined) {
    let flaky = `s."flaky" = ${pg ? 'true' : '1'}`;
    if (filter.flakyPairs?.length) {
      values.push(JSON.stringify(filter.flakyPairs.map((p) => [p.caseId, p.environment])));
      flaky = `(${flaky} OR ${inPairs(pg, values.length)})`;
    }
    parts.push(filter.flaky ? flaky : `NOT ${flaky}`);
  }
  if (filter.regression !== undefined) {
    values.push(JSON.stringify((filter.regressionPairs ?? []).map((p) => [p.caseId, p.environment])));
    parts.push(`s."status" = ${pg ? `CAST('FAILED' AS "ResultStatus")` : `'FAILED'`} AND ${inPairs(pg, values.length)}`);
  }
  return parts.join(' AND ');
}

/** How many (case, environment) pairs the filter selects. */
export async function countMilestoneTests(db: Database, milestoneId: string, filter: MilestoneTestsFilter): Promise<number> {
  const values: unknown[] = [milestoneId];
  const where = filterSql(db, filter, values);
  const [row] = await query<{ n: number | bigint | string }>(db, `SELECT COUNT(*) AS n FROM "CurrentResult" s WHERE ${where}`, values);
  return Number(row?.n ?? 0);
}

/** Up to `limit` rows after `after` (from the start without it), in the listing's order. */
export async function loadMilestoneTests(
  db: Database,
  milestoneId: string,
  options: { filter: MilestoneTestsFilter; after: TestsPosition | null; limit: number },
): Promise<MilestoneTestRow[]> {
  const pg = db.provider === 'postgresql';
  // Byte order on both databases (SQLite compares text as bytes), so a cursor means the same on either.
  const C = pg ? ' COLLATE "C"' : '';
  const values: unknown[] = [milestoneId];
  let where = filterSql(db, options.filter, values);
  const rank = `CASE WHEN s."status" = 'FAILED' THEN 0 ELSE 1 END`;
  if (options.after) {
    const { rank: r, key, environment } = options.after;
    values.push(r, key, environment);
    const n = values.length;
    where +=
      ` AND (${rank} > CAST($${n - 2} AS INTEGER) OR (${rank} = CAST($${n - 2} AS INTEGER) AND ` +
      `(c."key"${C} > $${n - 1}${C} OR (c."key" = $${n - 1} AND s."environment"${C} > $${n}${C}))))`;
  }
  const sql =
    `SELECT s."caseId" AS "caseId", c."key" AS "key", c."title" AS "title", c."suite" AS "suite", c."critical" AS "critical", ` +
    `s."environment" AS "environment", CAST(s."status" AS TEXT) AS "status", s."flaky" AS "flaky", m."message" AS "message", s."runId" AS "runId" ` +
    `FROM "CurrentResult" s JOIN "TestCase" c ON c."id" = s."caseId" ` +
    `LEFT JOIN "TestResult" m ON m."runId" = s."runId" AND m."caseId" = s."caseId" ` +
    `WHERE ${where} ORDER BY ${rank}, c."key"${C}, s."environment"${C} LIMIT ${Math.floor(options.limit)}`;
  const rows = await query<PageRow>(db, sql, values);
  const since = await sinceRuns(db, milestoneId, rows);
  return rows.map((r) => ({
    ...r,
    critical: Boolean(Number(r.critical)),
    flaky: Boolean(Number(r.flaky)),
    sinceRunId: since.get(pairKey(r.caseId, r.environment)) ?? r.runId,
  }));
}

const pairKey = (caseId: string, environment: string) => `${caseId}\u0000${environment}`;

/**
 * For each (case, environment), the run where its current status began: walking
 * the milestone's non-aborted runs that have a result for the case in that
 * environment from the newest back (the order that picks the current result:
 * startedAt, createdAt, id), the oldest run before a result with another status.
 * A run with no result for the case neither starts nor breaks the streak; an
 * aborted run does not count at all (as for the current state).
 *
 * In SQL: numbered newest first over all of a pair's results (rn) and over those
 * of one status (rs), the results of the newest streak are exactly those with
 * rn = rs; the since-run is the last of them.
 */
async function sinceRuns(db: Database, milestoneId: string, rows: readonly PageRow[]): Promise<Map<string, string>> {
  if (!rows.length) return new Map();
  const env = `COALESCE(e."name", '${DEFAULT_ENVIRONMENT}')`;
  const order = `t."startedAt" DESC, t."createdAt" DESC, t."id" DESC`;
  const list = (n: number) => jsonTextList(db.provider, n);
  const sql =
    `SELECT y."caseId" AS "caseId", y."environment" AS "environment", y."runId" AS "runId" FROM (` +
    `SELECT x."caseId", x."environment", x."runId", ROW_NUMBER() OVER (PARTITION BY x."caseId", x."environment" ORDER BY x.rn DESC) AS k FROM (` +
    `SELECT r."caseId" AS "caseId", ${env} AS "environment", t."id" AS "runId", ` +
    `ROW_NUMBER() OVER (PARTITION BY r."caseId", ${env} ORDER BY ${order}) AS rn, ` +
    `ROW_NUMBER() OVER (PARTITION BY r."caseId", ${env}, r."status" ORDER BY ${order}) AS rs ` +
    `FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId" ` +
    `WHERE r."caseId" IN (${list(2)}) AND t."milestoneId" = $1 AND t."status" <> 'ABORTED' AND ${env} IN (${list(3)})` +
    `) x WHERE x.rn = x.rs) y WHERE y.k = 1`;
  const caseIds = JSON.stringify([...new Set(rows.map((r) => r.caseId))]);
  const envs = JSON.stringify([...new Set(rows.map((r) => r.environment))]);
  const found = await query<{ caseId: string; environment: string; runId: string }>(db, sql, [milestoneId, caseIds, envs]);
  return new Map(found.map((f) => [pairKey(f.caseId, f.environment), f.runId]));
}
