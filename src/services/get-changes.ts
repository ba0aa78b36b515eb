// The changes of a milestone since a moment (SPEC §2 "Changes"): tests newly
// failing and newly passing (with environment and the run that changed them),
// how many still fail, defects opened and closed, reasons added and removed,
// and the verdict then and now. Computed from the result history and the
// current state (src/db/test-changes-query.ts): no copy of a whole state is kept.
import { countChangedTests, diffReadiness, rewindFacts, type Changes } from '../domain/changes.js';
import { evaluateReadiness, type Readiness, type ReadinessFacts } from '../domain/readiness.js';
import type { GatePolicy } from '../domain/gate-policy.js';
import { loadDefectsThen, loadFactsThen, type DefectState } from '../db/facts-then-query.js';
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
  const [tests, defectStates] = await Promise.all([
    loadTestChanges(db, milestoneId, since, { sample: CHANGED_TESTS_SHOWN }),
    loadDefectsThen(db, milestoneId, since),
  ]);
  const factsThen = await loadFactsThen(db, milestoneId, since, defectStates);
  const defects = changedDefects(defectStates, since);
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
      // Transitions count every failure, quarantined ones too (the quarantine then is not rebuilt).
      stillFailing: now.readiness.metrics.failed + now.readiness.metrics.quarantined - counts.newlyFailing.total,
    },
    defects,
  };
}

/** Defects reported since, and those that were not resolved then and are now (by the audit trail). */
function changedDefects(defects: { now: DefectState; then: DefectState }[], since: Date): Changes['defects'] {
  const view = (d: DefectState) => ({ id: d.id, title: d.title, severity: d.severity, status: d.status, jiraKey: d.jiraKey });
  return {
    opened: defects.filter(({ now }) => now.createdAt > since).map(({ now }) => view(now)),
    closed: defects
      .filter(({ now, then }) => now.createdAt <= since && now.status === 'RESOLVED' && then.status !== 'RESOLVED')
      .map(({ now }) => view(now)),
  };
}
