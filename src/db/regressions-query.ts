// Regressions (SPEC §10): for a milestone's tests that fail now, the status of
// the result before the current one (same case and environment, the
// milestone's non-aborted runs, newest first in the order that picks the
// current result). Passed before → newly failing; failed before → still
// failing. Set-based and bounded to the pairs failing now (CurrentResult), so
// the history of passing tests is never walked.
import { DEFAULT_ENVIRONMENT } from './current-state.js';
import type { Database } from './open-database.js';
import { jsonTextList } from './raw-sql.js';

export type Regression = 'new' | 'still';

export interface FailingPair {
  caseId: string;
  environment: string;
  /** null when there is no earlier result, or it was skipped or blocked: nothing to compare with. */
  regression: Regression | null;
}

function query<T>(db: Database, text: string, values: unknown[]): Promise<T[]> {
  if (db.provider === 'postgresql') return db.prisma.$queryRawUnsafe<T[]>(text, ...values);
  const args: unknown[] = [];
  const plain = text.replace(/\$(\d+)/g, (_, n: string) => {
    args.push(values[Number(n) - 1]);
    return '?';
  });
  return db.prisma.$queryRawUnsafe<T[]>(plain, ...args);
}

const ENV = `COALESCE(e."name", '${DEFAULT_ENVIRONMENT}')`;
const ORDER = `t."startedAt" DESC, t."createdAt" DESC, t."id" DESC`;

/** The regression kind of every pair failing now (or of those among `pairs`). */
export async function loadRegressions(
  db: Database,
  milestoneId: string,
  options: { pairs?: readonly { caseId: string; environment: string }[] } = {},
): Promise<FailingPair[]> {
  const values: unknown[] = [milestoneId];
  let only = '';
  if (options.pairs) {
    if (!options.pairs.length) return [];
    values.push(
      JSON.stringify([...new Set(options.pairs.map((p) => p.caseId))]),
      JSON.stringify([...new Set(options.pairs.map((p) => p.environment))]),
    );
    const list = (n: number) => jsonTextList(db.provider, n);
    only = ` AND r."caseId" IN (${list(2)}) AND s."environment" IN (${list(3)})`;
  }
  const sql =
    `SELECT h."caseId" AS "caseId", h."environment" AS "environment", h."status" AS "status", h.rn AS rn FROM (` +
    `SELECT r."caseId" AS "caseId", s."environment" AS "environment", CAST(r."status" AS TEXT) AS "status", ` +
    `ROW_NUMBER() OVER (PARTITION BY r."caseId", s."environment" ORDER BY ${ORDER}) AS rn ` +
    `FROM "CurrentResult" s JOIN "TestResult" r ON r."caseId" = s."caseId" JOIN "TestRun" t ON t."id" = r."runId" ` +
    `LEFT JOIN "Environment" e ON e."id" = t."environmentId" ` +
    `WHERE s."milestoneId" = $1 AND s."status" = 'FAILED' AND t."milestoneId" = $1 AND t."status" <> 'ABORTED' ` +
    `AND ${ENV} = s."environment"${only}) h WHERE h.rn <= 2`;
  const rows = await query<{ caseId: string; environment: string; status: string; rn: number | bigint | string }>(db, sql, values);
  const pairs = new Map<string, FailingPair>();
  for (const r of rows) {
    const key = `${r.caseId}\u0000${r.environment}`;
    const pair = pairs.get(key) ?? { caseId: r.caseId, environment: r.environment, regression: null };
    pairs.set(key, pair);
    if (Number(r.rn) === 2) pair.regression = r.status === 'PASSED' ? 'new' : r.status === 'FAILED' ? 'still' : null;
  }
  return [...pairs.values()];
}
