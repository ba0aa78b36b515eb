// The flakiness rule for one (case, environment): flips between consecutive
// results over the last N, retried passes, and the flaky threshold.
import { describe, expect, it } from 'vitest';
import { assessFlakiness, isFlaky, type FlakyResult } from '../../src/domain/flaky-score.js';

const seq = (s: string): FlakyResult[] =>
  [...s].map((c) => ({
    status: c === 'P' || c === 'R' ? 'PASSED' : c === 'F' ? 'FAILED' : c === 'S' ? 'SKIPPED' : 'BLOCKED',
    flaky: c === 'R',
  }));

describe('assessFlakiness', () => {
  it('a case flipping pass/fail over six runs is flaky: 5 flips in 5 transitions', () => {
    expect(assessFlakiness(seq('PFPFPF'))).toEqual({ results: 6, flips: 5, flipRate: 1, retriedPasses: 0, flaky: true });
  });

  it('a steady failure is not flaky, however long', () => {
    expect(assessFlakiness(seq('FFFFFF'))).toEqual({ results: 6, flips: 0, flipRate: 0, retriedPasses: 0, flaky: false });
  });

  it('one flip (a plain regression) is not flaky: at least 2 flips are needed', () => {
    expect(assessFlakiness(seq('PPF')).flaky).toBe(false);
  });

  it('the rate is at or above 0.2: 2 flips in 10 transitions is flaky, 2 in 11 is not', () => {
    expect(assessFlakiness(seq('PPPPPFPPPPP'))).toMatchObject({ results: 11, flips: 2, flipRate: 0.2, flaky: true });
    expect(assessFlakiness(seq('PPPPPFPPPPPP'))).toMatchObject({ results: 12, flips: 2, flaky: false });
  });

  it('only the last 20 results count', () => {
    const old = 'PFPFPFPFPF';
    expect(assessFlakiness(seq(old + 'P'.repeat(20)))).toMatchObject({ results: 20, flips: 0, flaky: false });
    expect(assessFlakiness(seq(old + 'P'.repeat(19)))).toMatchObject({ results: 20, flips: 1, flaky: false });
  });

  it('skipped and blocked results neither count nor break the sequence; retried passes are counted', () => {
    expect(assessFlakiness(seq('PSFBPR'))).toEqual({ results: 4, flips: 2, flipRate: 2 / 3, retriedPasses: 1, flaky: true });
  });

  it('isFlaky needs two results', () => {
    expect(isFlaky(0, 1)).toBe(false);
    expect(isFlaky(2, 3)).toBe(true);
  });
});
