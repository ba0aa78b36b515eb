// Properties that would catch a wrong GO: monotonicity of the verdict in each
// input that should only ever make things worse (or better).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GatePolicy } from '../../src/domain/gate-policy.js';
import { evaluateReadiness, verdictRank, type ReadinessFacts } from '../../src/domain/readiness.js';
import { SEVERITIES } from '../../src/domain/types.js';
import { factsArb, policyArb } from './readiness-arbitraries.js';
import { NOW, defect, quarantined, signoff } from './readiness-facts.js';

const rank = (facts: ReadinessFacts, policy: GatePolicy) => verdictRank(evaluateReadiness(facts, policy, NOW).verdict);

describe('readiness properties', () => {
  it('adding an OPEN blocking defect never improves the verdict, and makes it NO_GO', () => {
    fc.assert(
      fc.property(factsArb, policyArb, fc.constantFrom(...SEVERITIES), (facts, policy, severity) => {
        const blocking = { ...policy, blockingSeverities: [...new Set([...policy.blockingSeverities, severity])] };
        const worse = { ...facts, defects: { ...facts.defects, open: [...facts.defects.open, defect(severity, 'New')] } };
        expect(rank(worse, blocking)).toBeGreaterThanOrEqual(rank(facts, blocking));
        expect(evaluateReadiness(worse, blocking, NOW).verdict).toBe('NO_GO');
      }),
    );
  });

  it('turning a failed result into a passed one never lowers the pass rate or worsens the verdict', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        fc.pre(facts.results.failed > facts.criticalFailures.count);
        const better = { ...facts, results: { ...facts.results, passed: facts.results.passed + 1, failed: facts.results.failed - 1 } };
        const before = evaluateReadiness(facts, policy, NOW);
        const after = evaluateReadiness(better, policy, NOW);
        expect(after.metrics.passRate!).toBeGreaterThanOrEqual(before.metrics.passRate!);
        expect(verdictRank(after.verdict)).toBeLessThanOrEqual(verdictRank(before.verdict));
      }),
    );
  });

  it('GO implies no reasons at all, and enough executed results', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const readiness = evaluateReadiness(facts, policy, NOW);
        if (readiness.verdict !== 'GO') return;
        expect(readiness.reasons).toEqual([]);
        expect(readiness.metrics.executed).toBeGreaterThanOrEqual(Math.max(1, policy.minExecuted));
        expect(readiness.metrics.passed).toBeGreaterThanOrEqual(policy.passRateThreshold * readiness.metrics.executed - 1e-9);
      }),
    );
  });

  it('the verdict is the tier of the worst reason, and reasons are ordered by tier', () => {
    const tierOf = (severity: string) => (severity === 'blocker' ? 0 : 1);
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const { verdict, reasons } = evaluateReadiness(facts, policy, NOW);
        const tiers = reasons.map((r) => tierOf(r.severity));
        expect(tiers).toEqual([...tiers].sort());
        const hasBlocker = reasons.some((r) => r.severity === 'blocker');
        expect(verdict === 'NO_GO' || verdict === 'INSUFFICIENT_EVIDENCE').toBe(hasBlocker);
        expect(verdict === 'GO').toBe(reasons.length === 0);
      }),
    );
  });

  it('raising the pass-rate threshold never improves the verdict', () => {
    fc.assert(
      fc.property(factsArb, policyArb, fc.double({ min: 0, max: 1, noNaN: true }), (facts, policy, raise) => {
        const stricter = { ...policy, passRateThreshold: policy.passRateThreshold + (1 - policy.passRateThreshold) * raise };
        expect(rank(facts, stricter)).toBeGreaterThanOrEqual(rank(facts, policy));
      }),
    );
  });

  it('more approvals never worsen the verdict', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const more = { ...facts, signoffs: [...facts.signoffs, signoff('U-new', 'APPROVE')] };
        expect(rank(more, policy)).toBeLessThanOrEqual(rank(facts, policy));
      }),
    );
  });

  it('an added REJECT always makes it NO_GO', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const rejected = { ...facts, signoffs: [...facts.signoffs, signoff('U-new', 'REJECT')] };
        expect(evaluateReadiness(rejected, policy, NOW).verdict).toBe('NO_GO');
      }),
    );
  });

  // Quarantine (SPEC §10): every failure that is not critical, quarantined.
  const quarantineAll = (facts: ReadinessFacts): ReadinessFacts => ({
    ...facts,
    quarantinedFailures: quarantined(facts.results.failed - facts.criticalFailures.count, facts.environments[0]?.name ?? 'default'),
  });

  it('quarantine never turns a critical failure, an open blocking defect or a rejected sign-off into anything but NO_GO', () => {
    fc.assert(
      fc.property(factsArb, policyArb, fc.constantFrom(...SEVERITIES), fc.nat(2), (facts, policy, severity, which) => {
        const blocking = { ...policy, blockingSeverities: [...new Set([...policy.blockingSeverities, severity])] };
        const spoiled: ReadinessFacts =
          which === 0
            ? {
                ...facts,
                results: { ...facts.results, failed: facts.results.failed + 1 },
                criticalFailures: { count: facts.criticalFailures.count + 1, sample: [] },
              }
            : which === 1
              ? { ...facts, defects: { ...facts.defects, open: [...facts.defects.open, defect(severity, 'New')] } }
              : { ...facts, signoffs: [...facts.signoffs, signoff('U-new', 'REJECT')] };
        // Even a quarantine that claims more failures than there are, the critical ones included.
        const greedy = { ...spoiled, quarantinedFailures: quarantined(spoiled.results.failed + 5) };
        expect(evaluateReadiness(quarantineAll(spoiled), blocking, NOW).verdict).toBe('NO_GO');
        expect(evaluateReadiness(greedy, blocking, NOW).verdict).toBe('NO_GO');
        if (which === 0) expect(evaluateReadiness(greedy, blocking, NOW).metrics.failed).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('quarantined failures leave failed, executed and the pass rate (never lowering it), and always show as a risk', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const without = evaluateReadiness({ ...facts, quarantinedFailures: undefined }, policy, NOW);
        const all = quarantineAll(facts);
        const withQ = evaluateReadiness(all, policy, NOW);
        const n = all.quarantinedFailures!.count;
        expect(withQ.metrics.quarantined).toBe(n);
        expect(withQ.metrics.failed).toBe(without.metrics.failed - n);
        expect(withQ.metrics.executed).toBe(without.metrics.executed - n);
        if (withQ.metrics.passRate !== null && without.metrics.passRate !== null)
          expect(withQ.metrics.passRate).toBeGreaterThanOrEqual(without.metrics.passRate);
        const reason = withQ.reasons.filter((r) => r.code === 'QUARANTINED_TESTS');
        expect(reason.map((r) => r.severity)).toEqual(n > 0 ? ['risk'] : []);
        // GO only without quarantined failures: hiding failures is never a clean GO.
        if (n > 0) expect(withQ.verdict).not.toBe('GO');
      }),
    );
  });

  it('the forecast only ever adds a risk: with any history, a NO_GO stays NO_GO and the blockers are the same', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        const { forecastHistory, ...withoutHistory } = facts;
        fc.pre(forecastHistory !== undefined);
        const without = evaluateReadiness(withoutHistory, policy, NOW);
        const withHistory = evaluateReadiness(facts, policy, NOW);
        expect(verdictRank(withHistory.verdict)).toBeGreaterThanOrEqual(verdictRank(without.verdict));
        if (without.verdict === 'NO_GO') expect(withHistory.verdict).toBe('NO_GO');
        const blockers = (r: typeof without) => r.reasons.filter((x) => x.severity === 'blocker');
        expect(blockers(withHistory)).toEqual(blockers(without));
        for (const r of withHistory.reasons.filter((x) => x.code === 'FORECAST_AFTER_DUE')) expect(r.severity).toBe('risk');
      }),
      // Most random milestones are held or inactive; more runs reach the ones with a forecast.
      { numRuns: 1000 },
    );
  });

  it('a fixed failure never moves the forecast later', () => {
    fc.assert(
      fc.property(factsArb, policyArb, (facts, policy) => {
        fc.pre(facts.results.failed > facts.criticalFailures.count);
        const better = { ...facts, results: { ...facts.results, passed: facts.results.passed + 1, failed: facts.results.failed - 1 } };
        const before = evaluateReadiness(facts, policy, NOW).forecast;
        const after = evaluateReadiness(better, policy, NOW).forecast;
        if (before && after) {
          expect(after.p50 <= before.p50).toBe(true);
          expect(after.p85 <= before.p85).toBe(true);
        }
        if (before) expect(after).not.toBeNull();
      }),
    );
  });
});
