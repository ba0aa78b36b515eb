// The periodic re-read: in case a webhook was missed, every
// linked issue whose defect still matters (no milestone, or an ACTIVE one) is
// read back in batches with one JQL search each (`key in (…)`) and applied
// like a webhook would be — older news is ignored, so a reconcile racing a
// webhook does no harm.
import { applyIssueState } from './apply-issue-state.js';
import { JiraCallError, type JiraGateway, type JiraIssueSnapshot } from './jira-client.js';
import { jiraGateway, type JiraDeps } from './jira-deps.js';

export interface ReconcileSummary {
  jiraOff: boolean;
  /** Linked issues read back. */
  checked: number;
  /** Defects whose stored Jira state changed. */
  updated: number;
  /** Issues Jira no longer shows (deleted, moved out of reach). */
  missing: number;
  failed: number;
  stoppedEarly?: string;
}

export const RECONCILE_BATCH = 50;

export async function runJiraReconcileTick(deps: JiraDeps, now: Date, options: { batchSize?: number } = {}): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { jiraOff: false, checked: 0, updated: 0, missing: 0, failed: 0 };
  const jira = jiraGateway(deps);
  if (!jira) {
    summary.jiraOff = true;
    return summary;
  }
  const defects = await deps.db.prisma.defect.findMany({
    where: { jiraKey: { not: null }, jiraUrl: { not: null }, OR: [{ milestoneId: null }, { milestone: { status: 'ACTIVE' } }] },
    select: { id: true, jiraKey: true },
    orderBy: { id: 'asc' },
  });
  const byKey = new Map<string, string[]>();
  for (const d of defects) byKey.set(d.jiraKey!, [...(byKey.get(d.jiraKey!) ?? []), d.id]);
  const keys = [...byKey.keys()];
  const size = Math.max(1, options.batchSize ?? RECONCILE_BATCH);

  for (let i = 0; i < keys.length; i += size) {
    const batch = keys.slice(i, i + size);
    let issues: Map<string, JiraIssueSnapshot>;
    try {
      issues = await readBatch(jira, batch);
    } catch (err) {
      const e = err instanceof JiraCallError ? err : null;
      summary.stoppedEarly = e?.kind === 'rate-limited' ? 'rate-limited' : e?.kind === 'transient' ? 'jira-unavailable' : 'error';
      deps.logger.warn({ err: (err as Error).message, batch: batch.length }, 'Jira reconcile stopped; the next tick tries again');
      break;
    }
    for (const key of batch) {
      const issue = issues.get(key);
      if (!issue) {
        summary.missing++;
        deps.logger.warn({ key }, 'linked Jira issue not found by reconcile');
        continue;
      }
      summary.checked++;
      for (const defectId of byKey.get(key)!) {
        try {
          const r = await applyIssueState(deps, defectId, issue, now, { url: jira.issueUrl(issue.key) });
          if (r.outcome === 'updated') summary.updated++;
        } catch (err) {
          summary.failed++;
          deps.logger.error({ err, defectId, key }, 'could not apply Jira state to defect');
        }
      }
    }
  }
  return summary;
}

/**
 * One search for the batch. Jira answers 400 to `key in (…)` naming an issue
 * that no longer exists; then each key is read on its own so the rest still sync.
 */
async function readBatch(jira: JiraGateway, keys: string[]): Promise<Map<string, JiraIssueSnapshot>> {
  const out = new Map<string, JiraIssueSnapshot>();
  try {
    const found = await jira.searchIssues(`key in (${keys.map((k) => `"${k}"`).join(', ')})`);
    for (const issue of found) out.set(issue.key, issue);
    return out;
  } catch (err) {
    if (!(err instanceof JiraCallError) || err.kind !== 'permanent' || err.status !== 400) throw err;
  }
  for (const key of keys) {
    try {
      out.set(key, await jira.getIssue(key));
    } catch (err) {
      if (!(err instanceof JiraCallError) || err.kind !== 'permanent') throw err;
    }
  }
  return out;
}
