// The one rule for a defect's Jira request, shared by reporting and updating a
// defect: refused without Jira configured, refused when Jira says the key is not
// there or not readable, LINKED when Jira showed it, PENDING when Jira could not
// be asked now (and for a creation, which the outbox does).
import { jiraLinkRefused, jiraNotConfigured, type JiraCheckDeps } from './jira-issue-check.js';

export interface JiraLinkPlan {
  /** What the defect stores about its link now. */
  fields: {
    jiraSync: 'PENDING' | 'LINKED';
    jiraSyncError: null;
    jiraUrl?: string;
    jiraStatus?: string | null;
  };
}

export async function checkJiraLink(deps: JiraCheckDeps, request: { create: true } | { key: string }): Promise<JiraLinkPlan> {
  const checker = deps.jiraCheck;
  if (!checker) throw jiraNotConfigured(request);
  if ('create' in request) return { fields: { jiraSync: 'PENDING', jiraSyncError: null } };
  const answer = await checker.check(request.key);
  switch (answer.outcome) {
    case 'refused':
      throw jiraLinkRefused(request.key, answer.reason);
    case 'unavailable':
      return { fields: { jiraSync: 'PENDING', jiraSyncError: null } };
    case 'found':
      // The outbox still reads the issue once more to apply its state (status category, Done → resolved, verdict news).
      return { fields: { jiraSync: 'LINKED', jiraSyncError: null, jiraUrl: answer.url, jiraStatus: answer.status } };
  }
}
