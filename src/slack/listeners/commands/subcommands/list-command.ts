// `/milestone list [PROJECT] [all]`: active milestones (all: completed and
// archived too) with verdict badge, pass rate and due date.
import { listWorkspaceMilestones } from '../../../list-workspace-milestones.js';
import { resolveProject } from '../../../milestone-resolver.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { milestoneList } from '../../../../messages/milestone-list.js';
import { reply, type CommandRequest } from '../command-request.js';

const SHOWN = 25;

export async function listCommand(
  deps: SlackDeps,
  req: CommandRequest<{ kind: 'list'; project: string | null; all: boolean }>,
): Promise<void> {
  const project = req.command.project ? await resolveProject(deps.db.prisma, req.workspaceId, req.command.project) : null;
  const { items, total } = await listWorkspaceMilestones(deps, {
    workspaceId: req.workspaceId,
    ...(project ? { projectId: project.id } : {}),
    statuses: req.command.all ? ['ACTIVE', 'COMPLETED', 'ARCHIVED'] : ['ACTIVE'],
    limit: SHOWN,
  });
  const title = `${req.command.all ? 'All' : 'Active'} milestones${project ? ` of ${project.key}` : ''}`;
  await reply(req, milestoneList(items, { title, total }));
}
