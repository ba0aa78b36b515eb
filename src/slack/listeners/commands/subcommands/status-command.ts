// `/milestone status <milestone>`: posts the readiness card to the channel.
import { resolveMilestone } from '../../../../services/resolve-milestone.js';
import { postCard } from '../../../card-publisher.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import type { CommandRequest } from '../command-request.js';

export async function statusCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'status'>>): Promise<void> {
  const m = await resolveMilestone(deps, {
    workspaceId: req.workspaceId,
    channelId: req.channelId,
    ref: req.command.ref,
    hints: SLACK_HINTS,
  });
  await postCard(deps, req.client, req.channelId, m.id, (message) => req.respond(message));
}
