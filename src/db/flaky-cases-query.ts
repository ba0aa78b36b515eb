// Flakiness across runs for a milestone, in the database (SPEC §10): per (case,
// environment), over its last N passed or failed results in the milestone's
// non-aborted runs (newest first in the order that picks the current result:
// startedAt, createdAt, id), the flips between consecutive results and the
// passes that needed a retry. The rule is domain/flaky-score.ts; here it runs
// set-based with window functions, so history is never loaded into JS. Used
// for a listing page's pairs, as the oracle the kept flaky pairs (FlakyCase,
// flaky-state.ts, which inserts flakinessSql's rows) are checked against, and
// by the migration that first filled them; readiness reads FlakyCase instead.
import { ENVIRONMENT_NAME_SQL as ENV } from './environment-name.js';
import type { Database } from './open-database.js';
import { jsonTextList } from './raw-sql.js';
import { query } from './raw-query.js';
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

const ORDER = `t."startedAt" DESC, t."createdAt" DESC, t."id" DESC`;
const FLIPS = `SUM(CASE WHEN w."prev" IS NOT NULL AND w."prev" <> w."status" THEN 1 ELSE 0 END)`;

/**
 * Per (milestone, case, environment) among the passed and failed results that
 * `where` selects (over t: TestRun, e: Environment, r: TestResult) in
 * non-aborted runs, the last `policy.window` of them: "milestoneId", "caseId",
 * "environment", n (results), flips, retried (passes after a retry), grouped,
 * with `having` applied to the groups.
 */
function windowSql(where: string, window: number, having: string): string {
  return (
    `SELECT w."milestoneId" AS "milestoneId", w."caseId" AS "caseId", w."environment" AS "environment", COUNT(*) AS n, ` +
    `${FLIPS} AS flips, SUM(w."retried") AS retried FROM (` +
    `SELECT h."milestoneId", h."caseId", h."environment", h."status", h."retried", ` +
    `LAG(h."status") OVER (PARTITION BY h."milestoneId", h."caseId", h."environment" ORDER BY h.rn DESC) AS "prev" FROM (` +
    `SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", ${ENV} AS "environment", CAST(r."status" AS TEXT) AS "status", ` +
    `CASE WHEN r."status" = 'PASSED' AND r."flaky" THEN 1 ELSE 0 END AS "retried", ` +
    `ROW_NUMBER() OVER (PARTITION BY t."milestoneId", r."caseId", ${ENV} ORDER BY ${ORDER}) AS rn ` +
    `FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId" ` +
    `WHERE t."status" <> 'ABORTED' AND r."status" IN ('PASSED', 'FAILED') AND (${where})` +
    `) h WHERE h.rn <= ${Math.floor(window)}) w GROUP BY w."milestoneId", w."caseId", w."environment"${having}`
  );
}

/** The flaky condition of domain/flaky-score.ts isFlaky, over SQL giving a window's results and flips. */
export function flakySql(results: string, flips: string, policy: FlakinessPolicy = DEFAULT_FLAKINESS): string {
  const minFlips = Math.max(1, Math.floor(policy.minFlips));
  return `${results} > 1 AND ${flips} >= ${minFlips} AND ${flips} >= ${Number(policy.flipRate)} * (${results} - 1) - 0.000000001`;
}

/** The flaky condition over a group of windowSql. */
const flakyHaving = (policy: FlakinessPolicy) => ` HAVING ${flakySql('COUNT(*)', FLIPS, policy)}`;

/**
 * The flaky pairs among the results `where` selects, under the default policy,
 * as the rows of FlakyCase ("milestoneId", "caseId", "environment", "results",
 * "flips", "flipRate", "retried"): what db/flaky-state.ts inserts.
 */
export function flakinessSql(provider: Database['provider'], where: string): string {
  const real = provider === 'postgresql' ? 'DOUBLE PRECISION' : 'REAL';
  return (
    `SELECT f."milestoneId", f."caseId", f."environment", f.n, f.flips, ` +
    `CAST(f.flips AS ${real}) / CAST(f.n - 1 AS ${real}), f.retried FROM (${windowSql(where, DEFAULT_FLAKINESS.window, flakyHaving(DEFAULT_FLAKINESS))}) f`
  );
}

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
  const values: unknown[] = [milestoneId];
  let only = '';
  if (options.pairs) {
    if (!options.pairs.length) return [];
    values.push(
      JSON.stringify([...new Set(options.pairs.map((p) => p.caseId))]),
      JSON.stringify([...new Set(options.pairs.map((p) => p.environment))]),
    );
    const list = (n: number) => jsonTextList(db.provider, n);
    only = ` AND r."caseId" IN (${list(2)}) AND ${ENV} IN (${list(3)})`;
  }
  const having = options.pairs ? '' : flakyHaving(policy);
  const sql = windowSql(`t."milestoneId" = $1${only}`, policy.window, having);
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
