// What a milestone's channel reads when a defect's Jira change turned its
// verdict: the new verdict and the old, the Jira change that caused it, and the
// top reasons. Pure text (Slack mrkdwn); src/jira/verdict-change.ts decides
// when it is sent, once.
import type { Reason } from '../domain/readiness.js';
import type { Verdict } from '../domain/types.js';
import { escape, reasonMrkdwn, VERDICT_BADGE, VERDICT_LABEL } from './format.js';
import { clip, LIMITS } from './limits.js';

const REASON_LINES = 3;

export interface VerdictChangeNotice {
  before: { verdict: Verdict };
  after: { verdict: Verdict; milestone: { projectKey: string; name: string }; reasons: Reason[] };
  defect: { title: string; jiraKey: string | null; status: string };
  /** The issue's new status in Jira, when known. */
  jiraStatus: string | null;
}

export function verdictChangeText(c: VerdictChangeNotice): string {
  const m = c.after.milestone;
  const head = `${VERDICT_BADGE[c.after.verdict]} ${escape(`${m.projectKey}/${m.name}`)} is now ${VERDICT_LABEL[c.after.verdict]} (was ${VERDICT_LABEL[c.before.verdict]}).`;
  const why = verdictChangeWhy(c);
  const reasons = c.after.reasons
    .filter((r) => r.severity !== 'info')
    .slice(0, REASON_LINES)
    .map((r) => `• ${reasonMrkdwn(r)}`);
  return clip([head, why, ...reasons].join('\n'), LIMITS.sectionText);
}

/**
 * The Jira change that turned the verdict, in one line (the living message's
 * thread reply says this). Each value is clipped, so the line stays well within
 * Slack's limits however long or escaped they are.
 */
export function verdictChangeWhy(c: Pick<VerdictChangeNotice, 'defect' | 'jiraStatus'>): string {
  const issue = c.defect.jiraKey ? escape(clip(c.defect.jiraKey, 40)) : 'its Jira issue';
  const status = c.jiraStatus ? escape(clip(c.jiraStatus, 80)) : 'a new status';
  return `${issue} “${escape(clip(c.defect.title, 200))}” moved to ${status} in Jira, so the defect is ${escape(clip(c.defect.status, 20))}.`;
}
