// Random gate policies and readiness facts for the property tests.
import fc from 'fast-check';
import type { GatePolicy } from '../../src/domain/gate-policy.js';
import type { ReadinessFacts } from '../../src/domain/readiness.js';
import { SEVERITIES } from '../../src/domain/types.js';
import { addDays } from '../../src/domain/forecast.js';
import { NOW, defect, quarantined, resolvedFailing, signoff } from './readiness-facts.js';

const ENVIRONMENTS = ['staging', 'production', 'default'];

export const policyArb: fc.Arbitrary<GatePolicy> = fc.record({
  passRateThreshold: fc.oneof(fc.constantFrom(0, 0.5, 0.9, 0.95, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  blockingSeverities: fc.subarray([...SEVERITIES]),
  requiredEnvironments: fc.subarray(ENVIRONMENTS),
  requiredSignoffs: fc.nat(3),
  minExecuted: fc.nat(60),
  minCoverage: fc.constantFrom(0, 0.5, 0.8, 1),
});

export const factsArb: fc.Arbitrary<ReadinessFacts> = fc
  .record({
    passed: fc.nat(300),
    failed: fc.nat(40),
    blocked: fc.nat(10),
    skipped: fc.nat(10),
    flakyShare: fc.double({ min: 0, max: 1, noNaN: true }),
    critical: fc.nat(2),
    scope: fc.option(fc.record({ inScope: fc.nat(50), coveredShare: fc.double({ min: 0, max: 1, noNaN: true }) })),
    inProgress: fc.nat(2),
    completed: fc.nat(4),
    aborted: fc.nat(1),
    open: fc.array(fc.constantFrom(...SEVERITIES), { maxLength: 3 }),
    waived: fc.nat(2),
    envs: fc.subarray(ENVIRONMENTS),
    decisions: fc.array(fc.constantFrom('APPROVE' as const, 'REJECT' as const), { maxLength: 3 }),
    status: fc.constantFrom('ACTIVE' as const, 'COMPLETED' as const),
    dueInHours: fc.option(fc.integer({ min: -240, max: 480 })),
    flakyCases: fc.option(fc.nat(7)),
    stillFailing: fc.option(fc.nat(3)),
    quarantinedShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    history: fc.option(
      fc.array(
        fc.record({ back: fc.integer({ min: 0, max: 35 }), openBlockers: fc.nat(4), failing: fc.nat(40), untested: fc.option(fc.nat(50)) }),
        { maxLength: 12 },
      ),
    ),
  })
  .map((g) => {
    const executed = g.passed + g.failed + g.blocked;
    // Quarantined failures are among the failures that are not critical (as the database finds them).
    const critical = Math.min(g.critical, g.failed);
    const inQuarantine = g.quarantinedShare === null ? null : Math.floor((g.failed - critical) * g.quarantinedShare);
    const covered = g.scope ? Math.floor(g.scope.inScope * g.scope.coveredShare) : 0;
    return {
      milestone: {
        status: g.status,
        dueDate: g.dueInHours === null ? null : new Date(NOW.getTime() + g.dueInHours * 3_600_000),
        timeZone: 'Europe/Berlin',
      },
      results: { passed: g.passed, failed: g.failed, blocked: g.blocked, skipped: g.skipped, flaky: Math.floor(g.passed * g.flakyShare) },
      criticalFailures: {
        count: Math.min(g.critical, g.failed),
        sample: Array.from({ length: Math.min(g.critical, g.failed) }, (_, i) => ({
          key: `c${i}`,
          title: `C${i}`,
          environment: 'default',
        })),
      },
      scope: g.scope
        ? {
            patterns: ['*'],
            inScope: g.scope.inScope,
            covered,
            untested: { count: g.scope.inScope - covered, sample: [] },
          }
        : null,
      runs: { total: g.inProgress + g.completed + g.aborted, inProgress: g.inProgress, completed: g.completed, aborted: g.aborted },
      defects: { open: g.open.map((s, i) => defect(s, `D${i}`)), waived: g.waived, resolved: 0 },
      // All executed results land in the first listed environment; the others have runs but nothing executed.
      environments: g.envs.map((name, i) => ({
        name,
        runs: 1,
        executed: i === 0 ? executed : 0,
        passed: i === 0 ? g.passed : 0,
      })),
      signoffs: g.decisions.map((d, i) => signoff(`U${i}`, d)),
      ...(g.flakyCases === null
        ? {}
        : {
            flakyCases: {
              count: g.flakyCases,
              sample: Array.from({ length: Math.min(g.flakyCases, 5) }, (_, i) => ({
                key: `f${i}`,
                title: `F${i}`,
                environment: 'staging',
                flips: 3,
                results: 6,
                flipRate: 0.6,
              })),
            },
          }),
      ...(g.stillFailing === null
        ? {}
        : {
            resolvedStillFailing: {
              count: g.stillFailing,
              sample: Array.from({ length: g.stillFailing }, (_, i) => resolvedFailing(`D${i}`, `t${i}`)),
            },
          }),
      ...(inQuarantine === null ? {} : { quarantinedFailures: quarantined(inQuarantine, g.envs[0] ?? 'default') }),
      ...(g.history === null
        ? {}
        : {
            forecastHistory: {
              seed: 'm1',
              days: g.history.map(({ back, ...counts }) => ({ day: addDays('2026-03-15', -back), ...counts })),
            },
          }),
    } satisfies ReadinessFacts;
  });
