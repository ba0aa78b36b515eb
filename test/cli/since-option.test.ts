import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/cli/since-option.js';

const NOW = new Date('2026-12-02T12:00:00.000Z');

describe('--since', () => {
  it.each([
    ['90m', '2026-12-02T10:30:00.000Z'],
    ['24h', '2026-12-01T12:00:00.000Z'],
    ['7d', '2026-11-25T12:00:00.000Z'],
    [' 1h ', '2026-12-02T11:00:00.000Z'],
    ['2026-12-01T09:00:00Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T10:00:00+01:00', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00Z', '2026-12-01T09:00:00.000Z'],
  ])('%s is %s', (value, expected) => {
    expect(parseSince(value, NOW).toISOString()).toBe(expected);
  });

  it.each(['yesterday', '24', '2026-12-01', '2026-12-01T09:00:00', '1w', '-1h', '2026-13-01T09:00:00Z', ''])(
    '%j is refused, saying what works',
    (value) => {
      expect(() => parseSince(value, NOW)).toThrow(InvalidArgumentError);
      expect(() => parseSince(value, NOW)).toThrow(/give minutes, hours or days ago \(90m, 24h, 7d\) or an ISO-8601 instant/);
    },
  );

  it('a moment in the future is refused', () => {
    expect(() => parseSince('2026-12-03T00:00:00Z', NOW)).toThrow('2026-12-03T00:00:00.000Z is in the future: give a moment before now.');
  });
});
