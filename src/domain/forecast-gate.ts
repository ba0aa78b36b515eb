// The forecast's place in the gate: what work the failing checks leave (in the
// units the daily history measures), the forecast of when it clears
// (forecast.ts), and the FORECAST_AFTER_DUE risk when its p85 falls after the
// due date while that date is still ahead. Pure; called by evaluateReadiness.
import type { GatePolicy } from './gate-policy.js';
import { daysFrom, forecastGo, type ForecastOutcome, type ForecastWork } from './forecast.js';
import type { GateCheck, ReadinessFacts } from './readiness.js';
import { localDate } from './time.js';
import type { CheckStatus } from './types.js';

const EPSILON = 1e-9;

/** Failing rules no daily count can forecast: a person or a first run has to act. */
const HELD_BY: Partial<Record<GateCheck['rule'], string>> = {
  signoffRejections: 'a rejected sign-off',
  minExecuted: 'too few executed results',
  requiredEnvironment: 'an untested required environment',
};

export interface GatedForecast {
  outcome: ForecastOutcome;
  check: { status: CheckStatus; actual: number | null; threshold: number | null };
  /** The FORECAST_AFTER_DUE message when the risk fires. */
  risk: string | null;
}

export function gateForecast(options: {
  facts: ReadinessFacts;
  policy: GatePolicy;
  /** The checks judged so far: every failing one is among them. */
  checks: readonly GateCheck[];
  blockingOpen: number;
  now: Date;
  tz: string;
  daysLeft: number | null;
}): GatedForecast {
  const { facts, policy, checks, now, tz, daysLeft } = options;
  const { results, scope } = facts;
  const heldBy = [
    ...new Set(checks.filter((c) => c.status === 'fail' && HELD_BY[c.rule]).map((c) => HELD_BY[c.rule]!)),
    ...(scope && scope.inScope === 0 && policy.minCoverage > 0 ? ['a scope that matches no test cases'] : []),
  ];
  const executed = results.passed + results.failed + results.blocked;
  const passedNeeded = Math.max(0, Math.ceil(policy.passRateThreshold * executed - EPSILON));
  const work: ForecastWork = {
    blockers: options.blockingOpen,
    failing: Math.max(0, passedNeeded - results.passed, facts.criticalFailures.count),
    untested:
      scope && policy.minCoverage > 0 && scope.inScope > 0
        ? Math.max(0, Math.ceil(policy.minCoverage * scope.inScope - EPSILON) - scope.covered)
        : 0,
  };
  const today = localDate(now, tz);
  const { dueDate, status } = facts.milestone;
  const outcome = forecastGo({ today, active: status === 'ACTIVE', work, heldBy, history: facts.forecastHistory });

  // Only while the due date is still ahead: once it has passed, OVERDUE says it better.
  const dueAhead = status === 'ACTIVE' && dueDate !== null && now.getTime() <= dueDate.getTime();
  const dueDay = dueDate ? localDate(dueDate, tz) : null;
  const { forecast, unavailable } = outcome;
  if (!dueAhead || dueDay === null || (forecast === null && unavailable.code !== 'NO_PROGRESS')) {
    return { outcome, check: { status: 'n/a', actual: forecast ? daysFrom(today, forecast.p85) : null, threshold: daysLeft }, risk: null };
  }
  if (forecast === null) {
    return {
      outcome,
      check: { status: 'risk', actual: null, threshold: daysLeft },
      risk: `Due ${dueDay}, and at the recent pace the gate would not clear: ${lowerFirst(unavailable.message)}`,
    };
  }
  const late = forecast.p85 > dueDay;
  return {
    outcome,
    check: { status: late ? 'risk' : 'pass', actual: daysFrom(today, forecast.p85), threshold: daysLeft },
    risk: late
      ? `At this pace the gate clears around ${forecast.p50} (85% by ${forecast.p85}), after the due date ${dueDay}: ` +
        `${paceText(forecast.basis.rates, work)} over the last ${forecast.basis.days} days`
      : null,
  };
}

function paceText(rates: { blockersClosedPerDay: number; failingFixedPerDay: number; coverageGainedPerDay: number }, work: ForecastWork) {
  const parts = [
    work.blockers > 0 ? `${perDay(rates.blockersClosedPerDay, 'blocking defect')} closed a day` : null,
    work.failing > 0 ? `${perDay(rates.failingFixedPerDay, 'failing test')} fixed a day` : null,
    work.untested > 0 ? `${perDay(rates.coverageGainedPerDay, 'scoped test')} covered a day` : null,
  ].filter((p) => p !== null);
  return parts.join(', ');
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function perDay(rate: number, singular: string): string {
  return `${rate} ${rate === 1 ? singular : `${singular}s`}`;
}
