// What a change to a milestone did to the fields that can move its verdict,
// as audit-trail changes: the gate, the scope, the due date and the status.
import { auditFields, changedFields, type AuditChange } from '../domain/audit.js';
import type { GatePolicy } from '../domain/gate-policy.js';
import { parseJson } from './milestone-view.js';

type MilestoneRow = {
  gatePolicy: string;
  scope: string | null;
  dueDate: Date | null;
  timeZone: string;
  status: string;
  completionOverrideReason: string | null;
};

/** What changed of what can move the verdict, one entry per kind. */
export function milestoneChanges(before: MilestoneRow, after: MilestoneRow): (AuditChange | null)[] {
  return [
    changedFields(
      'milestone.gate',
      auditFields(parseJson<Partial<GatePolicy>>(before.gatePolicy, {})),
      auditFields(parseJson<Partial<GatePolicy>>(after.gatePolicy, {})),
    ),
    changedFields('milestone.scope', { scope: parseJson<string[] | null>(before.scope, null) }, { scope: parseJson(after.scope, null) }),
    changedFields(
      'milestone.due',
      auditFields({ dueDate: before.dueDate, timeZone: before.timeZone }),
      auditFields({ dueDate: after.dueDate, timeZone: after.timeZone }),
    ),
    changedFields(
      'milestone.status',
      { status: before.status, overrideReason: before.completionOverrideReason },
      { status: after.status, overrideReason: after.completionOverrideReason },
    ),
  ];
}
