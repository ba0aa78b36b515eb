// When a defect holds a release back: open, or waived with a waiver that has ended.
import { describe, expect, it } from 'vitest';
import { isBlockingDefect, isDefectOpen } from '../../src/domain/defect-state.js';

const now = new Date('2026-11-22T10:00:00Z');
const before = new Date('2026-11-22T09:59:59Z');
const after = new Date('2026-11-22T10:00:01Z');

describe('isDefectOpen', () => {
  it('OPEN is open; RESOLVED is not; WAIVED is open again once its waiver has ended, and not before', () => {
    expect(isDefectOpen({ status: 'OPEN', waiverUntil: null }, now)).toBe(true);
    expect(isDefectOpen({ status: 'RESOLVED', waiverUntil: null }, now)).toBe(false);
    expect(isDefectOpen({ status: 'WAIVED', waiverUntil: after }, now)).toBe(false);
    expect(isDefectOpen({ status: 'WAIVED', waiverUntil: now }, now)).toBe(true);
    expect(isDefectOpen({ status: 'WAIVED', waiverUntil: before }, now)).toBe(true);
    expect(isDefectOpen({ status: 'WAIVED', waiverUntil: null }, now)).toBe(false);
  });
});

describe('isBlockingDefect', () => {
  it('an open defect of a severity the gate blocks on', () => {
    const blocking = ['CRITICAL', 'HIGH'] as const;
    expect(isBlockingDefect({ status: 'OPEN', severity: 'HIGH', waiverUntil: null }, blocking, now)).toBe(true);
    expect(isBlockingDefect({ status: 'OPEN', severity: 'MEDIUM', waiverUntil: null }, blocking, now)).toBe(false);
    expect(isBlockingDefect({ status: 'WAIVED', severity: 'CRITICAL', waiverUntil: before }, blocking, now)).toBe(true);
    expect(isBlockingDefect({ status: 'RESOLVED', severity: 'CRITICAL', waiverUntil: null }, blocking, now)).toBe(false);
  });
});
