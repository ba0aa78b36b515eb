// The readiness fact about flakiness across runs: how many of a milestone's
// (case, environment) pairs are flaky (flaky-cases-query.ts), and the worst few
// by name, highest flip rate first, for FLAKY_TESTS to name.
import type { Database } from './open-database.js';
import { loadFlakiness, type PairFlakiness } from './flaky-cases-query.js';
import type { FlakyCaseFact, ReadinessFacts } from '../domain/readiness.js';
import type { FlakinessPolicy } from '../domain/flaky-score.js';

const SAMPLE = 5;

export async function loadFlakyCaseFacts(
  db: Database,
  milestoneId: string,
  policy?: FlakinessPolicy,
): Promise<NonNullable<ReadinessFacts['flakyCases']>> {
  const flaky = await loadFlakiness(db, milestoneId, policy ? { policy } : {});
  if (!flaky.length) return { count: 0, sample: [] };
  const cases = await db.prisma.testCase.findMany({
    where: { id: { in: [...new Set(flaky.map((f) => f.caseId))] } },
    select: { id: true, key: true, title: true },
  });
  const byId = new Map(cases.map((c) => [c.id, c]));
  const named = flaky.map((f: PairFlakiness): FlakyCaseFact => {
    const c = byId.get(f.caseId);
    return {
      key: c?.key ?? f.caseId,
      title: c?.title ?? f.caseId,
      environment: f.environment,
      flips: f.flips,
      results: f.results,
      flipRate: f.flipRate,
    };
  });
  named.sort(
    (a, b) =>
      b.flipRate - a.flipRate ||
      b.flips - a.flips ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
      (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0),
  );
  return { count: named.length, sample: named.slice(0, SAMPLE) };
}
