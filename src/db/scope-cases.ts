// Keeps ScopeCase: each milestone's scope resolved to the project's cases it
// names (the rules of domain/scope.ts, applied here in JavaScript, so there is
// one definition of a match), with whether each case has an executed current
// result in some environment of the milestone. Written in the transaction of
// whatever changes it:
// - the scope set or changed: the milestone's rows rebuilt (rebuildScopeCases);
// - cases created by an upload: added to every scope of the project that
//   names them (addNewCasesToScopes);
// - the current state changed for some cases: their `covered` recomputed
//   (refreshCovered, called from current-state.ts).
// Readiness then reads the scope's size, coverage and first untested cases
// from the index on (milestoneId, covered, key) alone.
//
// The locks that keep these rows right while uploads run side by side are
// taken by the callers: state-locks.ts.
import { compileScope, type ScopedCase } from '../domain/scope.js';
import { currentResultByCase, execute, type Provider, type RawSql } from './raw-sql.js';

/**
 * The patterns of a milestone's stored scope, or null without one. A stored
 * value that is not a JSON array gives no patterns (it matches nothing), and
 * entries that are not strings are skipped, as the migration that first filled
 * the table did.
 */
export function scopePatterns(stored: string | null): string[] | null {
  if (stored === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return [];
  }
  return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
}

interface CaseRow extends ScopedCase {
  id: string;
}

/** The project's cases (id, key, suite), sent by the database as one JSON array. */
export async function loadProjectCases(sql: RawSql, provider: Provider, projectId: string): Promise<CaseRow[]> {
  const text =
    provider === 'postgresql'
      ? `SELECT json_agg(json_build_array(c."id", c."key", c."suite"))::text AS cases FROM "TestCase" c WHERE c."projectId" = $1`
      : `SELECT json_group_array(json_array(c."id", c."key", c."suite")) AS cases FROM "TestCase" c WHERE c."projectId" = ?`;
  const [row] = await sql.$queryRawUnsafe<{ cases: string | null }[]>(text, projectId);
  const list = row?.cases ? (JSON.parse(row.cases) as [string, string, string | null][]) : [];
  return list.map(([id, key, suite]) => ({ id, key, suite }));
}

/** Which of the given cases a scope names. */
export function casesInScope<T extends ScopedCase>(patterns: readonly string[], cases: readonly T[]): T[] {
  const scope = compileScope(patterns);
  return cases.filter((c) => scope.matches(c));
}

/** Whether case `caseId` has an executed current result in milestone $1. */
const covered = (provider: Provider, caseId: string) =>
  `EXISTS (SELECT 1 FROM ${currentResultByCase(provider, 's')} WHERE s."milestoneId" = $1 AND s."caseId" = ${caseId} AND s."status" <> 'SKIPPED')`;

const JSON_IDS = {
  sqlite: (param: string) => `SELECT j.value FROM json_each(${param}) j`,
  postgresql: (param: string) => `SELECT json_array_elements_text(${param}::json)`,
} as const;

const JSON_MEMBERS = {
  sqlite: (param: string) => `SELECT j.value->>0 AS a, j.value->>1 AS b, j.value->>2 AS c FROM json_each(${param}) j`,
  postgresql: (param: string) => `SELECT v->>0 AS a, v->>1 AS b, (v->>2)::boolean AS c FROM json_array_elements(${param}::json) AS j(v)`,
} as const;

/**
 * Inserts (case id, key) pairs into a milestone's scope, each with its coverage
 * as the current state has it, or as given (`covered`, for cases just created:
 * the caller knows their only results).
 */
async function insertMembers(
  sql: RawSql,
  provider: Provider,
  milestoneId: string,
  cases: { id: string; key: string; covered?: boolean }[],
) {
  if (!cases.length) return;
  const known = cases.every((c) => c.covered !== undefined);
  const coverage = known ? 'm.c' : covered(provider, 'm.a');
  await execute(
    sql,
    provider,
    `INSERT INTO "ScopeCase" ("milestoneId", "caseId", "key", "covered") SELECT $1, m.a, m.b, ${coverage} FROM (${JSON_MEMBERS[provider]('$2')}) m ` +
      `${provider === 'sqlite' ? 'WHERE true ' : ''}ON CONFLICT ("milestoneId", "caseId") DO NOTHING`,
    milestoneId,
    JSON.stringify(cases.map((c) => (known ? [c.id, c.key, c.covered] : [c.id, c.key]))),
  );
}

/**
 * Replaces a milestone's scope rows with those its stored scope names now
 * (none without a scope). The caller holds the locks (lockForScopeChange).
 */
export async function rebuildScopeCases(sql: RawSql, provider: Provider, milestoneId: string): Promise<void> {
  await execute(sql, provider, `DELETE FROM "ScopeCase" WHERE "milestoneId" = $1`, milestoneId);
  const [milestone] = await sql.$queryRawUnsafe<{ projectId: string; scope: string | null }[]>(
    provider === 'postgresql'
      ? `SELECT "projectId", "scope" FROM "Milestone" WHERE "id" = $1`
      : `SELECT "projectId", "scope" FROM "Milestone" WHERE "id" = ?`,
    milestoneId,
  );
  const patterns = scopePatterns(milestone?.scope ?? null);
  if (!milestone || !patterns?.length) return;
  const members = casesInScope(patterns, await loadProjectCases(sql, provider, milestone.projectId));
  // In slices, so no statement carries a parameter of unbounded size.
  for (let i = 0; i < members.length; i += 10_000) await insertMembers(sql, provider, milestoneId, members.slice(i, i + 10_000));
}

/**
 * Adds cases just created in a project (in this transaction) to the scopes of
 * its milestones that name them. A new case has a result only in the milestone
 * this upload writes to (`writtenTo`, its state already written, where the case
 * is covered when that result was executed); everywhere else it enters uncovered.
 */
export async function addNewCasesToScopes(
  sql: RawSql,
  provider: Provider,
  projectId: string,
  cases: (CaseRow & { executed: boolean })[],
  writtenTo: string | null,
): Promise<void> {
  if (!cases.length) return;
  const scoped = await sql.$queryRawUnsafe<{ id: string; scope: string }[]>(
    provider === 'postgresql'
      ? `SELECT "id", "scope" FROM "Milestone" WHERE "projectId" = $1 AND "scope" IS NOT NULL`
      : `SELECT "id", "scope" FROM "Milestone" WHERE "projectId" = ? AND "scope" IS NOT NULL`,
    projectId,
  );
  for (const m of scoped) {
    const patterns = scopePatterns(m.scope);
    if (!patterns?.length) continue;
    const members = casesInScope(patterns, cases).map((c) => ({ id: c.id, key: c.key, covered: m.id === writtenTo && c.executed }));
    await insertMembers(sql, provider, m.id, members);
  }
}

/**
 * ScopeCase, to be searched by (milestoneId, caseId): without statistics SQLite
 * would rather take (milestoneId, covered) and read every uncovered row of the
 * milestone for each statement (all of them, on a first upload).
 */
const scopeCaseByCase = (provider: Provider) =>
  provider === 'sqlite' ? `"ScopeCase" INDEXED BY "sqlite_autoindex_ScopeCase_1"` : `"ScopeCase"`;

/**
 * After results of a run were applied to a milestone's state (applyRunResults):
 * an executed result can only cover its case, a skipped one only uncover it,
 * and only if it became current. So only the uncovered cases with an executed
 * result, and the covered ones with a skipped result, are looked up in the
 * state; every other row is found by its key and left alone.
 */
export async function coverAppliedResults(
  sql: RawSql,
  provider: Provider,
  milestoneId: string,
  results: { caseId: string; status: string }[],
): Promise<void> {
  const executed = results.filter((r) => r.status !== 'SKIPPED').map((r) => r.caseId);
  const skipped = results.filter((r) => r.status === 'SKIPPED').map((r) => r.caseId);
  const [yes, no] = provider === 'postgresql' ? ['true', 'false'] : ['1', '0'];
  const now = covered(provider, '"ScopeCase"."caseId"');
  if (executed.length) {
    await execute(
      sql,
      provider,
      `UPDATE ${scopeCaseByCase(provider)} SET "covered" = ${yes} WHERE "milestoneId" = $1 AND "caseId" IN (${JSON_IDS[provider]('$2')}) AND "covered" = ${no} AND ${now}`,
      milestoneId,
      JSON.stringify(executed),
    );
  }
  if (skipped.length) {
    await execute(
      sql,
      provider,
      `UPDATE ${scopeCaseByCase(provider)} SET "covered" = ${no} WHERE "milestoneId" = $1 AND "caseId" IN (${JSON_IDS[provider]('$2')}) AND "covered" = ${yes} AND NOT ${now}`,
      milestoneId,
      JSON.stringify(skipped),
    );
  }
}

/**
 * Recomputes `covered` for a milestone's scope rows: those of the cases an SQL
 * subquery selects (with $2 as its only parameter), as after a run was
 * aborted or moved. Rows whose value holds are not rewritten.
 */
export async function refreshCovered(
  sql: RawSql,
  provider: Provider,
  milestoneId: string,
  cases: { subquery: string; param: string },
): Promise<void> {
  const now = covered(provider, '"ScopeCase"."caseId"');
  const ids = cases.subquery;
  await execute(
    sql,
    provider,
    `UPDATE "ScopeCase" SET "covered" = ${now} WHERE "milestoneId" = $1 AND "caseId" IN (${ids}) AND "covered" <> ${now}`,
    milestoneId,
    cases.param,
  );
}
