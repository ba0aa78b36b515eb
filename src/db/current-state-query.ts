// What the verdict needs from a milestone's current state, read from the rows
// kept at ingest (CurrentResult, src/db/current-state.ts) rather than derived
// from the result history, so the cost follows the number of (case,
// environment) pairs, not the number of results ever stored. One query: counts
// per environment, status and flaky, the critical failures (counted, and the
// first few by key). Both come from the index on (milestoneId, status,
// environment, flaky, caseId): the counts without touching the table, the
// failures by seeking the FAILED range.
import type { Database } from './open-database.js';
import type { StateRow } from './derive-current-state.js';

export interface CurrentState {
  counts: { env: string; status: StateRow['status']; flaky: boolean; critical: number; n: number }[];
  criticalSample: { key: string; title: string; environment: string }[];
}

interface Row {
  kind: number | bigint;
  env: string;
  status: StateRow['status'] | null;
  flaky: number | bigint | null;
  n: number | bigint | string | null;
  key: string | null;
  title: string | null;
}

export async function loadCurrentState(db: Database, milestoneId: string, options: { sample: number }): Promise<CurrentState> {
  const pg = db.provider === 'postgresql';
  const p = pg ? ['$1', '$2', '$3'] : ['?', '?', '?'];
  const critical = `c."critical" = ${pg ? 'true' : '1'}`;
  const flaky = `CASE WHEN s."flaky" THEN 1 ELSE 0 END`;
  const NULL_TEXT = 'CAST(NULL AS TEXT)';
  const NULL_INT = 'CAST(NULL AS INTEGER)';
  const sql = `
    SELECT 0 AS kind, s."environment" AS env, CAST(s."status" AS TEXT) AS status, ${flaky} AS flaky, COUNT(*) AS n,
           CAST(NULL AS TEXT) AS key, CAST(NULL AS TEXT) AS title
      FROM "CurrentResult" s WHERE s."milestoneId" = ${p[0]} GROUP BY s."status", s."environment", s."flaky"
    UNION ALL
    SELECT 1, f."environment", ${NULL_TEXT}, ${NULL_INT}, COUNT(*), ${NULL_TEXT}, ${NULL_TEXT}
      FROM "CurrentResult" f JOIN "TestCase" c ON c."id" = f."caseId"
     WHERE f."milestoneId" = ${p[1]} AND f."status" = 'FAILED' AND ${critical} GROUP BY f."environment"
    UNION ALL
    SELECT * FROM (SELECT 2, f."environment", ${NULL_TEXT}, ${NULL_INT}, CAST(NULL AS BIGINT), c."key", c."title"
      FROM "CurrentResult" f JOIN "TestCase" c ON c."id" = f."caseId"
     WHERE f."milestoneId" = ${p[2]} AND f."status" = 'FAILED' AND ${critical}
     -- Byte order on both databases, so both pick the same sample.
     ORDER BY c."key"${pg ? ' COLLATE "C"' : ''}, f."environment"${pg ? ' COLLATE "C"' : ''} LIMIT ${Math.floor(options.sample)}) first_failures`;
  const rows = await db.prisma.$queryRawUnsafe<Row[]>(sql, milestoneId, milestoneId, milestoneId);

  const state: CurrentState = { counts: [], criticalSample: [] };
  const criticalByEnv = new Map<string, number>();
  for (const row of rows) {
    const kind = Number(row.kind);
    if (kind === 0) state.counts.push({ env: row.env, status: row.status!, flaky: Boolean(row.flaky), critical: 0, n: Number(row.n) });
    else if (kind === 1) criticalByEnv.set(row.env, Number(row.n));
    else state.criticalSample.push({ key: row.key!, title: row.title!, environment: row.env });
  }
  for (const [env, n] of criticalByEnv) {
    const failed = state.counts.find((c) => c.env === env && c.status === 'FAILED');
    if (failed) failed.critical = n;
  }
  // UNION ALL keeps each branch's rows but not their order across branches.
  state.criticalSample.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.environment < b.environment ? -1 : 1));
  return state;
}

/**
 * Of the given cases, those with an executed (not skipped) current result in
 * some environment: the scope's coverage, probed by primary key per case.
 */
export async function loadCoveredCases(db: Database, milestoneId: string, caseIds: string[]): Promise<Set<string>> {
  if (!caseIds.length) return new Set();
  const ids = db.provider === 'postgresql' ? `SELECT json_array_elements_text($2::json)` : `SELECT j.value FROM json_each(?) j`;
  const sql =
    `SELECT DISTINCT s."caseId" AS id FROM "CurrentResult" s ` +
    `WHERE s."milestoneId" = ${db.provider === 'postgresql' ? '$1' : '?'} AND s."caseId" IN (${ids}) AND s."status" <> 'SKIPPED'`;
  const rows = await db.prisma.$queryRawUnsafe<{ id: string }[]>(sql, milestoneId, JSON.stringify(caseIds));
  return new Set(rows.map((r) => r.id));
}
