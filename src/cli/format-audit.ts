// The audit trail as `shipgate milestone show --audit` prints it: one line per
// change, newest first — when, what, who, and each changed field before → after.
// Values from data are shown as JSON with terminal control codes removed.
import type { AuditEntryView } from '../services/list-audit-trail.js';
import { utcMinute } from '../messages/format.js';
import { stripControl } from '../messages/text-hygiene.js';

export function actorText(actor: AuditEntryView['actor']): string {
  switch (actor.type) {
    case 'slack':
      return `slack ${actor.id}${actor.team ? ` (team ${actor.team})` : ''}`;
    case 'api-key':
      return `api-key ${actor.id}${actor.name ? ` (${actor.name})` : ''}`;
    case 'jira':
      return 'jira';
    case 'local':
      return `local${actor.name ? ` (${actor.name})` : ''}`;
  }
}

const value = (v: unknown) => (v === undefined ? 'null' : JSON.stringify(v));

export function auditTrailText(entries: readonly AuditEntryView[], more: boolean): string {
  if (!entries.length) return 'Audit trail: no changes recorded yet.';
  const lines = ['Audit trail (newest first)'];
  for (const e of entries) {
    const fields = Object.keys(e.after).map((k) => `${k}: ${value(e.before[k])} → ${value(e.after[k])}`);
    lines.push(
      stripControl(
        `  ${utcMinute(e.at)}  ${e.kind}  by ${actorText(e.actor)}${e.defectId ? `  defect ${e.defectId}` : ''}  ${fields.join('; ')}`,
      ).replace(/\n/g, ' '),
    );
  }
  if (more)
    lines.push('  … older entries: GET /api/projects/{projectId}/milestones/{milestoneId}/audit?cursor=… pages through all of them');
  return lines.join('\n');
}
