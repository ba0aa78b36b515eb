// `/milestone link|scope|defect|signoff <milestone>`: the modal for it. Scope and
// sign-off are for the project's approvers, when it has them.
import { resolveMilestone } from '../../../../services/resolve-milestone.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import { openLinkRun, openReportDefect, openScope, openSignOff } from '../../../open-modals.js';
import type { SlackDeps } from '../../../slack-deps.js';
import type { CommandRequest } from '../command-request.js';
import { requireApprover } from '../../../approval.js';

const OPENERS = { link: openLinkRun, scope: openScope, defect: openReportDefect, signoff: openSignOff } as const;

export async function milestoneModalCommand(deps: SlackDeps, req: CommandRequest<CommandOf<keyof typeof OPENERS>>): Promise<void> {
  const m = await resolveMilestone(deps, {
    workspaceId: req.workspaceId,
    channelId: req.channelId,
    ref: req.command.ref,
    hints: SLACK_HINTS,
  });
  // Only approvers (when the project has them) may sign off or change the scope: told now, before the modal.
  if (req.command.kind === 'signoff' || req.command.kind === 'scope')
    await requireApprover(deps, req.client, { project: m.project, userId: req.userId, action: req.command.kind });
  await OPENERS[req.command.kind](deps, req.client, req.triggerId, m, {});
}
