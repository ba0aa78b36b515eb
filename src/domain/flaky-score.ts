// Flakiness of one (case, environment) over its recent results across runs
// (SPEC §10): how often its status changes between consecutive results, and how
// many of its passes needed a retry. The database computes the same numbers for
// a whole milestone at once (db/flaky-cases-query.ts); this is the rule they
// follow, and what tests check the SQL against.

export interface FlakinessPolicy {
  /** How many of the most recent results count. */
  window: number;
  /** The flip rate at or above which a case is flaky … */
  flipRate: number;
  /** … provided it flipped at least this often. */
  minFlips: number;
}

export const DEFAULT_FLAKINESS: FlakinessPolicy = { window: 20, flipRate: 0.2, minFlips: 2 };

export interface FlakyResult {
  status: 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';
  /** Passed only after failing first within its run (a retry). */
  flaky: boolean;
}

export interface Flakiness {
  /** Results in the window (passed and failed only). */
  results: number;
  /** Status changes between consecutive results in the window. */
  flips: number;
  /** flips / (results − 1); 0 with fewer than two results. */
  flipRate: number;
  /** Passes in the window that needed a retry. */
  retriedPasses: number;
  flaky: boolean;
}

// A skipped or blocked result says nothing about whether the test is stable: it
// neither counts as a result nor breaks the sequence of passes and failures.
const counts = (r: FlakyResult) => r.status === 'PASSED' || r.status === 'FAILED';

/** `oldestFirst`: the case's results in one environment, in run order. */
export function assessFlakiness(oldestFirst: readonly FlakyResult[], policy: FlakinessPolicy = DEFAULT_FLAKINESS): Flakiness {
  const window = oldestFirst.filter(counts).slice(-policy.window);
  let flips = 0;
  for (let i = 1; i < window.length; i++) if (window[i]!.status !== window[i - 1]!.status) flips++;
  const flipRate = window.length > 1 ? flips / (window.length - 1) : 0;
  return {
    results: window.length,
    flips,
    flipRate,
    retriedPasses: window.filter((r) => r.status === 'PASSED' && r.flaky).length,
    flaky: isFlaky(flips, window.length, policy),
  };
}

/** Compared as counts (flips ≥ rate × transitions), so 1/5 at a 0.2 rate is flaky whatever the float rounding. */
export function isFlaky(flips: number, results: number, policy: FlakinessPolicy = DEFAULT_FLAKINESS): boolean {
  return results > 1 && flips >= policy.minFlips && flips >= policy.flipRate * (results - 1) - 1e-9;
}
