// Maps a project to its Jira project key. Goes through engineer C's
// update-project use case once it exists (see the report); until then the one
// field is written here.
import type { SlackDeps } from '../../../slack-deps.js';

export async function setProjectJira(deps: SlackDeps, o: { projectId: string; jiraProjectKey: string }): Promise<void> {
  await deps.db.prisma.project.update({ where: { id: o.projectId }, data: { jiraProjectKey: o.jiraProjectKey } });
}
