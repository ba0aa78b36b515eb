// What a change to a defect did to the fields that can move a verdict, as
// audit-trail changes: its severity, and its status with the waiver that goes
// with it (a waiver given or changed is a defect.waiver, any other status
// change a defect.status).
import { auditFields, changedFields, type AuditChange } from '../domain/audit.js';

interface DefectRow {
  status: string;
  severity: string;
  waiverReason: string | null;
  waiverUntil: Date | null;
}

export function defectChanges(before: DefectRow, after: DefectRow): (AuditChange | null)[] {
  const state = (d: DefectRow) => auditFields({ status: d.status, waiverReason: d.waiverReason, waiverUntil: d.waiverUntil });
  return [
    changedFields(after.status === 'WAIVED' ? 'defect.waiver' : 'defect.status', state(before), state(after)),
    changedFields('defect.severity', { severity: before.severity }, { severity: after.severity }),
  ];
}
