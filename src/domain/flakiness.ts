// Flakiness of a test in one environment over its recent results across runs
// (SPEC §10): how often its status flips between consecutive results, plus the
// results that passed only on a retry. A test is flaky above a threshold (by
// default a flip rate of 0.2 with at least 2 flips). Pure: the database hands
// in the statuses, oldest first.
import type { ResultStatus } from './types.js';

export interface FlakinessPolicy {
  /** How many of the latest results are looked at. */
  window: number;
  /** Flip rate above which a test is flaky… */
  flipRate: number;
  /** …with at least this many flips. */
  minFlips: number;
}

export const DEFAULT_FLAKINESS: Readonly<FlakinessPolicy> = Object.freeze({ window: 20, flipRate: 0.2, minFlips: 2 });

export interface RecentResult {
  status: ResultStatus;
  /** Passed only after failing first (a retry, Surefire's flakyFailure/rerunFailure). */
  flaky: boolean;
}

export interface Flakiness {
  /** Results looked at (at most the window). */
  results: number;
  /** Changes between PASSED and FAILED from one executed result to the next. */
  flips: number;
  /** flips / (executed results − 1); 0 with fewer than two executed results. */
  flipRate: number;
  /** Results that passed on a retry. */
  retriedPasses: number;
  flaky: boolean;
}

/**
 * Skipped and blocked results say nothing about whether the test is stable, so
 * flips are counted over the passed and failed ones only. A pass on a retry is
 * flaky evidence of its own: it counts as a flip within one result.
 */
export function assessFlakiness(oldestFirst: readonly RecentResult[], policy: FlakinessPolicy = DEFAULT_FLAKINESS): Flakiness {
  const recent = oldestFirst.slice(-policy.window);
  const executed = recent.filter((r) => r.status === 'PASSED' || r.status === 'FAILED');
  let flips = 0;
  for (let i = 1; i < executed.length; i++) if (executed[i]!.status !== executed[i - 1]!.status) flips++;
  const retriedPasses = recent.filter((r) => r.status === 'PASSED' && r.flaky).length;
  const transitions = executed.length - 1 + retriedPasses;
  const allFlips = flips + retriedPasses;
  const flipRate = transitions > 0 ? allFlips / transitions : 0;
  return {
    results: recent.length,
    flips: allFlips,
    flipRate,
    retriedPasses,
    flaky: allFlips >= policy.minFlips && flipRate > policy.flipRate,
  };
}
