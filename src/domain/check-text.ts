// A gate check in plain words ("pass rate 94.5%, gate 95%"), the same on every
// surface: the card's compact line, the CLI's text and markdown. Percentages
// follow percent.ts, so a missed gate never reads as met.
import type { GateCheck } from './readiness.js';
import { formatGate, formatShare } from './percent.js';
import type { CheckStatus } from './types.js';

export function checkText(check: GateCheck): string {
  const { actual, threshold } = check;
  const n = actual ?? 0;
  switch (check.rule) {
    case 'passRate':
      return actual === null ? 'pass rate: nothing executed' : `pass rate ${formatShare(actual)}, gate ${gateOf(threshold)}`;
    case 'blockingDefects':
      return check.status === 'n/a' ? 'no severity blocks' : `${count(n, 'blocking defect')} open`;
    case 'criticalTests':
      return `${count(n, 'critical test')} failing`;
    case 'signoffRejections':
      return `${count(n, 'sign-off')} rejected`;
    case 'minExecuted':
      return `${count(n, 'result')} executed, gate ${threshold ?? 1}`;
    case 'requiredEnvironment':
      if (check.environment === undefined) return 'no required environment';
      return `${check.environment}: ${n > 0 ? `${count(n, 'result')} executed` : 'nothing executed'}`;
    case 'coverage':
      if (threshold === null) return 'no scope';
      return `coverage ${actual === null ? 'n/a (scope matches nothing)' : formatShare(actual)}, gate ${gateOf(threshold)}`;
    case 'runsInProgress':
      return `${count(n, 'run')} in progress`;
    case 'flakyTests':
      // Retried passes now plus cases flipping across runs (readiness.ts).
      return n === 0 ? 'no flaky results or tests' : `${n} flaky (retried passes and tests flipping across runs)`;
    case 'waivedDefects':
      return `${count(n, 'defect')} waived`;
    case 'requiredSignoffs':
      return threshold ? `${n} of ${threshold} sign-offs` : 'no sign-off required';
    case 'blockedTests':
      return `${count(n, 'blocked result')}`;
    case 'quarantinedTests':
      return n === 0 ? 'no quarantined failures' : `${count(n, 'quarantined failure')} left out of the pass rate`;
    case 'resolvedDefectsFailing':
      return `${count(n, 'resolved defect')} still failing`;
    case 'forecast': {
      // actual: days until the forecast's p85; threshold: days until the due date.
      if (check.status === 'n/a') return threshold === null ? 'forecast: no due date' : 'forecast: none against the due date';
      const due = threshold === null ? '' : threshold === 0 ? ', due today' : `, due in ${count(threshold, 'day')}`;
      if (actual === null) return `forecast: no progress${due}`;
      return `forecast 85% by ${actual === 0 ? 'today' : `${count(actual, 'day')} from now`}${due}`;
    }
    case 'dueDate':
      if (actual === null || check.status === 'n/a') return 'no due date';
      return actual < 0 ? `overdue by ${count(-actual, 'day')}` : actual === 0 ? 'due today' : `due in ${count(actual, 'day')}`;
  }
}

/** Failing first, then risky, then held, then not applied; in gate order within each. */
export function checksWorstFirst(checks: readonly GateCheck[]): GateCheck[] {
  const order: readonly CheckStatus[] = ['fail', 'risk', 'pass', 'n/a'];
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => order.indexOf(a.c.status) - order.indexOf(b.c.status) || a.i - b.i)
    .map(({ c }) => c);
}

function gateOf(threshold: number | null): string {
  return threshold === null ? 'none' : formatGate(threshold);
}

function count(n: number, singular: string): string {
  return `${n === 0 ? 'no' : n} ${n === 1 ? singular : `${singular}s`}`;
}
