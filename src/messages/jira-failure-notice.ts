// What the milestone's channel reads when Jira work stopped for good (400/401/
// 403/404): what failed, Jira's answer, and what to change so it works. Pure
// text; src/jira/failure-report.ts decides where (and whether) it is posted.
import { escape } from './format.js';
import { clip, LIMITS } from './limits.js';

export interface FailureContext {
  action: 'create' | 'link';
  defect: { id: string; title: string };
  projectKey: string;
  jiraProjectKey: string | null;
  milestoneName: string | null;
  issueKey?: string;
}

/** The part of a failed Jira call the hint depends on: the HTTP status and Jira's own words. */
export interface JiraFailure {
  status?: number;
  jiraMessages: string[];
}

/** What to change so the Jira work succeeds, per HTTP status (plain text). */
export function fixHint(err: JiraFailure, c: FailureContext): string {
  // Causes outside Shipgate (credentials, Jira permissions) need `shipgate jira retry` once fixed; a new
  // project mapping retries the project's issue creations by itself.
  const retry = `then run \`shipgate jira retry --project ${c.projectKey}\` to send this again.`;
  switch (err.status) {
    case 401:
      return 'Jira rejected Shipgate’s credentials: check JIRA_EMAIL and JIRA_API_TOKEN (make a new token at https://id.atlassian.com/manage-profile/security/api-tokens), restart Shipgate, then run `shipgate jira retry` to send the Jira work that failed.';
    case 403:
      return c.action === 'create'
        ? `The Jira account may not create issues in ${c.jiraProjectKey ?? 'that project'}: give it the “Create issues” and “Browse projects” permissions there (or set JIRA_EMAIL and JIRA_API_TOKEN to another account and restart Shipgate), ${retry}`
        : `The Jira account may not see ${c.issueKey}: give it “Browse projects” in that project (or set JIRA_EMAIL and JIRA_API_TOKEN to another account and restart Shipgate), ${retry}`;
    case 404:
      return c.action === 'create'
        ? `Jira has no project ${c.jiraProjectKey} the account can see: set the right key with \`/milestone project jira ${c.projectKey} <JIRA-KEY>\`; the issue is then created by itself.`
        : `${c.issueKey} does not exist in Jira (or the account cannot see it): the defect shows the link as failed; link the right key on the defect again (PATCH /api/projects/${c.projectKey}/defects/${c.defect.id} with \`{ "jira": { "key": "…" } }\`).`;
    case 400:
      return `Jira refused the issue’s fields${err.jiraMessages.length ? ` (${err.jiraMessages.join('; ')})` : ''}: check the issue type, priority names and labels in ${c.projectKey}’s Jira mapping (PATCH /api/projects/${c.projectKey} with \`jira.issueType\`, \`jira.priorities\`, \`jira.labels\`); saving the mapping retries the issue by itself.`;
    default:
      return 'Check the Jira settings of the project and Shipgate’s JIRA_* configuration.';
  }
}

/**
 * The message text (Slack mrkdwn): every part is plain text, so the whole is
 * escaped once; a defect title or Jira's answer cannot turn into a link or a
 * mention, and "<JIRA-KEY>" in a hint stays literal.
 */
export function failureText(c: FailureContext, reason: string, hint: string): string {
  const where = c.milestoneName ? `${c.projectKey}/${c.milestoneName}` : c.projectKey;
  const what = c.action === 'create' ? 'create a Jira issue for' : `link ${c.issueKey} to`;
  return clip(escape(`⚠️ Shipgate could not ${what} the defect “${c.defect.title}” (${where}): ${reason}\n${hint}`), LIMITS.sectionText);
}
