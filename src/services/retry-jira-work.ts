// Puts Jira work that failed for good (a 401, 403, 404 or 400 from Jira) back
// in the queue once its cause is fixed outside Shipgate — a new API token, a
// permission granted in Jira — where nothing in Shipgate changes to do it.
// All of it, or only the work of one project's defects.
import { AppError } from '../domain/errors.js';
import type { Prisma } from '../db/open-database.js';
import { JIRA_KIND_PREFIX, requeueFailed } from '../db/outbox.js';
import type { ServiceDeps } from './service-deps.js';

export interface RetryJiraWorkOptions {
  /** A project key; without it, every project's failed Jira work. */
  projectKey?: string;
  /** Slack team id of the project's workspace, needed only when several workspaces have the key. */
  workspace?: string;
}

export async function retryJiraWork(deps: ServiceDeps, options: RetryJiraWorkOptions = {}) {
  const project = options.projectKey ? await projectByKey(deps.db.prisma, options.projectKey, options.workspace) : null;
  const requeued = await requeueFailed(deps.db.prisma, JIRA_KIND_PREFIX, deps.now(), project ? { projectId: project.id } : {});
  return { requeued, project };
}

// Looked up without picking or creating a workspace: retrying must not set anything up as a side effect.
async function projectByKey(prisma: Prisma, key: string, slackTeamId: string | undefined) {
  const found = await prisma.project.findMany({
    where: { key: key.toUpperCase(), ...(slackTeamId ? { workspace: { slackTeamId } } : {}) },
    select: { id: true, key: true },
    take: 2,
  });
  if (found.length === 0) {
    const where = slackTeamId ? ` in workspace ${slackTeamId}` : '';
    throw new AppError(
      'NOT_FOUND',
      `No project ${key}${where}. Check the key (project keys are like PAY), or leave --project out to retry every project's Jira work.`,
    );
  }
  if (found.length > 1)
    throw new AppError('VALIDATION_FAILED', `Several workspaces have a project ${key}: name one with --workspace <Slack team id>.`);
  return found[0]!;
}
