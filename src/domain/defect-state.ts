// Whether a defect holds a release back now: the one rule readiness and the
// CLI's list of blocking defects share.
import type { DefectStatus, Severity } from './types.js';

/** OPEN, or WAIVED with a waiver that has ended: an expired waiver makes a defect open again. */
export function isDefectOpen(d: { status: DefectStatus; waiverUntil: Date | null }, now: Date): boolean {
  if (d.status === 'OPEN') return true;
  return d.status === 'WAIVED' && d.waiverUntil !== null && d.waiverUntil <= now;
}

/** Open and of a severity the gate blocks on. */
export function isBlockingDefect(
  d: { status: DefectStatus; severity: Severity; waiverUntil: Date | null },
  blockingSeverities: readonly Severity[],
  now: Date,
): boolean {
  return isDefectOpen(d, now) && blockingSeverities.includes(d.severity);
}
