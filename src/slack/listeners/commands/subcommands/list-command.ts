// `/milestone list [PROJECT] [all]`: active milestones (all: completed and
// archived too) with verdict badge, pass rate and due date.
import { listWorkspaceMilestones } from '../../../../services/list-workspace-milestones.js';
import { resolveProject } from '../../../../services/resolve-project.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { milestoneList } from '../../../../messages/milestone-list.js';
import { reply, type CommandRequest } from '../command-request.js';

const SHOWN = 25;

export async function listCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'list'>>): Promise<void> {
  const project = req.command.project
    ? await resolveProject(deps, { workspaceId: req.workspaceId, key: req.command.project, hints: SLACK_HINTS })
    : null;
  const { items, total } = await listWorkspaceMilestones(deps, {
    workspaceId: req.workspaceId,
    ...(project ? { projectId: project.id } : {}),
    statuses: req.command.all ? ['ACTIVE', 'COMPLETED', 'ARCHIVED'] : ['ACTIVE'],
    limit: SHOWN,
  });
  const title = `${req.command.all ? 'All' : 'Active'} milestones${project ? ` of ${project.key}` : ''}`;
  await reply(req, milestoneList(items, { title, total }));
}
