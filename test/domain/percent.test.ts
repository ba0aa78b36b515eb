// The one rounding rule for percentages: a measured share is never shown higher
// than it is, a gate never lower, so a missed gate can never look met.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGate, formatRatio, formatShare, shareInTenths } from '../../src/domain/percent.js';

describe('formatShare: one decimal, cut toward zero', () => {
  it.each([
    [0, '0%'],
    [1, '100%'],
    [189 / 200, '94.5%'],
    [0.945, '94.5%'],
    [0.9499, '94.9%'],
    [0.99999, '99.9%'],
    [1 / 3, '33.3%'],
    [2 / 3, '66.6%'],
    [0.91, '91%'],
    [0.07, '7%'],
    [0.0001, '<0.1%'],
  ])('%s → %s', (fraction, text) => {
    expect(formatShare(fraction)).toBe(text);
  });

  it('shareInTenths is the number the text is made of', () => {
    expect(shareInTenths(0.945)).toBe(945);
    expect(shareInTenths(0.9499)).toBe(949);
    expect(shareInTenths(1)).toBe(1000);
  });
});

describe('formatRatio: the same rule over exact counts', () => {
  it.each([
    [189, 200, '94.5%'],
    [182, 200, '91%'],
    [183, 200, '91.5%'],
    [9499, 10000, '94.9%'],
    [1999, 2000, '99.9%'],
    [99_999, 100_000, '99.9%'],
    [1, 3, '33.3%'],
    [1, 5000, '<0.1%'],
    [0, 5, '0%'],
    [5, 5, '100%'],
    [0, 0, 'n/a'],
  ])('%s/%s → %s', (part, whole, text) => {
    expect(formatRatio(part, whole)).toBe(text);
  });

  it('agrees with formatShare on the fraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.nat(), (whole, n) => {
        const part = n % (whole + 1);
        expect(formatRatio(part, whole)).toBe(formatShare(part / whole));
      }),
    );
  });
});

describe('formatGate: a threshold, never shown lower than it is', () => {
  it.each([
    [0.95, '95%'],
    [0.995, '99.5%'],
    [0.9999, '99.99%'],
    [0.99994, '100%'],
    [0.07, '7%'],
    [1, '100%'],
    [0, '0%'],
  ])('%s → %s', (fraction, text) => {
    expect(formatGate(fraction)).toBe(text);
  });

  it('sees through binary noise instead of rounding it up', () => {
    expect(0.07 * 10_000).not.toBe(700);
    expect(formatGate(0.07)).toBe('7%');
    expect(formatGate(0.57)).toBe('57%');
  });
});

describe('a missed gate never looks met', () => {
  it('the shown share is below the shown gate whenever the share is below the gate', () => {
    const shown = (text: string) => (text === '<0.1%' ? 0 : Number.parseFloat(text));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(), fc.integer({ min: 1, max: 10_000 }), (whole, n, g) => {
        const part = n % (whole + 1);
        const gate = g / 10_000;
        fc.pre(part < gate * whole);
        expect(shown(formatRatio(part, whole))).toBeLessThan(shown(formatGate(gate)));
      }),
    );
  });
});
