// `/milestone status <milestone>`: posts the readiness card to the channel.
import type { MilestoneRef } from '../../../command-parser.js';
import { postCard } from '../../../card-publisher.js';
import { resolveMilestone } from '../../../milestone-resolver.js';
import type { SlackDeps } from '../../../slack-deps.js';
import type { CommandRequest } from '../command-request.js';

export async function statusCommand(deps: SlackDeps, req: CommandRequest<{ kind: 'status'; ref: MilestoneRef }>): Promise<void> {
  const m = await resolveMilestone(deps.db.prisma, { workspaceId: req.workspaceId, channelId: req.channelId }, req.command.ref);
  await postCard(deps, req.client, req.channelId, m.id, (message) => req.respond(message));
}
