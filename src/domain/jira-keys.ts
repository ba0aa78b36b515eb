// Jira's keys: a project key (PAY) and an issue key (PAY-123). One rule for
// every way a key comes in (Slack, the REST API, the services), so they all
// accept the same.
import { AppError } from './errors.js';

export const JIRA_PROJECT_KEY_PATTERN = /^[A-Z][A-Z0-9_]+$/;
export const JIRA_ISSUE_KEY_PATTERN = /^[A-Z][A-Z0-9_]+-\d+$/;

/**
 * The key as Jira writes it (trimmed, upper-case: Jira's keys are), or a
 * VALIDATION_FAILED that names `field` and shows the form that works.
 */
export function jiraIssueKey(raw: string, field = 'jira.key'): string {
  const key = raw.trim().toUpperCase();
  if (!JIRA_ISSUE_KEY_PATTERN.test(key))
    throw new AppError('VALIDATION_FAILED', `${field} "${raw}" is not a Jira issue key; use the form PAY-123.`);
  return key;
}
