// The changes of a milestone since a moment (SPEC §2 "Changes"): tests newly
// failing and newly passing (with environment and the run that changed them),
// how many still fail, defects opened and closed, reasons added and removed,
// and the verdict then and now. Computed from the result history and the
// current state (src/db/test-changes-query.ts): no copy of a whole state is kept.
import { countChangedTests, diffReadiness, rewindFacts, type Changes } from '../domain/changes.js';
import { evaluateReadiness, type Readiness, type ReadinessFacts } from '../domain/readiness.js';
import type { GatePolicy } from '../domain/gate-policy.js';
import { loadFactsThen } from '../db/facts-then-query.js';
import { loadTestChanges } from '../db/test-changes-query.js';
import type { Database } from '../db/open-database.js';

/** How many newly failing and newly passing tests are named (the totals are always given). */
export const CHANGED_TESTS_SHOWN = 20;

export async function getChanges(
  db: Database,
  milestoneId: string,
  since: Date,
  now: { facts: ReadinessFacts; readiness: Readiness; policy: GatePolicy },
): Promise<Changes> {
  const [tests, factsThen, defects] = await Promise.all([
    loadTestChanges(db, milestoneId, since, { sample: CHANGED_TESTS_SHOWN }),
    loadFactsThen(db, milestoneId, since),
    changedDefects(db, milestoneId, since),
  ]);
  const before = evaluateReadiness(rewindFacts(now.facts, tests.transitions, factsThen), now.policy, since);
  const diff = diffReadiness(before, now.readiness);
  const counts = countChangedTests(tests.transitions);
  return {
    since: since.toISOString(),
    verdict: diff.verdict,
    reasons: diff.reasons,
    tests: {
      newlyFailing: { ...counts.newlyFailing, tests: tests.newlyFailing },
      newlyPassing: { ...counts.newlyPassing, tests: tests.newlyPassing },
      stillFailing: now.readiness.metrics.failed - counts.newlyFailing.total,
    },
    defects,
  };
}

async function changedDefects(db: Database, milestoneId: string, since: Date): Promise<Changes['defects']> {
  const select = { id: true, title: true, severity: true, status: true, jiraKey: true } as const;
  const [opened, closed] = await Promise.all([
    db.prisma.defect.findMany({ where: { milestoneId, createdAt: { gt: since } }, select, orderBy: { createdAt: 'asc' } }),
    db.prisma.defect.findMany({
      where: { milestoneId, status: 'RESOLVED', createdAt: { lte: since }, updatedAt: { gt: since } },
      select,
      orderBy: { updatedAt: 'asc' },
    }),
  ]);
  return { opened, closed };
}
