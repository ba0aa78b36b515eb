// Answers "may this defect link that key?" for the edges, with a short timeout so
// an API request or a Slack modal (which must answer within 3 s) never waits on
// a slow Jira: no answer in time counts as unavailable, and the outbox checks later.
import type { Config } from '../config.js';
import type { JiraIssueCheck, JiraIssueChecker } from '../services/jira-issue-check.js';
import { createJiraGateway, JiraCallError, type JiraGateway } from './jira-client.js';

/** Short enough for a Slack view submission's 3-second budget, with the database work around it. */
export const JIRA_CHECK_TIMEOUT_MS = 2_000;

/** Why Jira's answer means the key cannot be linked: what the person reads, and what a failed link keeps. */
export function linkRefusalReason(err: JiraCallError, key: string): string {
  switch (err.status) {
    case 404:
      return `${key} does not exist in Jira`;
    case 401:
      return `Jira refused Shipgate's credentials (401), so Shipgate cannot read ${key}: check JIRA_EMAIL and JIRA_API_TOKEN`;
    case 403:
      return `Shipgate's Jira account cannot read ${key} (403): give it "Browse projects" in that Jira project`;
    default:
      return err.message;
  }
}

export function checkWith(jira: JiraGateway): JiraIssueChecker {
  return {
    async check(key): Promise<JiraIssueCheck> {
      try {
        const issue = await jira.getIssue(key);
        const found = issue.key || key;
        return { outcome: 'found', key: found, url: jira.issueUrl(found), status: issue.status };
      } catch (err) {
        if (!(err instanceof JiraCallError)) throw err;
        if (err.kind !== 'permanent') return { outcome: 'unavailable', reason: err.message };
        const reason = linkRefusalReason(err, key);
        return { outcome: 'refused', reason: err.status === 404 ? `${reason} (or Shipgate's Jira account may not see it)` : reason };
      }
    },
  };
}

/** The checker for a configuration; null when Jira is not configured. */
export function jiraIssueChecker(config: Config, options: { timeoutMs?: number } = {}): JiraIssueChecker | null {
  const c = config.jira;
  if (!c.enabled || !c.host || !c.email || !c.apiToken) return null;
  const gateway = createJiraGateway(
    { host: c.host, email: c.email, apiToken: c.apiToken },
    { timeoutMs: options.timeoutMs ?? JIRA_CHECK_TIMEOUT_MS },
  );
  return checkWith(gateway);
}
