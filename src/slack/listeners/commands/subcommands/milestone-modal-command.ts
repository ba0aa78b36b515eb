// `/milestone link|scope|defect|signoff <milestone>`: the modal for it.
import { resolveMilestone } from '../../../../services/resolve-milestone.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import { openLinkRun, openReportDefect, openScope, openSignOff } from '../../../open-modals.js';
import type { SlackDeps } from '../../../slack-deps.js';
import type { CommandRequest } from '../command-request.js';

const OPENERS = { link: openLinkRun, scope: openScope, defect: openReportDefect, signoff: openSignOff } as const;

export async function milestoneModalCommand(deps: SlackDeps, req: CommandRequest<CommandOf<keyof typeof OPENERS>>): Promise<void> {
  const m = await resolveMilestone(deps, {
    workspaceId: req.workspaceId,
    channelId: req.channelId,
    ref: req.command.ref,
    hints: SLACK_HINTS,
  });
  await OPENERS[req.command.kind](deps, req.client, req.triggerId, m, {});
}
