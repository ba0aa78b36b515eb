// `/milestone complete|reopen|archive <milestone>`: completing needs a GO or GO_WITH_RISKS verdict or a recorded override; a completed milestone can be reopened; either can be archived.
// Completing a milestone that is not GO (or GO with risks) opens the modal that
// asks for the override reason; otherwise it happens at once.
import { AppError } from '../../../../domain/errors.js';
import { getReadiness } from '../../../../services/get-readiness.js';
import { resolveMilestone } from '../../../../services/resolve-milestone.js';
import { updateMilestone } from '../../../../services/update-milestone.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import { openComplete } from '../../../open-modals.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { lifecycleReply } from '../../../../messages/command-replies.js';
import { needsOverride } from '../../../../messages/modals/complete-modal.js';
import { reply, type CommandRequest } from '../command-request.js';
import { requireApprover } from '../../../approval.js';

const TARGET = { complete: 'COMPLETED', reopen: 'ACTIVE', archive: 'ARCHIVED' } as const;

export async function lifecycleCommand(deps: SlackDeps, req: CommandRequest<CommandOf<keyof typeof TARGET>>): Promise<void> {
  const m = await resolveMilestone(deps, {
    workspaceId: req.workspaceId,
    channelId: req.channelId,
    ref: req.command.ref,
    hints: SLACK_HINTS,
  });
  // An AppError's message is escaped where it is shown, like every name in the replies.
  const title = `${m.project.key}/${m.name}`;
  const named = { projectKey: m.project.key, name: m.name };
  if (m.status === TARGET[req.command.kind]) {
    throw new AppError('CONFLICT', `${title} is already ${m.status.toLowerCase()}; nothing to do.`);
  }
  if (req.command.kind === 'complete' && m.status === 'ACTIVE') {
    const readiness = await getReadiness(deps, m.id);
    if (needsOverride(readiness.verdict)) {
      await requireApprover(deps, req.client, { project: m.project, userId: req.userId, action: 'override' });
      await openComplete(deps, req.client, req.triggerId, m, {});
      return;
    }
    await updateMilestone(deps, { milestoneId: m.id, patch: { status: 'COMPLETED' }, actor: req.actor });
    await reply(req, lifecycleReply({ ...named, change: 'complete', verdict: readiness.verdict }));
    return;
  }
  await updateMilestone(deps, { milestoneId: m.id, patch: { status: TARGET[req.command.kind] }, actor: req.actor });
  await reply(req, lifecycleReply({ ...named, change: req.command.kind }));
}
