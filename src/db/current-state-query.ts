// What the verdict needs from the current state, in ONE query so the latest
// result per (case, environment) is computed once: counts per environment and
// status (with critical failures), the first critical failures by key, and —
// only when the milestone has a scope — the ids of cases whose latest result
// somewhere was executed (as one JSON array). The derived table is a CTE referenced more than once,
// which both SQLite and PostgreSQL (12+) materialize once.
//
// Nothing is JOINed to the CTE: a planner misjudging its size (PostgreSQL has no
// statistics for it) may pick a nested loop that rescans it per row, seconds at
// this scale. Case attributes come from scalar subqueries on the primary key,
// asked only for failures.
import type { Database } from './open-database.js';
import { decodeStatus, latestResultsSql, queryAggregate, type LatestPlan, type STATUS_CODES } from './latest-results-query.js';

export interface CurrentState {
  counts: { env: string; status: (typeof STATUS_CODES)[number]; flaky: boolean; critical: number; n: number }[];
  criticalSample: { key: string; title: string; environment: string }[];
  /** Ids of cases with an executed (not skipped) latest result; null unless asked for. */
  covered: Set<string> | null;
}

interface Row {
  kind: number | bigint;
  env_group: number | bigint | null;
  code: number | bigint | null;
  n: number | bigint | null;
  critical: number | bigint | string | null;
  case_id: string | null;
  key: string | null;
  title: string | null;
}

export async function loadCurrentState(
  db: Database,
  plan: LatestPlan,
  options: { sample: number; covered: boolean },
): Promise<CurrentState> {
  const state: CurrentState = { counts: [], criticalSample: [], covered: options.covered ? new Set() : null };
  if (!plan.groups.length) return state;
  const inner = latestResultsSql(db, plan);
  const pg = db.provider === 'postgresql';
  const NULL_INT = 'CAST(NULL AS INTEGER)';
  const NULL_TEXT = 'CAST(NULL AS TEXT)';
  const isCritical = (caseId: string) => `(SELECT CASE WHEN c."critical" THEN 1 ELSE 0 END FROM "TestCase" c WHERE c."id" = ${caseId})`;
  // Status codes (packed % 8): 0,1 passed · 2,3 failed · 4,5 skipped · 6,7 blocked.
  const branches = [
    `SELECT 0 AS kind, s.env_group AS env_group, s.packed % 8 AS code, COUNT(*) AS n,
            SUM(CASE WHEN s.packed % 8 IN (2, 3) THEN ${isCritical('s.case_id')} ELSE 0 END) AS critical,
            ${NULL_TEXT} AS case_id, ${NULL_TEXT} AS key, ${NULL_TEXT} AS title
       FROM latest s GROUP BY s.env_group, s.packed % 8`,
    // Byte order on both databases, so both pick the same sample. (A LIMIT inside
    // UNION ALL needs a SELECT of its own.)
    `SELECT * FROM (SELECT * FROM (
       SELECT 2 AS kind, f.env_group AS env_group, ${NULL_INT} AS code, ${NULL_INT} AS n, ${NULL_INT} AS critical, f.case_id AS case_id,
              (SELECT c."key" FROM "TestCase" c WHERE c."id" = f.case_id) AS key,
              (SELECT c."title" FROM "TestCase" c WHERE c."id" = f.case_id) AS title
         FROM latest f
        WHERE f.packed % 8 IN (2, 3) AND ${isCritical('f.case_id')} = 1) sample
      ORDER BY sample.key${pg ? ' COLLATE "C"' : ''}, sample.env_group LIMIT ${Math.floor(options.sample)}) first_failures`,
  ];
  if (options.covered) {
    // One JSON array rather than a row per case: far less to map in the client.
    const ids = pg ? `json_agg(s.case_id)::text` : `json_group_array(s.case_id)`;
    branches.push(
      `SELECT 1 AS kind, ${NULL_INT} AS env_group, ${NULL_INT} AS code, ${NULL_INT} AS n, ${NULL_INT} AS critical, ${ids} AS case_id, ${NULL_TEXT} AS key, ${NULL_TEXT} AS title
         FROM latest s WHERE s.packed % 8 NOT IN (4, 5)`,
    );
  }
  const sql = `WITH latest AS (${inner.sql})\n${branches.join('\nUNION ALL\n')}`;
  const rows = await queryAggregate<Row>(db, sql, inner.params);

  for (const row of rows) {
    const kind = Number(row.kind);
    if (kind === 0) {
      state.counts.push({
        env: plan.envNames[Number(row.env_group)]!,
        ...decodeStatus(Number(row.code)),
        critical: Number(row.critical ?? 0),
        n: Number(row.n),
      });
    } else if (kind === 1) {
      for (const id of JSON.parse(row.case_id ?? '[]') as string[]) state.covered!.add(id);
    } else state.criticalSample.push({ key: row.key!, title: row.title!, environment: plan.envNames[Number(row.env_group)]! });
  }
  // UNION ALL keeps each branch's rows but not their order across branches.
  state.criticalSample.sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : plan.envNames.indexOf(a.environment) - plan.envNames.indexOf(b.environment),
  );
  return state;
}
