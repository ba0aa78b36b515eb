// Which changes asked of the API can move a verdict towards GO and so need an
// admin key: the pipeline being gated may report, not lower its own gate. Each
// answers what the change does, for the 403, or null when a report key may.
import { SEVERITIES, type DefectStatus, type RunStatus, type Severity } from './types.js';

export function defectChangeNeedingAdmin(
  patch: { status?: DefectStatus; severity?: Severity; waiver?: unknown },
  current: { status: DefectStatus; severity: Severity },
): string | null {
  if (patch.status !== undefined && patch.status !== current.status)
    return `changing a defect's status (${current.status} → ${patch.status})`;
  if (patch.waiver !== undefined) return 'waiving a defect';
  if (patch.severity !== undefined && SEVERITIES.indexOf(patch.severity) > SEVERITIES.indexOf(current.severity))
    return `lowering a defect's severity (${current.severity} → ${patch.severity})`;
  return null;
}

/** Aborting a run takes its results out of the verdict; one with no results (every upload failed) is CI's to abort. */
export function runChangeNeedingAdmin(to: RunStatus, storedResults: number): string | null {
  return to === 'ABORTED' && storedResults > 0 ? `aborting a run that holds results (${storedResults} would stop counting)` : null;
}

export function newMilestoneNeedingAdmin(input: { gate?: object | null; scope?: object | null }): string | null {
  if (input.gate && Object.keys(input.gate).length > 0) return "setting a milestone's gate";
  if (input.scope) return "setting a milestone's scope";
  return null;
}
