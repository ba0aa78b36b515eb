// The readiness fact about flakiness across runs: how many of a milestone's
// (case, environment) pairs are flaky, and the worst few by name (highest flip
// rate, then most flips), for FLAKY_TESTS to name. Read from the pairs kept
// flaky at ingest (FlakyCase, flaky-state.ts), from its index alone: never
// from the result history, so its cost does not grow with the history.
import type { Database } from './open-database.js';
import { query } from './raw-query.js';
import type { FlakyCaseFact, ReadinessFacts } from '../domain/readiness.js';

const SAMPLE = 5;

interface Row {
  key: string;
  title: string;
  environment: string;
  results: number | bigint;
  flips: number | bigint;
  flipRate: number;
}

export async function loadFlakyCaseFacts(db: Database, milestoneId: string): Promise<NonNullable<ReadinessFacts['flakyCases']>> {
  const [counted] = await query<{ n: number | bigint | string }>(db, `SELECT COUNT(*) AS n FROM "FlakyCase" WHERE "milestoneId" = $1`, [
    milestoneId,
  ]);
  const count = Number(counted?.n ?? 0);
  if (!count) return { count: 0, sample: [] };
  const rows = await query<Row>(
    db,
    // The worst few first, in the index's order, then their names.
    `SELECT c."key" AS "key", c."title" AS "title", f."environment" AS "environment", f."results" AS "results", ` +
      `f."flips" AS "flips", f."flipRate" AS "flipRate" FROM (SELECT * FROM "FlakyCase" WHERE "milestoneId" = $1 ` +
      `ORDER BY "flipRate" DESC, "flips" DESC, "caseId" DESC, "environment" DESC LIMIT ${SAMPLE}) f ` +
      `JOIN "TestCase" c ON c."id" = f."caseId" ORDER BY f."flipRate" DESC, f."flips" DESC, f."caseId" DESC, f."environment" DESC`,
    [milestoneId],
  );
  const sample = rows.map((r): FlakyCaseFact => ({
    key: r.key,
    title: r.title,
    environment: r.environment,
    flips: Number(r.flips),
    results: Number(r.results),
    flipRate: Number(r.flipRate),
  }));
  return { count, sample };
}

/** Every flaky pair of the milestone, as kept: what the tests listing's `flaky=true` selects beside retried passes. */
export async function loadFlakyPairs(db: Database, milestoneId: string): Promise<{ caseId: string; environment: string }[]> {
  return db.prisma.flakyCase.findMany({ where: { milestoneId }, select: { caseId: true, environment: true } });
}
