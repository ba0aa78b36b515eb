// Flakiness across runs for a milestone, in the database (SPEC §10): per (case,
// environment), over its last N passed or failed results in the milestone's
// non-aborted runs (newest first in the order that picks the current result:
// startedAt, createdAt, id), the flips between consecutive results and the
// passes that needed a retry. The rule is domain/flaky-score.ts; here it runs
// set-based with window functions, so history is never loaded into JS: only
// pairs that flipped at least `minFlips` times come back (or, for a listing
// page, only the page's pairs).
import { DEFAULT_ENVIRONMENT } from './current-state.js';
import type { Database } from './open-database.js';
import { DEFAULT_FLAKINESS, isFlaky, type FlakinessPolicy } from '../domain/flaky-score.js';

export interface PairFlakiness {
  caseId: string;
  environment: string;
  results: number;
  flips: number;
  flipRate: number;
  retriedPasses: number;
  flaky: boolean;
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

interface Row {
  caseId: string;
  environment: string;
  n: number | bigint | string;
  flips: number | bigint | string;
  retried: number | bigint | string;
}

/**
 * The flakiness of a milestone's (case, environment) pairs. Without `pairs`,
 * every pair that flipped at least `policy.minFlips` times (the candidates;
 * callers keep the flaky ones); with `pairs`, exactly those pairs that have
 * results, whatever their flips.
 */
export async function loadFlakiness(
  db: Database,
  milestoneId: string,
  options: { policy?: FlakinessPolicy; pairs?: readonly { caseId: string; environment: string }[] } = {},
): Promise<PairFlakiness[]> {
  const policy = options.policy ?? DEFAULT_FLAKINESS;
  const pg = db.provider === 'postgresql';
  const values: unknown[] = [milestoneId, Math.floor(policy.window)];
  let only = '';
  if (options.pairs) {
    if (!options.pairs.length) return [];
    values.push(
      JSON.stringify([...new Set(options.pairs.map((p) => p.caseId))]),
      JSON.stringify([...new Set(options.pairs.map((p) => p.environment))]),
    );
    const list = (n: number) => (pg ? `SELECT json_array_elements_text($${n}::json)` : `SELECT j.value FROM json_each($${n}) j`);
    only = ` AND r."caseId" IN (${list(3)}) AND ${ENV} IN (${list(4)})`;
  }
  const flipsSum = `SUM(CASE WHEN w."prev" IS NOT NULL AND w."prev" <> w."status" THEN 1 ELSE 0 END)`;
  const having = options.pairs ? '' : ` HAVING ${flipsSum} >= ${Math.max(1, Math.floor(policy.minFlips))}`;
  const sql =
    `SELECT w."caseId" AS "caseId", w."environment" AS "environment", COUNT(*) AS n, ${flipsSum} AS flips, ` +
    `SUM(w."retried") AS retried FROM (` +
    `SELECT h."caseId", h."environment", h."status", h."retried", ` +
    `LAG(h."status") OVER (PARTITION BY h."caseId", h."environment" ORDER BY h.rn DESC) AS "prev" FROM (` +
    `SELECT r."caseId" AS "caseId", ${ENV} AS "environment", CAST(r."status" AS TEXT) AS "status", ` +
    `CASE WHEN r."status" = 'PASSED' AND r."flaky" THEN 1 ELSE 0 END AS "retried", ` +
    `ROW_NUMBER() OVER (PARTITION BY r."caseId", ${ENV} ORDER BY ${ORDER}) AS rn ` +
    `FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId" ` +
    `WHERE t."milestoneId" = $1 AND t."status" <> 'ABORTED' AND r."status" IN ('PASSED', 'FAILED')${only}` +
    `) h WHERE h.rn <= CAST($2 AS INTEGER)) w GROUP BY w."caseId", w."environment"${having}`;
  const rows = await query<Row>(db, sql, values);
  return rows
    .map((r) => {
      const results = Number(r.n);
      const flips = Number(r.flips);
      return {
        caseId: r.caseId,
        environment: r.environment,
        results,
        flips,
        flipRate: results > 1 ? flips / (results - 1) : 0,
        retriedPasses: Number(r.retried),
        flaky: isFlaky(flips, results, policy),
      };
    })
    .filter((p) => options.pairs !== undefined || p.flaky);
}
