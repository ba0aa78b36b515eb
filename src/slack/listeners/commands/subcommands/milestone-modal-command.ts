// `/milestone link|scope|defect|signoff <milestone>`: the modal for it.
import type { MilestoneRef } from '../../../command-parser.js';
import { resolveMilestone } from '../../../milestone-resolver.js';
import { openLinkRun, openReportDefect, openScope, openSignOff } from '../../../open-modals.js';
import type { SlackDeps } from '../../../slack-deps.js';
import type { CommandRequest } from '../command-request.js';

const OPENERS = { link: openLinkRun, scope: openScope, defect: openReportDefect, signoff: openSignOff } as const;

export async function milestoneModalCommand(
  deps: SlackDeps,
  req: CommandRequest<{ kind: keyof typeof OPENERS; ref: MilestoneRef }>,
): Promise<void> {
  const m = await resolveMilestone(deps.db.prisma, { workspaceId: req.workspaceId, channelId: req.channelId }, req.command.ref);
  await OPENERS[req.command.kind](deps, req.client, req.triggerId, m, {});
}
