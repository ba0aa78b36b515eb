// The readiness's checks: every rule of the gate with its actual value and
// threshold, and a check fails or is risky exactly when its reason fired.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveGatePolicy, type GatePolicy } from '../../src/domain/gate-policy.js';
import { evaluateReadiness, type GateCheck, type ReadinessFacts } from '../../src/domain/readiness.js';
import { GATE_RULES, type GateRule, type ReasonCode } from '../../src/domain/types.js';
import { factsArb, policyArb } from './readiness-arbitraries.js';
import { NOW, defect, flakyCase, goFacts, quarantined, results, signoff } from './readiness-facts.js';

function checksOf(facts: ReadinessFacts, policy: Partial<GatePolicy> = {}, now = NOW): GateCheck[] {
  return evaluateReadiness(facts, resolveGatePolicy(null, policy), now).checks;
}

const REASONS_OF_RULE: Record<GateRule, ReasonCode[]> = {
  passRate: ['PASS_RATE_BELOW_THRESHOLD'],
  blockingDefects: ['BLOCKING_DEFECT_OPEN'],
  criticalTests: ['CRITICAL_TEST_FAILED'],
  signoffRejections: ['SIGNOFF_REJECTED'],
  minExecuted: ['NOT_ENOUGH_EXECUTED'],
  requiredEnvironment: ['ENVIRONMENT_NOT_TESTED'],
  coverage: ['UNTESTED_SCOPE'],
  runsInProgress: ['RUNS_IN_PROGRESS'],
  flakyTests: ['FLAKY_TESTS'],
  waivedDefects: ['DEFECTS_WAIVED'],
  requiredSignoffs: ['SIGNOFFS_MISSING'],
  blockedTests: ['BLOCKED_TESTS'],
  dueDate: ['DUE_SOON', 'OVERDUE'],
  quarantinedTests: ['QUARANTINED_TESTS'],
  resolvedDefectsFailing: ['RESOLVED_DEFECT_STILL_FAILING'],
  forecast: ['FORECAST_AFTER_DUE'],
};

describe('readiness checks', () => {
  it('a GO milestone lists every rule: the ones it applies pass, the others are n/a', () => {
    expect(checksOf(goFacts())).toEqual([
      { rule: 'passRate', status: 'pass', actual: 1, threshold: 0.95 },
      { rule: 'blockingDefects', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'criticalTests', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'signoffRejections', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'minExecuted', status: 'pass', actual: 100, threshold: 1 },
      { rule: 'requiredEnvironment', status: 'n/a', actual: null, threshold: null },
      { rule: 'coverage', status: 'n/a', actual: null, threshold: null },
      { rule: 'runsInProgress', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'flakyTests', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'waivedDefects', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'requiredSignoffs', status: 'n/a', actual: 0, threshold: 0 },
      { rule: 'blockedTests', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'dueDate', status: 'n/a', actual: null, threshold: null },
      { rule: 'quarantinedTests', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'resolvedDefectsFailing', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'forecast', status: 'n/a', actual: 0, threshold: null },
    ]);
  });

  it('a spoiled milestone shows each actual value against its gate', () => {
    const facts = goFacts({
      milestone: { status: 'ACTIVE', dueDate: new Date('2026-03-16T12:00:00Z'), timeZone: 'UTC' },
      results: results(189, 10, 1, 0, 3),
      runs: { total: 3, inProgress: 1, completed: 2, aborted: 0 },
      defects: { open: [defect('HIGH')], waived: 2, resolved: 0 },
      scope: { patterns: ['checkout::*'], inScope: 40, covered: 30, untested: { count: 10, sample: [] } },
      environments: [{ name: 'staging', runs: 3, executed: 200, passed: 189 }],
      signoffs: [signoff('U1', 'APPROVE')],
    });
    const checks = checksOf(facts, { requiredEnvironments: ['staging', 'production'], requiredSignoffs: 2, minExecuted: 50 });
    expect(checks).toEqual([
      { rule: 'passRate', status: 'fail', actual: 189 / 200, threshold: 0.95 },
      { rule: 'blockingDefects', status: 'fail', actual: 1, threshold: 0 },
      { rule: 'criticalTests', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'signoffRejections', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'minExecuted', status: 'pass', actual: 200, threshold: 50 },
      { rule: 'requiredEnvironment', status: 'pass', actual: 200, threshold: 1, environment: 'staging' },
      { rule: 'requiredEnvironment', status: 'fail', actual: 0, threshold: 1, environment: 'production' },
      { rule: 'coverage', status: 'fail', actual: 0.75, threshold: 1 },
      { rule: 'runsInProgress', status: 'risk', actual: 1, threshold: 0 },
      { rule: 'flakyTests', status: 'risk', actual: 3, threshold: 0 },
      { rule: 'waivedDefects', status: 'risk', actual: 2, threshold: 0 },
      { rule: 'requiredSignoffs', status: 'risk', actual: 1, threshold: 2 },
      { rule: 'blockedTests', status: 'risk', actual: 1, threshold: 0 },
      { rule: 'dueDate', status: 'risk', actual: 1, threshold: null },
      { rule: 'quarantinedTests', status: 'pass', actual: 0, threshold: 0 },
      { rule: 'resolvedDefectsFailing', status: 'pass', actual: 0, threshold: 0 },
      // Held by the untested required environment, which no daily count forecasts.
      { rule: 'forecast', status: 'n/a', actual: null, threshold: 1 },
    ]);
  });

  it('flaky tests: retried passes now and cases flaky across runs count together; either makes it a risk', () => {
    const flaky = (facts: ReadinessFacts) => checksOf(facts).find((c) => c.rule === 'flakyTests');
    const across = { count: 2, sample: [flakyCase('a', 'A', 'ci', 3, 6)] };
    expect(flaky(goFacts({ flakyCases: across }))).toEqual({ rule: 'flakyTests', status: 'risk', actual: 2, threshold: 0 });
    expect(flaky(goFacts({ results: results(100, 0, 0, 0, 3), flakyCases: across }))).toEqual({
      rule: 'flakyTests',
      status: 'risk',
      actual: 5,
      threshold: 0,
    });
    expect(flaky(goFacts({ flakyCases: { count: 0, sample: [] } }))).toEqual({
      rule: 'flakyTests',
      status: 'pass',
      actual: 0,
      threshold: 0,
    });
  });

  it('quarantined failures: a risk counting them, and the pass rate judged without them', () => {
    // 95 passed, 5 failed of which 3 quarantined: 95/97 against the 95% gate, not 95/100.
    const facts = goFacts({
      results: results(95, 5),
      environments: [{ name: 'staging', runs: 1, executed: 100, passed: 95 }],
      quarantinedFailures: quarantined(3, 'staging'),
    });
    const checks = checksOf(facts, { passRateThreshold: 0.97 });
    expect(checks.find((c) => c.rule === 'quarantinedTests')).toEqual({
      rule: 'quarantinedTests',
      status: 'risk',
      actual: 3,
      threshold: 0,
    });
    expect(checks.find((c) => c.rule === 'passRate')).toEqual({ rule: 'passRate', status: 'pass', actual: 95 / 97, threshold: 0.97 });
    expect(checks.find((c) => c.rule === 'minExecuted')).toEqual({ rule: 'minExecuted', status: 'pass', actual: 97, threshold: 1 });
  });

  it('nothing executed: the pass rate is n/a (no rate to judge), minExecuted fails', () => {
    const checks = checksOf(goFacts({ results: results(0, 0, 0, 4), environments: [] }));
    expect(checks.find((c) => c.rule === 'passRate')).toEqual({ rule: 'passRate', status: 'n/a', actual: null, threshold: 0.95 });
    expect(checks.find((c) => c.rule === 'minExecuted')).toEqual({ rule: 'minExecuted', status: 'fail', actual: 0, threshold: 1 });
  });

  it('no blocking severities: blocking defects are not gated (n/a), the open defect still counted', () => {
    const checks = checksOf(goFacts({ defects: { open: [defect('CRITICAL')], waived: 0, resolved: 0 } }), { blockingSeverities: [] });
    expect(checks.find((c) => c.rule === 'blockingDefects')).toEqual({ rule: 'blockingDefects', status: 'n/a', actual: 0, threshold: 0 });
  });

  it('a failing or risky check is exactly a rule whose reason fired, in the reason tier; every rule is listed', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const { verdict, reasons, checks } = evaluateReadiness(facts, policy, NOW);
        expect(new Set(checks.map((c) => c.rule))).toEqual(new Set(GATE_RULES));
        expect(checks.map((c) => GATE_RULES.indexOf(c.rule))).toEqual(checks.map((c) => GATE_RULES.indexOf(c.rule)).sort((a, b) => a - b));
        for (const rule of GATE_RULES) {
          const fired = reasons.filter((r) => REASONS_OF_RULE[rule].includes(r.code));
          const flagged = checks.filter((c) => c.rule === rule && (c.status === 'fail' || c.status === 'risk'));
          // One reason per flagged check (ENVIRONMENT_NOT_TESTED once per environment, the rest once).
          expect(flagged.length).toBe(fired.length);
          for (const c of flagged) expect(c.status).toBe(fired[0]!.severity === 'blocker' ? 'fail' : 'risk');
        }
        const worst = checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'risk') ? 'risk' : 'pass';
        expect(verdict === 'GO').toBe(worst === 'pass');
        expect(verdict === 'GO_WITH_RISKS').toBe(worst === 'risk');
      }),
    );
  });
});
