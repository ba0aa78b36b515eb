// A pair's flakiness window as CurrentResult keeps it ("recent"): the pair's last
// DEFAULT_FLAKINESS.window passed and failed results in the milestone's
// non-aborted runs, oldest first in run order (startedAt, createdAt, id, as
// flaky-cases-query.ts reads history), one mark each: 'P' passed, 'p' passed
// after a retry, 'F' failed. A result from the pair's newest run appends its
// mark (appendSql); the counts of domain/flaky-score.ts then come from the
// string alone (windowStatsSql), so an upload never reads the pair's history.
// windowsSql recomputes the windows from history where a result does not append.
import { ENVIRONMENT_NAME_SQL as ENV } from './environment-name.js';
import type { Provider } from './raw-sql.js';
import { DEFAULT_FLAKINESS } from '../domain/flaky-score.js';

const SIZE = Math.floor(DEFAULT_FLAKINESS.window);

/** A result's mark (SQL over its status and retry flag): '' for a skipped or blocked one, which does not count. */
export const markSql = (status: string, flaky: string): string =>
  `(CASE WHEN ${status} = 'PASSED' THEN (CASE WHEN ${flaky} THEN 'p' ELSE 'P' END) WHEN ${status} = 'FAILED' THEN 'F' ELSE '' END)`;

/** `window` with `mark` appended, cut to the window's last results. */
export const appendSql = (provider: Provider, window: string, mark: string): string =>
  provider === 'postgresql' ? `right(${window} || ${mark}, ${SIZE})` : `substr(${window} || ${mark}, -${SIZE})`;

/**
 * The window's results, flips and retried passes (SQL over a window string).
 * Neither 'PF' nor 'FP' can overlap itself, so counting each by what replacing
 * it removes counts every flip between consecutive results exactly once.
 */
export function windowStatsSql(window: string): { results: string; flips: string; retried: string } {
  const upper = `upper(${window})`;
  return {
    results: `length(${window})`,
    flips: `((2 * length(${window}) - length(replace(${upper}, 'PF', '')) - length(replace(${upper}, 'FP', ''))) / 2)`,
    retried: `(length(${window}) - length(replace(${window}, 'p', '')))`,
  };
}

/**
 * Per (milestone, case, environment) with a result in a non-aborted run among
 * those `where` selects (over t: TestRun, e: Environment, r: TestResult): its
 * window from history as "milestoneId", "caseId", "environment", "recent" (''
 * when none of its results passed or failed).
 */
export function windowsSql(provider: Provider, where: string): string {
  const order = `t."startedAt" DESC, t."createdAt" DESC, t."id" DESC`;
  // Passed and failed results first, newest first; the skipped ones after them add nothing.
  const ranked =
    `SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", ${ENV} AS "environment", ${markSql('r."status"', 'r."flaky"')} AS "mark", ` +
    `ROW_NUMBER() OVER (PARTITION BY t."milestoneId", r."caseId", ${ENV} ` +
    `ORDER BY CASE WHEN r."status" IN ('PASSED', 'FAILED') THEN 0 ELSE 1 END, ${order}) AS rn ` +
    `FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId" ` +
    `WHERE t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED' AND (${where})`;
  const concat = provider === 'postgresql' ? 'string_agg' : 'group_concat';
  return (
    `SELECT h."milestoneId", h."caseId", h."environment", ${concat}(h."mark", '' ORDER BY h.rn DESC) AS "recent" ` +
    `FROM (${ranked}) h WHERE h.rn <= ${SIZE} GROUP BY h."milestoneId", h."caseId", h."environment"`
  );
}

/**
 * Sets the kept windows of the CurrentResult rows that `where` selects (as in
 * windowsSql) to those history gives; rows already right are not written.
 */
export function refreshWindowsSql(provider: Provider, where: string): string {
  const c = `"CurrentResult"`;
  return (
    `UPDATE ${c} SET "recent" = w."recent" FROM (${windowsSql(provider, where)}) w ` +
    `WHERE ${c}."milestoneId" = w."milestoneId" AND ${c}."caseId" = w."caseId" AND ${c}."environment" = w."environment" ` +
    `AND ${c}."recent" <> w."recent"`
  );
}
