// `/milestone create [name]`: the new-milestone modal, prefilled with the name.
import type { CommandOf } from '../../../command-parser.js';
import { openCreateMilestone } from '../../../open-modals.js';
import type { SlackDeps } from '../../../slack-deps.js';
import type { CommandRequest } from '../command-request.js';

export async function createCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'create'>>): Promise<void> {
  await openCreateMilestone(deps, req.client, {
    triggerId: req.triggerId,
    workspaceId: req.workspaceId,
    channelId: req.channelId,
    name: req.command.name,
  });
}
