// The Jira work the outbox holds: create an issue for a defect, or link an
// existing key. A handler returns done or failed (permanent, with a message
// for the channel) and throws a retryable JiraCallError for the worker to
// back off on. Creation is safe to repeat: once an attempt may have reached
// Jira, the issue is looked up by the defect's label before creating again.
import { applyIssueState } from './apply-issue-state.js';
import { failureText, fixHint, type FailureContext } from '../messages/jira-failure-notice.js';
import { buildIssueFields, defectLabel } from './issue-fields.js';
import { JiraCallError, type JiraGateway } from './jira-client.js';
import { linkRefusalReason } from './jira-issue-checker.js';
import type { JiraDeps } from './jira-deps.js';
import { loadDefectIssueInput } from './load-defect-issue-input.js';

export type HandlerOutcome = { kind: 'done'; note?: string } | { kind: 'failed'; error: string; report?: string };

export interface HandlerContext {
  deps: JiraDeps;
  jira: JiraGateway;
  now: Date;
  /** 1 on the first try; more means an earlier try may have reached Jira. */
  attempt: number;
}

export async function createIssueForDefect(ctx: HandlerContext, payload: { defectId: string }): Promise<HandlerOutcome> {
  const { deps, jira, now } = ctx;
  const prisma = deps.db.prisma;
  const input = await loadDefectIssueInput(prisma, payload.defectId);
  if (!input) return { kind: 'done', note: 'defect no longer exists' };
  const defect = await prisma.defect.findUniqueOrThrow({ where: { id: payload.defectId } });
  const context: FailureContext = {
    action: 'create',
    defect: { id: input.defectId, title: input.title },
    projectKey: input.projectKey,
    jiraProjectKey: input.mapping.jiraProjectKey || null,
    milestoneName: input.milestoneName,
  };
  let key = defect.jiraKey;
  try {
    if (!key) {
      if (!input.mapping.jiraProjectKey) {
        const reason = `project ${input.projectKey} has no Jira project.`;
        await markSync(deps, defect.id, null, 'FAILED', reason);
        return {
          kind: 'failed',
          error: reason,
          report: failureText(
            context,
            reason,
            `Set one with \`/milestone project jira ${input.projectKey} <JIRA-KEY>\` or PATCH /api/projects/${input.projectKey} { "jira": { "projectKey": "…" } }; the issue is then created by itself.`,
          ),
        };
      }
      key = ctx.attempt > 1 ? await findExisting(jira, input.defectId) : null;
      if (!key) key = (await jira.createIssue(buildIssueFields(input))).key;
      // Kept at once: if reading the issue back fails, the retry refreshes this key rather than creating another.
      // It is linked (below) only once its status is known too, so a reader never sees a link without one.
      await prisma.defect.updateMany({
        where: { id: defect.id, jiraKey: null },
        data: { jiraKey: key, jiraUrl: jira.issueUrl(key), jiraSyncError: null },
      });
    }
    const issue = await jira.getIssue(key);
    await applyIssueState(deps, defect.id, issue, now, { url: jira.issueUrl(issue.key || key) });
    await markSync(deps, defect.id, key, 'LINKED', null);
    return { kind: 'done' };
  } catch (err) {
    if (!(err instanceof JiraCallError) || err.kind !== 'permanent') throw err;
    await markSync(deps, defect.id, key, 'FAILED', err.message);
    return { kind: 'failed', error: err.message, report: failureText(context, err.message, fixHint(err, context)) };
  }
}

export async function linkIssueToDefect(ctx: HandlerContext, payload: { defectId: string; key: string }): Promise<HandlerOutcome> {
  const { deps, jira, now } = ctx;
  const prisma = deps.db.prisma;
  const defect = await prisma.defect.findUnique({ where: { id: payload.defectId }, include: { project: true, milestone: true } });
  if (!defect) return { kind: 'done', note: 'defect no longer exists' };
  if (defect.jiraKey !== payload.key) return { kind: 'done', note: `defect now points at ${defect.jiraKey ?? 'no issue'}` };
  const context: FailureContext = {
    action: 'link',
    defect: { id: defect.id, title: defect.title },
    projectKey: defect.project.key,
    jiraProjectKey: defect.project.jiraProjectKey,
    milestoneName: defect.milestone?.name ?? null,
    issueKey: payload.key,
  };
  try {
    const issue = await jira.getIssue(payload.key);
    await applyIssueState(deps, defect.id, issue, now, { url: jira.issueUrl(issue.key || payload.key) });
    await markSync(deps, defect.id, payload.key, 'LINKED', null);
    return { kind: 'done' };
  } catch (err) {
    if (!(err instanceof JiraCallError) || err.kind !== 'permanent') throw err;
    const reason = linkRefusalReason(err, payload.key);
    if (err.status === 404) {
      // The defect must not claim an issue that is not there: nothing of it is kept but the key, shown as a failed link
      // (reconcile reads only issues with a URL, so it leaves this one alone).
      await prisma.defect.updateMany({
        where: { id: defect.id, jiraKey: payload.key },
        data: { jiraStatus: null, jiraStatusCategory: null, jiraUrl: null, jiraUpdatedAt: null },
      });
    }
    await markSync(deps, defect.id, payload.key, 'FAILED', reason);
    return { kind: 'failed', error: err.message, report: failureText(context, err.message, fixHint(err, context)) };
  }
}

/** Records where the defect's link stands, unless the defect has moved on to another key meanwhile. */
async function markSync(
  deps: HandlerContext['deps'],
  defectId: string,
  key: string | null,
  sync: 'LINKED' | 'FAILED',
  error: string | null,
) {
  await deps.db.prisma.defect.updateMany({
    where: { id: defectId, jiraKey: key },
    data: { jiraSync: sync, jiraSyncError: error?.slice(0, 1000) ?? null },
  });
}

/** The issue an earlier, unanswered create made, if any (the oldest, should there be two). */
async function findExisting(jira: JiraGateway, defectId: string): Promise<string | null> {
  const found = await jira.searchIssues(`labels = "${defectLabel(defectId)}" ORDER BY created ASC`);
  return found[0]?.key || null;
}
