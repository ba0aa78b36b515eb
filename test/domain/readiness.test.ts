import { describe, expect, it } from 'vitest';
import { resolveGatePolicy, type GatePolicy } from '../../src/domain/gate-policy.js';
import { evaluateReadiness, isShippable, verdictRank, type ReadinessFacts, type Reason } from '../../src/domain/readiness.js';
import { REASON_CODES, type ReasonCode } from '../../src/domain/types.js';
import { NOW, defect, emptyFacts, flakyCase, goFacts, quarantined, resolvedFailing, results, signoff } from './readiness-facts.js';

function evaluate(facts: ReadinessFacts, policy: Partial<GatePolicy> = {}, now = NOW) {
  return evaluateReadiness(facts, resolveGatePolicy(null, policy), now);
}

function reason(readiness: { reasons: Reason[] }, code: ReasonCode): Reason {
  const found = readiness.reasons.find((r) => r.code === code);
  if (!found) throw new Error(`no ${code} in ${JSON.stringify(readiness.reasons)}`);
  return found;
}

const codes = (readiness: { reasons: Reason[] }) => readiness.reasons.map((r) => r.code);

describe('evaluateReadiness: baseline', () => {
  it('is GO with no reasons when everything passed', () => {
    const readiness = evaluate(goFacts());
    expect(readiness.verdict).toBe('GO');
    expect(readiness.reasons).toEqual([]);
    expect(readiness.metrics.passRate).toBe(1);
  });

  it('an empty milestone is INSUFFICIENT_EVIDENCE, never green', () => {
    const readiness = evaluate(emptyFacts());
    expect(readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(codes(readiness)).toEqual(['NOT_ENOUGH_EXECUTED']);
    expect(reason(readiness, 'NOT_ENOUGH_EXECUTED')).toMatchObject({
      severity: 'blocker',
      message: expect.stringContaining('Nothing has been tested yet'),
    });
    expect(readiness.metrics.passRate).toBeNull();
  });

  it('only skipped results are still not evidence, and the message says so', () => {
    const readiness = evaluate(goFacts({ results: results(0, 0, 0, 7) }));
    expect(readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(reason(readiness, 'NOT_ENOUGH_EXECUTED').message).toContain("7 skipped results don't count");
  });

  it('a policy minimum of 0 executed still needs one executed result', () => {
    const readiness = evaluate(emptyFacts(), { minExecuted: 0 });
    expect(readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(reason(readiness, 'NOT_ENOUGH_EXECUTED').message).toContain('at least 1');
  });
});

describe('evaluateReadiness: NO_GO rules', () => {
  it('PASS_RATE_BELOW_THRESHOLD with the numbers and the gate', () => {
    const readiness = evaluate(goFacts({ results: results(182, 15, 3) }));
    expect(readiness.verdict).toBe('NO_GO');
    expect(reason(readiness, 'PASS_RATE_BELOW_THRESHOLD')).toEqual({
      code: 'PASS_RATE_BELOW_THRESHOLD',
      severity: 'blocker',
      message: 'Pass rate 91% (182/200) is below the 95% gate: 15 failed, 3 blocked',
    });
  });

  it('exactly at the threshold passes (95/100 at 95%)', () => {
    const readiness = evaluate(goFacts({ results: results(95, 5) }));
    expect(codes(readiness)).not.toContain('PASS_RATE_BELOW_THRESHOLD');
    expect(readiness.verdict).toBe('GO');
  });

  it('binary rounding does not fail a pass rate exactly at the gate (7/100 at 7%)', () => {
    expect(evaluate(goFacts({ results: results(7, 93) }), { passRateThreshold: 0.07 }).verdict).toBe('GO');
    expect(evaluate(goFacts({ results: results(57, 43) }), { passRateThreshold: 0.57 }).verdict).toBe('GO');
  });

  it('one below the gate fails, and the rate is never rounded up to the gate', () => {
    const readiness = evaluate(goFacts({ results: results(9499, 1) }), { passRateThreshold: 0.9999 });
    expect(readiness.verdict).toBe('NO_GO');
    expect(reason(readiness, 'PASS_RATE_BELOW_THRESHOLD').message).toBe('Pass rate 99.9% (9499/9500) is below the 99.99% gate: 1 failed');
    const near = evaluate(goFacts({ results: results(9499, 501) }));
    expect(reason(near, 'PASS_RATE_BELOW_THRESHOLD').message).toMatch(/^Pass rate 94\.9% \(9499\/10000\)/);
  });

  it('BLOCKING_DEFECT_OPEN lists blocking defects, most severe first, with Jira keys', () => {
    const readiness = evaluate(
      goFacts({
        defects: {
          open: [defect('HIGH', 'Refund rounding'), defect('MEDIUM', 'Typo'), defect('CRITICAL', 'Checkout fails on Safari', 'PAY-12')],
          waived: 0,
          resolved: 3,
        },
      }),
    );
    expect(readiness.verdict).toBe('NO_GO');
    expect(reason(readiness, 'BLOCKING_DEFECT_OPEN')).toEqual({
      code: 'BLOCKING_DEFECT_OPEN',
      severity: 'blocker',
      message: '2 blocking defects open: PAY-12 Checkout fails on Safari (CRITICAL) and Refund rounding (HIGH)',
    });
    expect(readiness.metrics.openDefectsBySeverity).toEqual({ CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 0 });
    expect(readiness.metrics.resolvedDefects).toBe(3);
  });

  it('a defect outside the blocking severities does not block', () => {
    const readiness = evaluate(goFacts({ defects: { open: [defect('MEDIUM'), defect('LOW')], waived: 0, resolved: 0 } }));
    expect(readiness.verdict).toBe('GO');
  });

  it('an open blocking defect with nothing run is NO_GO (a known blocker outranks missing evidence)', () => {
    const readiness = evaluate({ ...emptyFacts(), defects: { open: [defect('CRITICAL', 'Data loss')], waived: 0, resolved: 0 } });
    expect(readiness.verdict).toBe('NO_GO');
    expect(codes(readiness)).toEqual(['BLOCKING_DEFECT_OPEN', 'NOT_ENOUGH_EXECUTED']);
  });

  it('CRITICAL_TEST_FAILED names the failing cases and how many more', () => {
    const readiness = evaluate(
      goFacts({
        results: results(999, 3),
        criticalFailures: {
          count: 3,
          sample: [
            { key: 'checkout::pay', title: 'Pay by card', environment: 'production' },
            { key: 'login::sso', title: 'SSO login', environment: 'staging' },
          ],
        },
      }),
    );
    expect(readiness.verdict).toBe('NO_GO');
    expect(codes(readiness)).toEqual(['CRITICAL_TEST_FAILED']);
    expect(reason(readiness, 'CRITICAL_TEST_FAILED')).toEqual({
      code: 'CRITICAL_TEST_FAILED',
      severity: 'blocker',
      message: '3 failures on critical test cases: Pay by card (checkout::pay) on production, SSO login (login::sso) on staging and 1 more',
    });
  });

  it('SIGNOFF_REJECTED by the latest decision of each user, with the comment', () => {
    const readiness = evaluate(
      goFacts({ signoffs: [signoff('U1', 'APPROVE'), signoff('U2', 'REJECT', '2026-03-14T11:00:00Z', 'Not ready for Black Friday')] }),
    );
    expect(readiness.verdict).toBe('NO_GO');
    expect(reason(readiness, 'SIGNOFF_REJECTED')).toEqual({
      code: 'SIGNOFF_REJECTED',
      severity: 'blocker',
      message: 'Sign-off rejected by U2 (“Not ready for Black Friday”)',
      userIds: ['U2'],
    });
    expect(readiness.metrics).toMatchObject({ approvals: 1, rejections: 1 });
  });

  it('a rejection later replaced by an approval from the same user no longer blocks', () => {
    const readiness = evaluate(
      goFacts({ signoffs: [signoff('U2', 'REJECT', '2026-03-14T10:00:00Z'), signoff('U2', 'APPROVE', '2026-03-14T12:00:00Z')] }),
    );
    expect(readiness.verdict).toBe('GO');
    expect(readiness.metrics).toMatchObject({ approvals: 1, rejections: 0 });
  });

  it('several rejections are counted in one reason', () => {
    const readiness = evaluate(goFacts({ signoffs: [signoff('U1', 'REJECT'), signoff('U2', 'REJECT')] }));
    expect(reason(readiness, 'SIGNOFF_REJECTED')).toMatchObject({ message: '2 sign-offs rejected: U1 and U2', userIds: ['U1', 'U2'] });
  });
});

describe('evaluateReadiness: INSUFFICIENT_EVIDENCE rules', () => {
  it('NOT_ENOUGH_EXECUTED below the policy minimum', () => {
    const readiness = evaluate(goFacts({ results: results(12) }), { minExecuted: 50 });
    expect(readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(reason(readiness, 'NOT_ENOUGH_EXECUTED')).toEqual({
      code: 'NOT_ENOUGH_EXECUTED',
      severity: 'blocker',
      message: 'Only 12 test results executed; the gate needs at least 50',
    });
  });

  it('ENVIRONMENT_NOT_TESTED once per required environment without executed results', () => {
    const readiness = evaluate(
      goFacts({
        environments: [
          { name: 'staging', runs: 1, executed: 100, passed: 100 },
          { name: 'canary', runs: 2, executed: 0, passed: 0 },
        ],
      }),
      { requiredEnvironments: ['staging', 'production', 'canary'] },
    );
    expect(readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(readiness.reasons).toEqual([
      {
        code: 'ENVIRONMENT_NOT_TESTED',
        severity: 'blocker',
        message: 'Required environment production has no executed results (no runs yet)',
      },
      {
        code: 'ENVIRONMENT_NOT_TESTED',
        severity: 'blocker',
        message: 'Required environment canary has no executed results yet (2 runs, nothing passed, failed or blocked)',
      },
    ]);
    // The missing environment is still listed, so a card can show it as untested.
    expect(readiness.metrics.environments.map((e) => [e.name, e.executed, e.passRate])).toEqual([
      ['staging', 100, 1],
      ['canary', 0, null],
      ['production', 0, null],
    ]);
  });

  it('required environment names match regardless of case', () => {
    const readiness = evaluate(goFacts(), { requiredEnvironments: ['Staging'] });
    expect(readiness.verdict).toBe('GO');
    expect(readiness.metrics.environments).toHaveLength(1);
  });

  it('UNTESTED_SCOPE when the scope is partly run, naming untested cases', () => {
    const readiness = evaluate(
      goFacts({
        results: results(28),
        scope: { patterns: ['checkout::*'], inScope: 40, covered: 28, untested: { count: 12, sample: ['a::b', 'c::d'] } },
      }),
    );
    expect(readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(reason(readiness, 'UNTESTED_SCOPE')).toEqual({
      code: 'UNTESTED_SCOPE',
      severity: 'blocker',
      message: '12 of 40 scoped test cases not run yet (coverage 70%, gate 100%): a::b, c::d and 10 more',
    });
    expect(readiness.metrics).toMatchObject({ inScope: 40, covered: 28, coverage: 0.7, untested: ['a::b', 'c::d'] });
  });

  it('coverage at the policy minimum is enough', () => {
    const readiness = evaluate(goFacts({ scope: { patterns: ['x::*'], inScope: 40, covered: 28, untested: { count: 12, sample: [] } } }), {
      minCoverage: 0.7,
    });
    expect(readiness.verdict).toBe('GO');
  });

  it('a scope that matches no test cases is UNTESTED_SCOPE and says so', () => {
    const readiness = evaluate(
      goFacts({ scope: { patterns: ['chekout::*', 'billing › *'], inScope: 0, covered: 0, untested: { count: 0, sample: [] } } }),
    );
    expect(readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(reason(readiness, 'UNTESTED_SCOPE').message).toBe(
      'The scope (chekout::* and billing › *) matches no test cases: check the patterns, or post results so that the cases exist',
    );
    expect(readiness.metrics.coverage).toBeNull();
  });

  it('without a scope, coverage is not gated', () => {
    const readiness = evaluate(goFacts());
    expect(readiness.metrics).toMatchObject({ inScope: null, covered: null, coverage: null, untested: [] });
  });
});

describe('evaluateReadiness: GO_WITH_RISKS rules', () => {
  const cases: [string, ReadinessFacts, Partial<GatePolicy>, ReasonCode, string][] = [
    [
      'runs in progress',
      goFacts({ runs: { total: 3, inProgress: 2, completed: 1, aborted: 0 } }),
      {},
      'RUNS_IN_PROGRESS',
      '2 test runs still in progress: results may still change',
    ],
    [
      'flaky results',
      goFacts({ results: results(100, 0, 0, 0, 4) }),
      {},
      'FLAKY_TESTS',
      '4 flaky results: passed only after failing first',
    ],
    [
      'tests flaky across runs',
      goFacts({ flakyCases: { count: 1, sample: [flakyCase('checkout::pay', 'Pay by card', 'staging', 5, 6)] } }),
      {},
      'FLAKY_TESTS',
      '1 test flaky across runs (status keeps flipping): Pay by card (checkout::pay) on staging, 5 flips in its last 6 results',
    ],
    [
      'flaky results and tests flaky across runs, the worst few named',
      goFacts({
        results: results(100, 0, 0, 0, 2),
        flakyCases: {
          count: 7,
          sample: [1, 2, 3, 4, 5].map((i) => flakyCase(`k${i}`, `T${i}`, 'ci', 6 - i, 20)),
        },
      }),
      {},
      'FLAKY_TESTS',
      '2 flaky results: passed only after failing first; 7 tests flaky across runs (status keeps flipping): ' +
        'T1 (k1) on ci, 5 flips in its last 20 results, T2 (k2) on ci, 4 flips in its last 20 results, ' +
        'T3 (k3) on ci, 3 flips in its last 20 results, T4 (k4) on ci, 2 flips in its last 20 results, ' +
        'T5 (k5) on ci, 1 flip in its last 20 results and 2 more',
    ],
    [
      'failures of quarantined tests',
      goFacts({
        results: results(100, 2),
        environments: [{ name: 'staging', runs: 1, executed: 102, passed: 100 }],
        quarantinedFailures: quarantined(2),
      }),
      {},
      'QUARANTINED_TESTS',
      '2 failures of quarantined tests left out of the pass rate: Q0 (q0) on staging, quarantined until 2026-04-01: “flaky on CI, tracked in PAY-9” ' +
        'and Q1 (q1) on staging, quarantined until 2026-04-01: “flaky on CI, tracked in PAY-9”',
    ],
    [
      'a resolved defect whose test fails in a later run',
      goFacts({
        resolvedStillFailing: { count: 1, sample: [resolvedFailing('Login fails on Safari', 'auth::login', { jiraKey: 'PAY-12' })] },
      }),
      {},
      'RESOLVED_DEFECT_STILL_FAILING',
      'A fix did not hold: defect PAY-12 “Login fails on Safari” was resolved, but its test Title of auth::login (auth::login) ' +
        'failed on staging in CI #42, a run that started after that',
    ],
    [
      'two resolved defects still failing',
      goFacts({
        resolvedStillFailing: { count: 2, sample: [resolvedFailing('A', 'a'), resolvedFailing('B', 'b', { runName: 'nightly' })] },
      }),
      {},
      'RESOLVED_DEFECT_STILL_FAILING',
      '2 resolved defects still failing: defect “A” was resolved, but its test Title of a (a) failed on staging in CI #42, a run that started after that ' +
        'and defect “B” was resolved, but its test Title of b (b) failed on staging in nightly, a run that started after that',
    ],
    [
      'waived defects',
      goFacts({ defects: { open: [], waived: 1, resolved: 0 } }),
      {},
      'DEFECTS_WAIVED',
      '1 defect waived: shipping with known issues',
    ],
    ['no sign-offs', goFacts(), { requiredSignoffs: 2 }, 'SIGNOFFS_MISSING', 'No sign-offs yet: 2 required'],
    [
      'too few sign-offs',
      goFacts({ signoffs: [signoff('U1', 'APPROVE')] }),
      { requiredSignoffs: 2 },
      'SIGNOFFS_MISSING',
      'Only 1 of 2 required sign-offs given',
    ],
    ['blocked results', goFacts({ results: results(99, 0, 1) }), {}, 'BLOCKED_TESTS', '1 test result blocked: these could not be run'],
  ];

  it.each(cases)('%s', (_name, facts, policy, code, message) => {
    const readiness = evaluate(facts, policy);
    expect(readiness.verdict).toBe('GO_WITH_RISKS');
    expect(readiness.reasons).toEqual([{ code, severity: 'risk', message }]);
  });

  it('enough approvals clear SIGNOFFS_MISSING', () => {
    const readiness = evaluate(goFacts({ signoffs: [signoff('U1', 'APPROVE'), signoff('U2', 'APPROVE')] }), { requiredSignoffs: 2 });
    expect(readiness.verdict).toBe('GO');
  });
});

describe('evaluateReadiness: due dates', () => {
  const dueOn18th = new Date('2026-03-18T23:59:59.999Z');

  it('daysLeft counts calendar days in the milestone zone: on the 15th, due on the 18th is 3', () => {
    const readiness = evaluate(goFacts({ milestone: { status: 'ACTIVE', dueDate: dueOn18th, timeZone: 'UTC' } }));
    expect(readiness.metrics.daysLeft).toBe(3);
    expect(readiness.metrics.dueRisk).toBe('LOW');
    expect(readiness.verdict).toBe('GO');
  });

  it('DUE_SOON: within 3 days with a run still in progress', () => {
    const readiness = evaluate(
      goFacts({
        milestone: { status: 'ACTIVE', dueDate: dueOn18th, timeZone: 'UTC' },
        runs: { total: 2, inProgress: 1, completed: 1, aborted: 0 },
      }),
    );
    expect(readiness.metrics.dueRisk).toBe('HIGH');
    expect(readiness.verdict).toBe('GO_WITH_RISKS');
    expect(reason(readiness, 'DUE_SOON')).toEqual({
      code: 'DUE_SOON',
      severity: 'risk',
      message: 'Due in 3 days (2026-03-18) with 1 run still in progress',
    });
  });

  it('DUE_SOON: tomorrow with a blocker present, listed after the blocker', () => {
    const readiness = evaluate(
      goFacts({
        milestone: { status: 'ACTIVE', dueDate: new Date('2026-03-16T20:00:00Z'), timeZone: 'UTC' },
        defects: { open: [defect('CRITICAL', 'Crash')], waived: 0, resolved: 0 },
      }),
    );
    expect(readiness.verdict).toBe('NO_GO');
    expect(codes(readiness)).toEqual(['BLOCKING_DEFECT_OPEN', 'DUE_SOON']);
    expect(reason(readiness, 'DUE_SOON').message).toBe('Due tomorrow (2026-03-16) with blockers still open');
  });

  it('more than 7 days away is no due risk', () => {
    const readiness = evaluate(goFacts({ milestone: { status: 'ACTIVE', dueDate: new Date('2026-03-23T12:00:00Z'), timeZone: 'UTC' } }));
    expect(readiness.metrics).toMatchObject({ daysLeft: 8, dueRisk: 'NONE' });
  });

  it('OVERDUE is a risk, not a blocker', () => {
    const readiness = evaluate(
      goFacts({ milestone: { status: 'ACTIVE', dueDate: new Date('2026-03-12T23:59:59.999Z'), timeZone: 'UTC' } }),
    );
    expect(readiness.verdict).toBe('GO_WITH_RISKS');
    expect(readiness.metrics).toMatchObject({ daysLeft: -3, dueRisk: 'OVERDUE' });
    expect(readiness.reasons).toEqual([{ code: 'OVERDUE', severity: 'risk', message: 'Overdue by 3 days: it was due 2026-03-12' }]);
  });

  it('OVERDUE earlier the same day', () => {
    const readiness = evaluate(goFacts({ milestone: { status: 'ACTIVE', dueDate: new Date('2026-03-15T09:00:00Z'), timeZone: 'UTC' } }));
    expect(reason(readiness, 'OVERDUE').message).toBe('Overdue: it was due earlier today (2026-03-15)');
  });

  it('counts days in the milestone time zone, not UTC', () => {
    // 23:30 on the 14th in New York is already the 15th in UTC.
    const now = new Date('2026-03-15T03:30:00Z');
    const readiness = evaluate(
      goFacts({ milestone: { status: 'ACTIVE', dueDate: new Date('2026-03-19T03:59:59.999Z'), timeZone: 'America/New_York' } }),
      {},
      now,
    );
    expect(readiness.metrics.daysLeft).toBe(4);
  });

  it('a completed milestone past its due date has no due risk', () => {
    const readiness = evaluate(goFacts({ milestone: { status: 'COMPLETED', dueDate: new Date('2026-03-01T00:00:00Z'), timeZone: 'UTC' } }));
    expect(readiness.metrics.dueRisk).toBe('NONE');
    expect(readiness.verdict).toBe('GO');
  });

  it('no due date: daysLeft null, no due risk', () => {
    expect(evaluate(goFacts()).metrics).toMatchObject({ daysLeft: null, dueRisk: 'NONE' });
  });
});

describe('evaluateReadiness: reasons', () => {
  it('lists every rule that fired, blockers, then missing evidence, then risks', () => {
    const readiness = evaluate(
      {
        milestone: { status: 'ACTIVE', dueDate: new Date('2026-03-17T12:00:00Z'), timeZone: 'UTC' },
        results: results(50, 40, 10, 0, 5),
        criticalFailures: { count: 1, sample: [{ key: 'k', title: 't', environment: 'default' }] },
        scope: { patterns: ['*'], inScope: 200, covered: 100, untested: { count: 100, sample: ['x'] } },
        runs: { total: 3, inProgress: 1, completed: 2, aborted: 0 },
        defects: { open: [defect('HIGH')], waived: 2, resolved: 0 },
        environments: [{ name: 'staging', runs: 3, executed: 100, passed: 50 }],
        signoffs: [signoff('U1', 'REJECT')],
        resolvedStillFailing: { count: 1, sample: [resolvedFailing('Fixed?', 'k')] },
        quarantinedFailures: quarantined(2),
      },
      { minExecuted: 500, requiredEnvironments: ['production'], requiredSignoffs: 1 },
    );
    expect(readiness.verdict).toBe('NO_GO');
    // No forecast while a rejected sign-off (or missing evidence) holds the gate, so no FORECAST_AFTER_DUE (forecast.test.ts).
    expect(codes(readiness)).toEqual(REASON_CODES.filter((c) => c !== 'OVERDUE' && c !== 'FORECAST_AFTER_DUE'));
    const severities = readiness.reasons.map((r) => r.severity);
    expect(severities.lastIndexOf('blocker')).toBeLessThan(severities.indexOf('risk'));
  });

  it('evidence problems outrank risks', () => {
    const readiness = evaluate(goFacts({ results: results(3, 0, 0, 0, 1), runs: { total: 1, inProgress: 1, completed: 0, aborted: 0 } }), {
      minExecuted: 10,
    });
    expect(readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(codes(readiness)).toEqual(['NOT_ENOUGH_EXECUTED', 'RUNS_IN_PROGRESS', 'FLAKY_TESTS']);
  });

  it('long lists are cut to five names and a count', () => {
    const open = Array.from({ length: 8 }, (_, i) => defect('HIGH', `Bug ${i + 1}`));
    const readiness = evaluate(goFacts({ defects: { open, waived: 0, resolved: 0 } }));
    expect(reason(readiness, 'BLOCKING_DEFECT_OPEN').message).toBe(
      '8 blocking defects open: Bug 1 (HIGH), Bug 2 (HIGH), Bug 3 (HIGH), Bug 4 (HIGH), Bug 5 (HIGH) and 3 more',
    );
  });
});

describe('evaluateReadiness: policy', () => {
  it('a milestone override of the pass-rate gate applies over the project default', () => {
    const facts = goFacts({ results: results(182, 18) });
    const policy = resolveGatePolicy({ passRateThreshold: 0.99 }, { passRateThreshold: 0.9 });
    expect(evaluateReadiness(facts, policy, NOW).verdict).toBe('GO');
    expect(evaluateReadiness(facts, resolveGatePolicy({ passRateThreshold: 0.99 }, null), NOW).verdict).toBe('NO_GO');
  });

  it('blocking severities can include MEDIUM', () => {
    const readiness = evaluate(goFacts({ defects: { open: [defect('MEDIUM', 'Slow')], waived: 0, resolved: 0 } }), {
      blockingSeverities: ['CRITICAL', 'HIGH', 'MEDIUM'],
    });
    expect(readiness.verdict).toBe('NO_GO');
  });

  it('echoes the policy it applied', () => {
    const policy = resolveGatePolicy(null, { requiredSignoffs: 1 });
    expect(evaluateReadiness(goFacts(), policy, NOW).policy).toEqual(policy);
  });

  it('an unknown stored time zone falls back to UTC instead of failing the verdict', () => {
    const readiness = evaluate(
      goFacts({ milestone: { status: 'ACTIVE', dueDate: new Date('2026-03-18T12:00:00Z'), timeZone: 'Mars/Olympus' } }),
    );
    expect(readiness.metrics.daysLeft).toBe(3);
  });
});

describe('verdict helpers', () => {
  it('verdictRank orders GO < GO_WITH_RISKS < INSUFFICIENT_EVIDENCE < NO_GO', () => {
    expect(['GO', 'GO_WITH_RISKS', 'INSUFFICIENT_EVIDENCE', 'NO_GO'].map((v) => verdictRank(v as never))).toEqual([0, 1, 2, 3]);
  });

  it('isShippable: GO always, others only when allowed', () => {
    expect(isShippable('GO', [])).toBe(true);
    expect(isShippable('GO_WITH_RISKS', [])).toBe(false);
    expect(isShippable('GO_WITH_RISKS', ['GO_WITH_RISKS'])).toBe(true);
    expect(isShippable('NO_GO', ['GO_WITH_RISKS'])).toBe(false);
  });
});

describe('evaluateReadiness: quarantine (SPEC §10)', () => {
  const facts = (q: number) =>
    goFacts({
      results: results(94, 6),
      environments: [{ name: 'staging', runs: 1, executed: 100, passed: 94 }],
      ...(q ? { quarantinedFailures: quarantined(q) } : {}),
    });

  it('quarantined failures count neither as failed nor as executed: 94/98 instead of 94/100', () => {
    expect(evaluate(facts(0)).verdict).toBe('NO_GO');
    const all = evaluate(facts(6));
    expect(all.metrics).toMatchObject({ passed: 94, failed: 0, executed: 94, passRate: 1, quarantined: 6 });
    expect(all.metrics.environments).toEqual([{ name: 'staging', runs: 1, executed: 94, passRate: 1 }]);
    expect(all.verdict).toBe('GO_WITH_RISKS');
    expect(codes(all)).toEqual(['QUARANTINED_TESTS']);
    const some = evaluate(facts(2));
    expect(some.metrics).toMatchObject({ failed: 4, executed: 98, passRate: 94 / 98, quarantined: 2 });
    expect(some.verdict).toBe('GO_WITH_RISKS');
  });

  it('a pass rate still below the gate says how many quarantined failures it left out', () => {
    const r = evaluate(facts(1));
    expect(r.verdict).toBe('NO_GO');
    expect(r.reasons[0]!.message).toBe('Pass rate 94.9% (94/99) is below the 95% gate: 5 failed, 1 quarantined failure left out');
  });

  it('critical failures always count: facts claiming them as quarantined change nothing about CRITICAL_TEST_FAILED', () => {
    const r = evaluate(
      goFacts({
        results: results(100, 1),
        criticalFailures: { count: 1, sample: [{ key: 'pay', title: 'Pay', environment: 'staging' }] },
        environments: [{ name: 'staging', runs: 1, executed: 101, passed: 100 }],
        quarantinedFailures: quarantined(1),
      }),
    );
    expect(r.verdict).toBe('NO_GO');
    expect(r.metrics).toMatchObject({ failed: 1, executed: 101, quarantined: 0 });
    expect(r.metrics.environments[0]!.executed).toBe(101);
    expect(codes(r)).toEqual(['CRITICAL_TEST_FAILED']);
  });
});
