// Jira issue keys as a defect links them (PAY-123): one rule for every way a
// key comes in (reporting a defect, re-linking one), so they accept the same.
import { AppError } from './errors.js';

export const JIRA_ISSUE_KEY_PATTERN = /^[A-Z][A-Z0-9_]+-\d+$/;

/**
 * The key as Jira writes it (trimmed, upper-case: Jira's keys are), or a
 * VALIDATION_FAILED that names `field` and shows the form that works.
 */
export function jiraIssueKey(raw: string, field = 'jira.key'): string {
  const key = raw.trim().toUpperCase();
  if (!JIRA_ISSUE_KEY_PATTERN.test(key)) throw new AppError('VALIDATION_FAILED', `${field} "${raw}" is not a Jira issue key; use the form PAY-123.`);
  return key;
}
