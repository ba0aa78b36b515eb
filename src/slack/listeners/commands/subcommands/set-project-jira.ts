// Maps a project to its Jira project key, through the same use case as the REST
// API; returns how many failed issue creations that put back in the queue.
import { updateProject } from '../../../../services/update-project.js';
import type { SlackActor } from '../../../slack-actor.js';
import type { SlackDeps } from '../../../slack-deps.js';

export async function setProjectJira(
  deps: SlackDeps,
  o: { projectId: string; jiraProjectKey: string; actor: SlackActor },
): Promise<number> {
  const { jiraRequeued } = await updateProject(deps, {
    projectId: o.projectId,
    patch: { jira: { projectKey: o.jiraProjectKey } },
    actor: o.actor,
  });
  return jiraRequeued;
}
