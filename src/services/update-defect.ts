// Resolves, reopens or waives a defect. A waiver needs a reason and an expiry;
// when it expires the defect counts as OPEN again. A defect can also
// get a Jira issue after the fact (create one, or link a key, say after Jira
// refused the first link): the Jira work is queued in the same transaction.
// Status, severity and waiver changes are on the audit trail, written in the
// same transaction as the change.
import { actorTag, type Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { jiraIssueKey } from '../domain/jira-keys.js';
import type { DefectStatus, Severity } from '../domain/types.js';
import { recordAudit } from '../db/audit-trail.js';
import { enqueue, enqueueOrRequeue, OUTBOX } from '../db/outbox.js';
import { defectChanges } from './defect-audit.js';
import { checkJiraLink } from './check-jira-link.js';
import type { JiraCheckDeps } from './jira-issue-check.js';
import type { ServiceDeps } from './service-deps.js';

export interface DefectPatch {
  status?: DefectStatus;
  severity?: Severity;
  title?: string;
  waiver?: { reason: string; until: string };
  jira?: { create: true } | { key: string };
}

export async function getDefect(deps: ServiceDeps, options: { projectId: string; defectId: string }) {
  const defect = await deps.db.prisma.defect.findFirst({ where: { id: options.defectId, projectId: options.projectId } });
  if (!defect) throw new AppError('NOT_FOUND', `No defect ${options.defectId} in this project.`);
  return defect;
}

export async function updateDefect(
  deps: ServiceDeps & JiraCheckDeps,
  options: { projectId: string; defectId: string; patch: DefectPatch; actor: Actor },
) {
  const defect = await getDefect(deps, options);
  const p = options.patch;
  const data: Record<string, unknown> = {};
  if (p.title !== undefined) data.title = p.title.trim();
  if (p.severity !== undefined) data.severity = p.severity;
  if (p.status === 'WAIVED' || p.waiver) {
    if (p.status && p.status !== 'WAIVED')
      throw new AppError('VALIDATION_FAILED', 'A waiver goes with status WAIVED; leave status out or set it to WAIVED.');
    if (!p.waiver)
      throw new AppError('VALIDATION_FAILED', 'Waiving needs { "waiver": { "reason": "…", "until": "2026-12-31T00:00:00Z" } }.');
    const until = new Date(p.waiver.until);
    if (Number.isNaN(until.getTime()))
      throw new AppError(
        'VALIDATION_FAILED',
        `waiver.until "${p.waiver.until}" is not a date-time; use ISO-8601 such as 2026-12-31T18:00:00Z.`,
      );
    if (until <= deps.now()) throw new AppError('VALIDATION_FAILED', 'waiver.until is in the past; a waiver must expire in the future.');
    if (!p.waiver.reason.trim())
      throw new AppError('VALIDATION_FAILED', 'A waiver needs a reason that says why shipping with this defect is acceptable.');
    Object.assign(data, { status: 'WAIVED', waiverReason: p.waiver.reason.trim(), waiverUntil: until, waivedBy: actorTag(options.actor) });
  } else if (p.status) {
    Object.assign(data, { status: p.status, waiverReason: null, waiverUntil: null, waivedBy: null });
  }
  const jiraKey = p.jira && 'key' in p.jira ? jiraIssueKey(p.jira.key) : null;
  // A link that failed for good can be replaced by a new issue; a live one cannot.
  if (p.jira && 'create' in p.jira && defect.jiraKey && defect.jiraSync !== 'FAILED') {
    throw new AppError(
      'CONFLICT',
      `Defect ${defect.id} is already linked to ${defect.jiraKey}; a defect has one Jira issue. To point it at another issue, send { "jira": { "key": "PAY-123" } }.`,
    );
  }
  if (p.jira) {
    const link = await checkJiraLink(deps, jiraKey ? { key: jiraKey } : { create: true });
    if (jiraKey !== defect.jiraKey) {
      // The old issue's status and `updated` time must not stick to the new one (the latter would make its news look stale);
      // a creation replacing a failed link starts from no key.
      Object.assign(data, { jiraKey, jiraStatus: null, jiraStatusCategory: null, jiraUrl: null, jiraUpdatedAt: null });
    }
    Object.assign(data, link.fields);
  }
  const now = deps.now();
  return deps.db.prisma.$transaction(async (tx) => {
    // Read again inside the transaction: the entry's "before" is what this change replaced.
    const current = await tx.defect.findUniqueOrThrow({ where: { id: defect.id } });
    const updated = await tx.defect.update({ where: { id: defect.id }, data });
    await recordAudit(
      tx,
      { projectId: defect.projectId, milestoneId: updated.milestoneId, defectId: defect.id },
      options.actor,
      defectChanges(current, updated),
      now,
    );
    // The same key again re-reads the issue (its row is DONE or FAILED by now, so it is put back in the queue).
    if (jiraKey) await enqueueOrRequeue(tx, OUTBOX.jiraLinkIssue(defect.id, jiraKey), now);
    // One create per defect (its dedupe key): an earlier one that failed, or whose issue went away, is run again;
    // it looks the issue up by the defect's label before creating, so an issue Jira still has is adopted, not doubled.
    if (p.jira && 'create' in p.jira) await enqueueOrRequeue(tx, OUTBOX.jiraCreateIssue(defect.id), now);
    // Resolved or waived: told in the milestone's living message.
    if (updated.milestoneId && current.status === 'OPEN' && (updated.status === 'RESOLVED' || updated.status === 'WAIVED')) {
      await enqueue(
        tx,
        OUTBOX.livingEvent(
          { kind: 'defect.resolved', milestoneId: updated.milestoneId, defectId: defect.id, status: updated.status },
          `${defect.id}:${now.toISOString()}`,
          now,
        ),
      );
    }
    return updated;
  });
}
