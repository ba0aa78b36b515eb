// Maps a project to its Jira project key, through the same use case as the REST API.
import { updateProject } from '../../../../services/update-project.js';
import type { SlackDeps } from '../../../slack-deps.js';

export async function setProjectJira(deps: SlackDeps, o: { projectId: string; jiraProjectKey: string }): Promise<void> {
  await updateProject({ prisma: deps.db.prisma }, { projectId: o.projectId, patch: { jira: { projectKey: o.jiraProjectKey } } });
}
