// What a use case asks Jira before it links a key to a defect: does the issue
// exist, and may Shipgate's account read it? The answer comes from src/jira (the
// only door to Jira), handed in by the edge; null means Jira is not configured.
import { AppError } from '../domain/errors.js';

export type JiraIssueCheck =
  /** Jira showed the issue: the link is confirmed. */
  | { outcome: 'found'; key: string; url: string; status: string | null }
  /** Jira answered, and the answer is no (404, 401, 403, another 4xx): linking it would be wrong. */
  | { outcome: 'refused'; reason: string }
  /** Jira did not answer in time, or is down or rate-limiting: the outbox checks later. */
  | { outcome: 'unavailable'; reason: string };

export interface JiraIssueChecker {
  check(key: string): Promise<JiraIssueCheck>;
}

/** What the defect use cases need besides the database and the clock; absent or null: Jira is not configured. */
export interface JiraCheckDeps {
  jiraCheck?: JiraIssueChecker | null;
}

export const JIRA_SETUP =
  'Set JIRA_HOST, JIRA_EMAIL and JIRA_API_TOKEN on the Shipgate server (JIRA_HOST as https://your-team.atlassian.net) and restart it, as "Jira" in the README describes; or leave "jira" out to report the defect without an issue.';

export function jiraNotConfigured(what: { create: true } | { key: string }): AppError {
  const action = 'create' in what ? 'create a Jira issue' : `link ${what.key}: it can be neither checked nor kept in sync`;
  return new AppError('UNPROCESSABLE', `Jira is not set up on this Shipgate server, so it cannot ${action}. ${JIRA_SETUP}`);
}

export function jiraLinkRefused(key: string, reason: string): AppError {
  return new AppError('UNPROCESSABLE', `Cannot link ${key}: ${reason}. Nothing was changed.`, { key, reason });
}
