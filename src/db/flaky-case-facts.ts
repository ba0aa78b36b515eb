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
  kind: number | bigint | string;
  n: number | bigint | string | null;
  key: string | null;
  title: string | null;
  environment: string | null;
  results: number | bigint | null;
  flips: number | bigint | null;
  flipRate: number | null;
}

// In one statement (one round trip): the count (kind 0), and the worst few (kind 1) first
// in the index's order and then named, numbered in that order as UNION ALL keeps no order.
const FLAKY_FACTS =
  `SELECT 0 AS kind, COUNT(*) AS n, CAST(NULL AS TEXT) AS "key", CAST(NULL AS TEXT) AS "title", CAST(NULL AS TEXT) AS "environment", ` +
  `CAST(NULL AS INTEGER) AS "results", CAST(NULL AS INTEGER) AS "flips", CAST(NULL AS DOUBLE PRECISION) AS "flipRate" ` +
  `FROM "FlakyCase" WHERE "milestoneId" = $1 UNION ALL ` +
  `SELECT 1, ROW_NUMBER() OVER (ORDER BY f."flipRate" DESC, f."flips" DESC, f."caseId" DESC, f."environment" DESC), c."key", c."title", ` +
  `f."environment", f."results", f."flips", f."flipRate" FROM (SELECT * FROM "FlakyCase" WHERE "milestoneId" = $1 ` +
  `ORDER BY "flipRate" DESC, "flips" DESC, "caseId" DESC, "environment" DESC LIMIT ${SAMPLE}) f ` +
  `JOIN "TestCase" c ON c."id" = f."caseId"`;

export async function loadFlakyCaseFacts(db: Database, milestoneId: string): Promise<NonNullable<ReadinessFacts['flakyCases']>> {
  const rows = await query<Row>(db, FLAKY_FACTS, [milestoneId]);
  const count = Number(rows.find((r) => Number(r.kind) === 0)?.n ?? 0);
  if (!count) return { count: 0, sample: [] };
  const sample = rows
    .filter((r) => Number(r.kind) === 1)
    .sort((a, b) => Number(a.n) - Number(b.n))
    .map((r): FlakyCaseFact => ({
      key: r.key!,
      title: r.title!,
      environment: r.environment!,
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
