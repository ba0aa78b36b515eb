// `/milestone approvers <KEY> [@person @group … | clear]`: who alone may change
// the project's gate or scope, waive, complete against the gate and sign off in
// Slack. Alone it shows the list; with mentions it sets it, `clear` lets anyone
// again. Once there are approvers, only they may change the list; the change is
// on the audit trail and told in the project's channel.
import { parseApprovers } from '../../../../domain/approvers.js';
import { resolveProject } from '../../../../services/resolve-project.js';
import { updateProject } from '../../../../services/update-project.js';
import { approversReply } from '../../../../messages/approvers-messages.js';
import { requireApprover } from '../../../approval.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { reply, type CommandRequest } from '../command-request.js';

export async function approversCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'approvers'>>): Promise<void> {
  const c = req.command;
  const project = await resolveProject(deps, { workspaceId: req.workspaceId, key: c.key, hints: SLACK_HINTS });
  if (c.action === 'show') {
    await reply(req, approversReply({ projectKey: project.key, approvers: parseApprovers(project.approvers), change: 'shown' }));
    return;
  }
  await requireApprover(deps, req.client, { project, userId: req.userId, action: 'approvers' });
  const { project: updated } = await updateProject(deps, {
    projectId: project.id,
    patch: { approvers: c.action === 'clear' ? [] : c.ids },
    actor: req.actor,
  });
  const approvers = parseApprovers(updated.approvers);
  await reply(req, approversReply({ projectKey: updated.key, approvers, change: approvers.length ? 'set' : 'cleared' }));
}
