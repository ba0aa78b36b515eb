// The go/no-go verdict. One pure function over facts the database
// has already aggregated, so Slack, the REST API, the CLI and the digests can
// never disagree. The verdict is the first tier that has a reason; `reasons`
// lists every rule that fired, blockers first, then missing evidence, then risks.
import type { GatePolicy } from './gate-policy.js';
import type { Forecast, ForecastHistory, ForecastUnavailable } from './forecast.js';
import { gateForecast } from './forecast-gate.js';
import { formatGate, formatRatio } from './percent.js';
import { calendarDaysBetween, isValidTimeZone, localDate } from './time.js';
import {
  SEVERITIES,
  VERDICTS,
  type CheckStatus,
  type DueRisk,
  type GateRule,
  type MilestoneStatus,
  type ReasonCode,
  type ReasonSeverity,
  type Severity,
  type SignoffDecision,
  type Verdict,
} from './types.js';

export interface ReadinessFacts {
  milestone: { status: MilestoneStatus; dueDate: Date | null; timeZone: string };
  /** Over the current state: the latest result per (case, environment) across non-aborted runs. */
  results: { passed: number; failed: number; blocked: number; skipped: number; flaky: number /* subset of passed */ };
  criticalFailures: { count: number; sample: { key: string; title: string; environment: string }[] };
  scope: null | { patterns: string[]; inScope: number; covered: number; untested: { count: number; sample: string[] } };
  runs: { total: number; inProgress: number; completed: number; aborted: number };
  defects: {
    /** OPEN and not waived; defects whose waiver expired are counted here by the caller. */
    open: { id: string; title: string; severity: Severity; jiraKey: string | null }[];
    waived: number;
    resolved: number;
  };
  environments: { name: string; runs: number; executed: number; passed: number }[];
  /** Latest per user (an older decision by the same user is ignored if present). */
  signoffs: { userId: string; decision: SignoffDecision; comment: string | null; at: Date }[];
  /**
   * (Case, environment) pairs flaky across runs (SPEC §10, domain/flaky-score.ts), with the
   * worst few (highest flip rate first). Absent when history was not looked at.
   */
  flakyCases?: { count: number; sample: FlakyCaseFact[] };
  /**
   * Resolved defects (in Shipgate or Done in Jira) whose linked test fails now in a run that
   * started after the defect was resolved, the first few named. Absent when not looked at.
   */
  resolvedStillFailing?: { count: number; sample: ResolvedStillFailingFact[] };
  /**
   * Current failures of quarantined cases (SPEC §10): (case, environment) pairs whose current
   * result is FAILED, on a case that is not critical now and whose quarantine is in force
   * (`until` after now). They are INCLUDED in `results.failed` and in `environments` as loaded;
   * the verdict takes them out of the pass rate. Absent when not looked at.
   */
  quarantinedFailures?: QuarantinedFailures;
  /** The milestone's recent daily snapshots, for the forecast (domain/forecast.ts). Absent when not looked at. */
  forecastHistory?: ForecastHistory;
}

export interface QuarantinedFailures {
  count: number;
  /** Per environment, as `environments` names them. */
  environments: { name: string; count: number }[];
  /** The first few by case key, then environment. */
  sample: QuarantinedFailureFact[];
}

export interface QuarantinedFailureFact {
  key: string;
  title: string;
  environment: string;
  /** When the quarantine ends: its failures count again from then on. */
  until: Date;
  reason: string;
}

export interface ResolvedStillFailingFact {
  defectId: string;
  defectTitle: string;
  jiraKey: string | null;
  testKey: string;
  testTitle: string;
  environment: string;
  /** The run the failure came from, which started after the defect was resolved. */
  runName: string;
}

export interface FlakyCaseFact {
  key: string;
  title: string;
  environment: string;
  flips: number;
  /** Passed and failed results in the window the flips were counted over. */
  results: number;
  flipRate: number;
}

export interface Reason {
  code: ReasonCode;
  severity: ReasonSeverity;
  /** Plain text for people, on any surface: no chat markup. People are named by their user id, as listed in `userIds`. */
  message: string;
  /** The people the message names, by Slack user id, in order (a rejected sign-off names who rejected it); absent when it names nobody. */
  userIds?: string[];
}

export interface ReadinessMetrics {
  passed: number;
  /** Failures that count: quarantined ones are left out (see `quarantined`). */
  failed: number;
  blocked: number;
  skipped: number;
  flaky: number;
  /** passed + failed + blocked: quarantined failures are not in it. */
  executed: number;
  passRate: number | null;
  /** Current failures of quarantined, non-critical cases, left out of failed, executed and the pass rate. */
  quarantined: number;
  coverage: number | null;
  inScope: number | null;
  covered: number | null;
  /** The first few untested scoped cases by key (the caller's sample). */
  untested: string[];
  runs: { total: number; inProgress: number; completed: number; aborted: number };
  openDefectsBySeverity: Record<Severity, number>;
  waivedDefects: number;
  resolvedDefects: number;
  /** Environments with results, plus any required environment that has none (so it can be shown as untested). */
  environments: { name: string; runs: number; executed: number; passRate: number | null }[];
  daysLeft: number | null;
  dueRisk: DueRisk;
  approvals: number;
  rejections: number;
}

/**
 * One rule of the gate with the value it was judged on, whether it fired or not, so a reader
 * sees what held as well as what failed. Ratios are fractions (0.945), counts are counts.
 */
export interface GateCheck {
  rule: GateRule;
  status: CheckStatus;
  /** What the milestone has: null when there is nothing to measure (no pass rate with nothing executed). */
  actual: number | null;
  /** What the gate asks for: a minimum for passRate, minExecuted, coverage, requiredSignoffs and requiredEnvironment (executed results); a maximum (0) for the counts of problems; null for dueDate. */
  threshold: number | null;
  /** The environment a requiredEnvironment check is about. */
  environment?: string;
}

export interface Readiness {
  verdict: Verdict;
  reasons: Reason[];
  /** Every rule of the gate, in GATE_RULES order; a failing or risky check is one that fired a reason. */
  checks: GateCheck[];
  metrics: ReadinessMetrics;
  policy: GatePolicy;
  /** When the gate's failing checks would clear at the recent pace (SPEC §10); null with `forecastUnavailable` saying why. */
  forecast: Forecast | null;
  forecastUnavailable: ForecastUnavailable | null;
}

/** GO = 0 … NO_GO = 3: higher is worse. */
export function verdictRank(verdict: Verdict): number {
  return VERDICTS.indexOf(verdict);
}

/** GO always ships; any other verdict only when explicitly allowed (e.g. `--allow GO_WITH_RISKS`). */
export function isShippable(verdict: Verdict, allow: readonly Verdict[]): boolean {
  return verdict === 'GO' || allow.includes(verdict);
}

// Fractions are compared as counts (passed >= threshold × executed). The slack
// absorbs binary rounding (0.07 × 100 is 7.000000000000001) and is far below
// one result even at millions of results.
const EPSILON = 1e-9;
const LIST_LIMIT = 5;
// A milestone due within this many calendar days carries LOW due risk.
const DUE_LOW_DAYS = 7;
const DUE_HIGH_DAYS = 3;

export function evaluateReadiness(facts: ReadinessFacts, policy: GatePolicy, now: Date): Readiness {
  const { runs, defects } = facts;
  // Quarantined failures leave the counts before anything is judged (SPEC §10): neither failed
  // nor executed. Critical failures are never among them, so CRITICAL_TEST_FAILED is untouched.
  const quarantine = countedQuarantine(facts);
  const results = { ...facts.results, failed: facts.results.failed - quarantine.count };
  const executed = results.passed + results.failed + results.blocked;
  const signoffs = latestPerUser(facts.signoffs);
  const approvals = signoffs.filter((s) => s.decision === 'APPROVE').length;
  const rejections = signoffs.filter((s) => s.decision === 'REJECT');
  const environments = environmentMetrics(quarantine.environments, policy.requiredEnvironments);

  const blockers: Reason[] = [];
  const block = (code: ReasonCode, message: string, userIds?: string[]) =>
    blockers.push({ code, severity: 'blocker', message, ...(userIds ? { userIds } : {}) });
  const checks: GateCheck[] = [];
  // Each rule records its check where it is judged, so a check fails exactly when its reason fires.
  const check = (rule: GateRule, status: CheckStatus, actual: number | null, threshold: number | null, environment?: string) =>
    checks.push({ rule, status, actual, threshold, ...(environment !== undefined ? { environment } : {}) });
  const outcome = (fired: boolean, tier: 'fail' | 'risk'): CheckStatus => (fired ? tier : 'pass');

  // NO_GO: a known problem.
  const passRateFails = executed > 0 && results.passed < policy.passRateThreshold * executed - EPSILON;
  check(
    'passRate',
    executed === 0 ? 'n/a' : outcome(passRateFails, 'fail'),
    executed > 0 ? results.passed / executed : null,
    policy.passRateThreshold,
  );
  if (passRateFails) {
    const detail = [
      results.failed > 0 ? `${results.failed} failed` : null,
      results.blocked > 0 ? `${results.blocked} blocked` : null,
      quarantine.count > 0 ? `${quarantine.count} quarantined ${quarantine.count === 1 ? 'failure' : 'failures'} left out` : null,
    ]
      .filter((part) => part !== null)
      .join(', ');
    block(
      'PASS_RATE_BELOW_THRESHOLD',
      `Pass rate ${formatRatio(results.passed, executed)} (${results.passed}/${executed}) is below the ` +
        `${formatGate(policy.passRateThreshold)} gate${detail ? `: ${detail}` : ''}`,
    );
  }
  const blocking = defects.open
    .filter((d) => policy.blockingSeverities.includes(d.severity))
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  check('blockingDefects', policy.blockingSeverities.length === 0 ? 'n/a' : outcome(blocking.length > 0, 'fail'), blocking.length, 0);
  if (blocking.length > 0) {
    const items = blocking.map((d) => `${d.jiraKey ? `${d.jiraKey} ` : ''}${d.title} (${d.severity})`);
    block('BLOCKING_DEFECT_OPEN', `${plural(blocking.length, 'blocking defect')} open: ${listOf(items, blocking.length)}`);
  }
  const critical = facts.criticalFailures;
  check('criticalTests', outcome(critical.count > 0, 'fail'), critical.count, 0);
  if (critical.count > 0) {
    const items = critical.sample.map((c) => `${c.title} (${c.key}) on ${c.environment}`);
    block(
      'CRITICAL_TEST_FAILED',
      `${plural(critical.count, 'failure')} on critical test cases${items.length ? `: ${listOf(items, critical.count)}` : ''}`,
    );
  }
  check('signoffRejections', outcome(rejections.length > 0, 'fail'), rejections.length, 0);
  if (rejections.length > 0) {
    // The user id as data, not as a chat mention: each surface renders people its own way.
    const items = rejections.map((s) => `${s.userId}${s.comment?.trim() ? ` (“${clip(s.comment.trim(), 80)}”)` : ''}`);
    block(
      'SIGNOFF_REJECTED',
      rejections.length === 1
        ? `Sign-off rejected by ${items[0]}`
        : `${rejections.length} sign-offs rejected: ${listOf(items, rejections.length)}`,
      rejections.map((s) => s.userId),
    );
  }
  const noGo = blockers.length > 0;

  // INSUFFICIENT_EVIDENCE: not enough known to say GO. Nothing run is never green,
  // so a policy minimum of 0 still needs one executed result.
  const minExecuted = Math.max(1, policy.minExecuted);
  check('minExecuted', outcome(executed < minExecuted, 'fail'), executed, minExecuted);
  if (executed < minExecuted) {
    const skipped = results.skipped > 0 ? ` (${plural(results.skipped, 'skipped result')} don't count)` : '';
    block(
      'NOT_ENOUGH_EXECUTED',
      executed === 0
        ? `Nothing has been tested yet: no passed, failed or blocked results, and the gate needs at least ${minExecuted}${skipped}`
        : `Only ${plural(executed, 'test result')} executed; the gate needs at least ${minExecuted}${skipped}`,
    );
  }
  if (policy.requiredEnvironments.length === 0) check('requiredEnvironment', 'n/a', null, null);
  for (const required of policy.requiredEnvironments) {
    const env = environments.find((e) => sameEnvironment(e.name, required))!;
    check('requiredEnvironment', outcome(env.executed === 0, 'fail'), env.executed, 1, required);
    if (env.executed > 0) continue;
    const runsNote = env.runs > 0 ? ` yet (${plural(env.runs, 'run')}, nothing passed, failed or blocked)` : ' (no runs yet)';
    block('ENVIRONMENT_NOT_TESTED', `Required environment ${required} has no executed results${runsNote}`);
  }
  const scope = facts.scope;
  const coverage = scope && scope.inScope > 0 ? scope.covered / scope.inScope : null;
  if (!scope || policy.minCoverage <= 0) check('coverage', 'n/a', coverage, scope ? policy.minCoverage : null);
  else {
    const short = scope.inScope === 0 || scope.covered < policy.minCoverage * scope.inScope - EPSILON;
    check('coverage', outcome(short, 'fail'), coverage, policy.minCoverage);
  }
  if (scope && policy.minCoverage > 0) {
    if (scope.inScope === 0) {
      block(
        'UNTESTED_SCOPE',
        `The scope (${listOf(scope.patterns, scope.patterns.length)}) matches no test cases: ` +
          'check the patterns, or post results so that the cases exist',
      );
    } else if (scope.covered < policy.minCoverage * scope.inScope - EPSILON) {
      const names = scope.untested.sample;
      block(
        'UNTESTED_SCOPE',
        `${scope.untested.count} of ${scope.inScope} scoped test cases not run yet ` +
          `(coverage ${formatRatio(scope.covered, scope.inScope)}, gate ${formatGate(policy.minCoverage)})` +
          (names.length ? `: ${listOf(names, Math.max(scope.untested.count, names.length))}` : ''),
      );
    }
  }

  const tz = isValidTimeZone(facts.milestone.timeZone) ? facts.milestone.timeZone : 'UTC';
  const { dueDate, status } = facts.milestone;
  const daysLeft = dueDate ? calendarDaysBetween(now, dueDate, tz) : null;
  const dueRisk = assessDueRisk(status, dueDate, now, daysLeft, runs.inProgress, blockers.length > 0);

  // GO_WITH_RISKS: shippable, but someone should look first.
  const risks: Reason[] = [];
  const risk = (code: ReasonCode, message: string) => risks.push({ code, severity: 'risk', message });
  check('runsInProgress', outcome(runs.inProgress > 0, 'risk'), runs.inProgress, 0);
  if (runs.inProgress > 0) {
    risk('RUNS_IN_PROGRESS', `${plural(runs.inProgress, 'test run')} still in progress: results may still change`);
  }
  // Two signs of flakiness, one rule: passes that needed a retry now, and cases
  // whose status keeps flipping across runs. The check counts both.
  const flakyCases = facts.flakyCases ?? { count: 0, sample: [] };
  const flakySigns = results.flaky + flakyCases.count;
  check('flakyTests', outcome(flakySigns > 0, 'risk'), flakySigns, 0);
  if (flakySigns > 0) {
    const parts = [
      results.flaky > 0 ? `${plural(results.flaky, 'flaky result')}: passed only after failing first` : null,
      flakyCases.count > 0 ? flakyCasesText(flakyCases) : null,
    ].filter((p) => p !== null);
    risk('FLAKY_TESTS', parts.join('; '));
  }
  check('waivedDefects', outcome(defects.waived > 0, 'risk'), defects.waived, 0);
  if (defects.waived > 0) {
    risk('DEFECTS_WAIVED', `${plural(defects.waived, 'defect')} waived: shipping with known issues`);
  }
  check(
    'requiredSignoffs',
    policy.requiredSignoffs === 0 ? 'n/a' : outcome(approvals < policy.requiredSignoffs, 'risk'),
    approvals,
    policy.requiredSignoffs,
  );
  if (approvals < policy.requiredSignoffs) {
    risk(
      'SIGNOFFS_MISSING',
      approvals === 0
        ? `No sign-offs yet: ${policy.requiredSignoffs} required`
        : `Only ${approvals} of ${policy.requiredSignoffs} required sign-offs given`,
    );
  }
  check('blockedTests', outcome(results.blocked > 0, 'risk'), results.blocked, 0);
  if (results.blocked > 0) {
    risk('BLOCKED_TESTS', `${plural(results.blocked, 'test result')} blocked: these could not be run`);
  }
  const dueFires = (dueRisk === 'HIGH' || dueRisk === 'OVERDUE') && dueDate !== null && daysLeft !== null;
  check('dueDate', !dueDate || status !== 'ACTIVE' ? 'n/a' : outcome(dueFires, 'risk'), daysLeft, null);
  if (dueRisk === 'HIGH' && dueDate && daysLeft !== null) {
    const causes = [
      runs.inProgress > 0 ? `${plural(runs.inProgress, 'run')} still in progress` : null,
      blockers.length > 0 ? 'blockers still open' : null,
    ].filter((c) => c !== null);
    const when = daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`;
    risk('DUE_SOON', `Due ${when} (${localDate(dueDate, tz)}) with ${causes.join(' and ')}`);
  }
  if (dueRisk === 'OVERDUE' && dueDate && daysLeft !== null) {
    risk(
      'OVERDUE',
      daysLeft < 0
        ? `Overdue by ${plural(-daysLeft, 'day')}: it was due ${localDate(dueDate, tz)}`
        : `Overdue: it was due earlier today (${localDate(dueDate, tz)})`,
    );
  }

  check('quarantinedTests', outcome(quarantine.count > 0, 'risk'), quarantine.count, 0);
  if (quarantine.count > 0) risk('QUARANTINED_TESTS', quarantinedText(quarantine.count, quarantine.sample, tz));

  const stillFailing = facts.resolvedStillFailing ?? { count: 0, sample: [] };
  check('resolvedDefectsFailing', outcome(stillFailing.count > 0, 'risk'), stillFailing.count, 0);
  if (stillFailing.count > 0) {
    const items = stillFailing.sample.map(
      (f) =>
        `defect ${f.jiraKey ? `${f.jiraKey} ` : ''}“${clip(f.defectTitle, 80)}” was resolved, but its test ${f.testTitle} (${f.testKey}) ` +
        `failed on ${f.environment} in ${f.runName}, a run that started after that`,
    );
    risk(
      'RESOLVED_DEFECT_STILL_FAILING',
      stillFailing.count === 1 && items.length === 1
        ? `A fix did not hold: ${items[0]}`
        : `${plural(stillFailing.count, 'resolved defect')} still failing: ${listOf(items, Math.max(stillFailing.count, items.length))}`,
    );
  }

  // Last, so it sees every failing check; a risk at most, so it never worsens a verdict past GO_WITH_RISKS.
  const gated = gateForecast({ facts, policy, checks, blockingOpen: blocking.length, now, tz, daysLeft });
  check('forecast', gated.check.status, gated.check.actual, gated.check.threshold);
  if (gated.risk) risk('FORECAST_AFTER_DUE', gated.risk);

  const verdict: Verdict = noGo ? 'NO_GO' : blockers.length > 0 ? 'INSUFFICIENT_EVIDENCE' : risks.length > 0 ? 'GO_WITH_RISKS' : 'GO';

  const openDefectsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const d of defects.open) openDefectsBySeverity[d.severity] += 1;

  return {
    verdict,
    reasons: [...blockers, ...risks],
    checks,
    metrics: {
      passed: results.passed,
      failed: results.failed,
      blocked: results.blocked,
      skipped: results.skipped,
      flaky: results.flaky,
      executed,
      passRate: executed > 0 ? results.passed / executed : null,
      quarantined: quarantine.count,
      coverage,
      inScope: scope ? scope.inScope : null,
      covered: scope ? scope.covered : null,
      untested: scope ? [...scope.untested.sample] : [],
      runs: { ...runs },
      openDefectsBySeverity,
      waivedDefects: defects.waived,
      resolvedDefects: defects.resolved,
      environments,
      daysLeft,
      dueRisk,
      approvals,
      rejections: rejections.length,
    },
    policy,
    forecast: gated.outcome.forecast,
    forecastUnavailable: gated.outcome.unavailable,
  };
}

/**
 * NONE without a due date or once the milestone is no longer ACTIVE (a
 * completed or archived milestone has nothing left to be late for); OVERDUE
 * past the due instant; HIGH within 3 calendar days with work in progress or a
 * blocker; LOW within 7 days.
 */
function assessDueRisk(
  status: MilestoneStatus,
  dueDate: Date | null,
  now: Date,
  daysLeft: number | null,
  inProgress: number,
  blockerPresent: boolean,
): DueRisk {
  if (!dueDate || daysLeft === null || status !== 'ACTIVE') return 'NONE';
  if (now.getTime() > dueDate.getTime()) return 'OVERDUE';
  if (daysLeft <= DUE_HIGH_DAYS && (inProgress > 0 || blockerPresent)) return 'HIGH';
  if (daysLeft <= DUE_LOW_DAYS) return 'LOW';
  return 'NONE';
}

// People type "Production" in a form and CI posts "production"; treating them
// as different environments would hold a milestone back forever.
function sameEnvironment(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function environmentMetrics(environments: ReadinessFacts['environments'], required: readonly string[]): ReadinessMetrics['environments'] {
  const merged: ReadinessMetrics['environments'] = [];
  const passedByIndex: number[] = [];
  for (const env of [...environments, ...required.map((name) => ({ name, runs: 0, executed: 0, passed: 0 }))]) {
    const i = merged.findIndex((m) => sameEnvironment(m.name, env.name));
    if (i === -1) {
      merged.push({ name: env.name, runs: env.runs, executed: env.executed, passRate: null });
      passedByIndex.push(env.passed);
    } else {
      merged[i]!.runs += env.runs;
      merged[i]!.executed += env.executed;
      passedByIndex[i]! += env.passed;
    }
  }
  merged.forEach((m, i) => (m.passRate = m.executed > 0 ? passedByIndex[i]! / m.executed : null));
  return merged;
}

/**
 * The quarantined failures to take out, and the environments without them. Facts from a
 * caller are trusted only as far as they can hold: never more than the failures that are not
 * critical (critical always counts), never more in an environment than its failed and blocked.
 */
function countedQuarantine(facts: ReadinessFacts): {
  count: number;
  sample: QuarantinedFailureFact[];
  environments: ReadinessFacts['environments'];
} {
  const q = facts.quarantinedFailures;
  if (!q || q.count <= 0) return { count: 0, sample: [], environments: facts.environments };
  const count = Math.min(q.count, Math.max(0, facts.results.failed - facts.criticalFailures.count));
  let left = count;
  const environments = facts.environments.map((e) => {
    const claimed = q.environments.filter((x) => sameEnvironment(x.name, e.name)).reduce((n, x) => n + x.count, 0);
    const out = Math.min(Math.max(0, claimed), Math.max(0, e.executed - e.passed), left);
    left -= out;
    return { ...e, executed: e.executed - out };
  });
  return { count, sample: q.sample, environments };
}

function quarantinedText(count: number, sample: QuarantinedFailureFact[], tz: string): string {
  const items = sample.map(
    (q) => `${q.title} (${q.key}) on ${q.environment}, quarantined until ${localDate(q.until, tz)}: “${clip(q.reason, 80)}”`,
  );
  const head = `${plural(count, 'failure')} of quarantined tests left out of the pass rate`;
  return items.length ? `${head}: ${listOf(items, Math.max(count, items.length))}` : head;
}

function latestPerUser(signoffs: ReadinessFacts['signoffs']): ReadinessFacts['signoffs'] {
  const latest = new Map<string, ReadinessFacts['signoffs'][number]>();
  for (const s of signoffs) {
    const seen = latest.get(s.userId);
    if (!seen || s.at.getTime() >= seen.at.getTime()) latest.set(s.userId, s);
  }
  return [...latest.values()];
}

function flakyCasesText(flaky: { count: number; sample: FlakyCaseFact[] }): string {
  const items = flaky.sample.map(
    (c) => `${c.title} (${c.key}) on ${c.environment}, ${plural(c.flips, 'flip')} in its last ${c.results} results`,
  );
  const head = `${plural(flaky.count, 'test')} flaky across runs (status keeps flipping)`;
  return items.length ? `${head}: ${listOf(items, Math.max(flaky.count, items.length))}` : head;
}

function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** "a, b and c", or "a, b, c, d, e and 7 more" when there are more than shown. */
function listOf(items: readonly string[], total: number): string {
  const shown = items.slice(0, LIST_LIMIT);
  const more = total - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
