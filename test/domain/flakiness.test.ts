import { describe, expect, it } from 'vitest';
import { assessFlakiness, type RecentResult } from '../../src/domain/flakiness.js';

const seq = (pattern: string): RecentResult[] =>
  [...pattern].map((c) => ({
    status: c === 'P' || c === 'r' ? 'PASSED' : c === 'F' ? 'FAILED' : c === 'S' ? 'SKIPPED' : 'BLOCKED',
    flaky: c === 'r',
  }));

describe('assessFlakiness', () => {
  it('a test that always passes, or always fails, is stable', () => {
    expect(assessFlakiness(seq('PPPPPPPPPP'))).toEqual({ results: 10, flips: 0, flipRate: 0, retriedPasses: 0, flaky: false });
    expect(assessFlakiness(seq('FFFF')).flaky).toBe(false);
  });

  it('alternating pass and fail is flaky: every step flips', () => {
    expect(assessFlakiness(seq('PFPFP'))).toEqual({ results: 5, flips: 4, flipRate: 1, retriedPasses: 0, flaky: true });
  });

  it('one failure in twenty is a regression and its fix, not flakiness (2 flips in 19 steps)', () => {
    const r = assessFlakiness(seq('PPPPPPPPPPFPPPPPPPPP'));
    expect(r.flips).toBe(2);
    expect(r.flipRate).toBeCloseTo(2 / 19, 10);
    expect(r.flaky).toBe(false);
  });

  it('a test that broke and stays broken flipped once: not flaky', () => {
    expect(assessFlakiness(seq('PPPPPFFFFF'))).toMatchObject({ flips: 1, flaky: false });
  });

  it('skipped and blocked results are left out of the flips', () => {
    expect(assessFlakiness(seq('PSFBP'))).toMatchObject({ results: 5, flips: 2, flipRate: 1, flaky: true });
  });

  it('passes on a retry count as flips of their own', () => {
    const r = assessFlakiness(seq('PPrPPrPPrP'));
    expect(r).toMatchObject({ retriedPasses: 3, flips: 3, flaky: true });
    expect(r.flipRate).toBeCloseTo(3 / 12, 10);
  });

  it('at least two flips are needed, whatever the rate', () => {
    expect(assessFlakiness(seq('PF'))).toMatchObject({ flips: 1, flipRate: 1, flaky: false });
  });

  it('only the window of latest results counts (20 by default)', () => {
    const r = assessFlakiness(seq(`${'PF'.repeat(10)}${'P'.repeat(20)}`));
    expect(r).toMatchObject({ results: 20, flips: 0, flaky: false });
    expect(assessFlakiness(seq('PFPFPPPP'), { window: 4, flipRate: 0.2, minFlips: 2 })).toMatchObject({ results: 4, flips: 0 });
    expect(assessFlakiness(seq('PPPPFPFP'), { window: 4, flipRate: 0.2, minFlips: 2 })).toMatchObject({
      results: 4,
      flips: 3,
      flaky: true,
    });
  });
});
