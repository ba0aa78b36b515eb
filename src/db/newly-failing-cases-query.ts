// The cases of a milestone newly failing since a moment (failing now in some
// environment, not failing there then), each once with its suite: whose owners
// a digest or thread reply mentions. Same pairs as the changes (test-changes-query.ts).
import type { ScopedCase } from '../domain/scope.js';
import { timestamp } from './bulk-results.js';
import type { Database } from './open-database.js';
import { query } from './raw-query.js';
import { changedPairs, NEWLY_FAILING } from './test-changes-query.js';

/** More than any owner list needs: past this many cases a burst is named by its first ones (in key order). */
export const NEWLY_FAILING_CASES_MAX = 10_000;

export async function loadNewlyFailingCases(
  db: Database,
  milestoneId: string,
  since: Date,
  limit = NEWLY_FAILING_CASES_MAX,
): Promise<ScopedCase[]> {
  const byteOrder = db.provider === 'postgresql' ? ' COLLATE "C"' : '';
  const sql = `
    ${changedPairs(db)}
    SELECT d."key", d."suite" FROM (
      SELECT DISTINCT c."key", c."suite" FROM pairs p JOIN "TestCase" c ON c."id" = p."caseId" WHERE ${NEWLY_FAILING}
    ) d ORDER BY d."key"${byteOrder} LIMIT ${Math.max(0, Math.floor(limit))}`;
  const rows = await query<{ key: string; suite: string | null }>(db, sql, [milestoneId, timestamp(db.provider, since)]);
  return rows.map((r) => ({ key: r.key, suite: r.suite }));
}
