// Brings a defect in line with what Jira says about its issue: stores the
// status, category, URL and Jira's `updated` time, moves the defect's status
// on a Done transition, and announces a verdict flip once. Older news than
// what is stored is ignored (webhooks arrive out of order; reconcile reads
// may race a webhook): the update is conditional on `jiraUpdatedAt`. A status
// it moves is on the audit trail (actor: jira), in the same transaction.
import { JIRA_ACTOR } from '../domain/audit.js';
import { recordAudit } from '../db/audit-trail.js';
import { defectChanges } from '../services/defect-audit.js';
import { getReadiness, type ReadinessView } from '../services/get-readiness.js';
import { statusFromJira, type DefectStatus } from './defect-status-from-jira.js';
import type { JiraIssueSnapshot } from './jira-client.js';
import type { JiraDeps } from './jira-deps.js';
import { announceVerdictChange } from './verdict-change.js';

export type ApplyOutcome = 'updated' | 'stale' | 'missing';

export interface ApplyResult {
  outcome: ApplyOutcome;
  statusBefore?: DefectStatus;
  statusAfter?: DefectStatus;
  verdictBefore?: string;
  verdictAfter?: string;
  announced?: boolean;
}

const MAX_RACES = 3;

export async function applyIssueState(
  deps: JiraDeps,
  defectId: string,
  issue: JiraIssueSnapshot,
  now: Date,
  link: { url: string },
): Promise<ApplyResult> {
  const prisma = deps.db.prisma;
  for (let attempt = 0; attempt < MAX_RACES; attempt++) {
    const defect = await prisma.defect.findUnique({ where: { id: defectId }, include: { milestone: true, project: true } });
    if (!defect) return { outcome: 'missing' };
    if (isStale(defect.jiraUpdatedAt, issue.updated)) {
      return { outcome: 'stale', statusBefore: defect.status, statusAfter: defect.status };
    }
    const change = statusFromJira(defect, issue.statusCategory, now);
    const milestone = defect.milestone;
    const watch = change && milestone && milestone.status !== 'ARCHIVED';
    const before = watch ? await getReadiness({ db: deps.db, now: () => now }, milestone.id) : null;

    const stamp = issue.updated ?? defect.jiraUpdatedAt ?? null;
    const data = {
      jiraKey: issue.key,
      jiraStatus: issue.status,
      jiraStatusCategory: issue.statusCategory,
      jiraUrl: link.url,
      jiraUpdatedAt: stamp,
      ...(change ? { status: change.status } : {}),
      ...(change?.clearWaiver ? { waiverReason: null, waiverUntil: null, waivedBy: null } : {}),
    };
    const updated = await prisma.$transaction(async (tx) => {
      const res = await tx.defect.updateMany({
        where: {
          id: defect.id,
          // Optimistic: as we read it, so a concurrent person or webhook is not overwritten.
          status: defect.status,
          jiraUpdatedAt: defect.jiraUpdatedAt,
        },
        data,
      });
      if (res.count === 1 && change) {
        await recordAudit(
          tx,
          { projectId: defect.projectId, milestoneId: defect.milestoneId, defectId: defect.id },
          JIRA_ACTOR,
          defectChanges(defect, { ...defect, ...data }),
          now,
        );
      }
      return res;
    });
    if (updated.count === 0) continue;

    const result: ApplyResult = { outcome: 'updated', statusBefore: defect.status, statusAfter: change?.status ?? defect.status };
    if (before && milestone) {
      const after = await getReadiness({ db: deps.db, now: () => now }, milestone.id);
      result.verdictBefore = before.verdict;
      result.verdictAfter = after.verdict;
      if (after.verdict !== before.verdict) {
        result.announced =
          (await announce(
            deps,
            defect.project.workspaceId,
            before,
            after,
            {
              id: defect.id,
              title: defect.title,
              jiraKey: issue.key,
              jiraUrl: link.url,
              status: result.statusAfter!,
            },
            issue,
            stamp ?? now,
            now,
          )) === 'sent';
      }
    }
    return result;
  }
  // Lost every race: someone else keeps writing this defect; what they wrote is at least as new.
  deps.logger.warn({ defectId, key: issue.key }, 'defect changed concurrently; Jira state not applied this time');
  return { outcome: 'stale' };
}

/** True when `incoming` is not newer than what is stored. */
function isStale(stored: Date | null, incoming: Date | null): boolean {
  if (!stored) return false;
  if (!incoming) return true;
  return incoming.getTime() <= stored.getTime();
}

async function announce(
  deps: JiraDeps,
  workspaceId: string,
  before: ReadinessView,
  after: ReadinessView,
  defect: { id: string; title: string; jiraKey: string; jiraUrl: string; status: string },
  issue: JiraIssueSnapshot,
  stamp: Date,
  now: Date,
) {
  try {
    return await announceVerdictChange(deps, { workspaceId, before, after, defect, jiraStatus: issue.status, jiraUpdatedAt: stamp }, now);
  } catch (err) {
    // The defect is already right; a lost announcement must not undo or repeat that work.
    deps.logger.error({ err, defectId: defect.id }, 'verdict change announcement failed');
    return 'failed' as const;
  }
}
