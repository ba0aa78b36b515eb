// THE readiness of a milestone: facts aggregated in the database, then the one
// pure verdict function. Slack, the REST API, the CLI and the digests all call this.
import { evaluateReadiness, type Readiness, type ReadinessFacts } from '../domain/readiness.js';
import { loadMilestoneReadiness, type MilestoneWithProject } from '../db/readiness-facts.js';
import { loadFlakyCaseFacts } from '../db/flaky-case-facts.js';
import { loadResolvedStillFailingFacts } from '../db/resolved-still-failing.js';
import { loadQuarantinedFailures } from '../db/quarantined-failures.js';
import { loadForecastHistory } from '../db/forecast-history.js';
import { toMilestoneView, type MilestoneView } from './milestone-view.js';
import type { ServiceDeps } from './service-deps.js';
import { AppError } from '../domain/errors.js';
import { getChanges } from './get-changes.js';
import type { Changes } from '../domain/changes.js';

export interface ReadinessView {
  milestone: MilestoneView;
  verdict: Readiness['verdict'];
  reasons: Readiness['reasons'];
  checks: Readiness['checks'];
  metrics: Readiness['metrics'];
  policy: Readiness['policy'];
  forecast: Readiness['forecast'];
  forecastUnavailable: Readiness['forecastUnavailable'];
  signoffs: { userId: string; decision: string; comment: string | null; at: string }[];
  evaluatedAt: string;
  /** Present when asked for with `since`. */
  changes?: Changes;
}

/**
 * The readiness now; with `since`, also what changed since that moment. A caller
 * that has just looked the milestone up (with its project) passes it rather than
 * its id, and it is not read again.
 */
export async function getReadiness(
  deps: ServiceDeps,
  milestone: string | MilestoneWithProject,
  options: { since?: Date } = {},
): Promise<ReadinessView> {
  return (await getReadinessWithFacts(deps, milestone, options)).readiness;
}

/** The same, with the flaky cases the verdict named (the card offers to quarantine them). */
export async function getReadinessWithFacts(
  deps: ServiceDeps,
  milestoneOrId: string | MilestoneWithProject,
  options: { since?: Date } = {},
): Promise<{ readiness: ReadinessView; flakyCases: NonNullable<ReadinessFacts['flakyCases']> }> {
  const now = deps.now();
  const milestoneId = typeof milestoneOrId === 'string' ? milestoneOrId : milestoneOrId.id;
  if (options.since && options.since.getTime() > now.getTime())
    throw new AppError(
      'VALIDATION_FAILED',
      `since (${options.since.toISOString()}) is in the future: give a moment before now (${now.toISOString()})`,
    );
  // History facts are loaded beside the current-state facts (and added here), so each can change on its own.
  const [{ milestone, facts: base }, flakyCases, resolvedStillFailing, quarantinedFailures, forecastHistory] = await Promise.all([
    loadMilestoneReadiness(deps.db, milestoneOrId, now),
    loadFlakyCaseFacts(deps.db, milestoneId),
    loadResolvedStillFailingFacts(deps.db, milestoneId),
    loadQuarantinedFailures(deps.db, milestoneId, now),
    loadForecastHistory(deps.db, milestoneId),
  ]);
  const facts = { ...base, flakyCases, resolvedStillFailing, quarantinedFailures, forecastHistory };
  const view = toMilestoneView(milestone, milestone.project);
  const readiness = evaluateReadiness(facts, view.policy, now);
  const result: ReadinessView = {
    milestone: view,
    verdict: readiness.verdict,
    reasons: readiness.reasons,
    checks: readiness.checks,
    metrics: readiness.metrics,
    policy: readiness.policy,
    forecast: readiness.forecast,
    forecastUnavailable: readiness.forecastUnavailable,
    signoffs: facts.signoffs.map((s) => ({ userId: s.userId, decision: s.decision, comment: s.comment, at: s.at.toISOString() })),
    evaluatedAt: now.toISOString(),
    ...(options.since ? { changes: await getChanges(deps.db, milestoneId, options.since, { facts, readiness, policy: view.policy }) } : {}),
  };
  return { readiness: result, flakyCases };
}
