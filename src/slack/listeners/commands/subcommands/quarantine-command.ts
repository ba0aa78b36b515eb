// `/milestone quarantine <KEY> [<case key> <until> <reason>]` and
// `/milestone unquarantine <KEY> <case key>` (SPEC §10): alone it lists the
// project's quarantined tests; with a case it quarantines it (a critical case
// is refused by the use case). Changing what counts toward the pass rate moves
// the gate, so with approvers set only they may, as for a waiver.
import { endQuarantine } from '../../../../services/end-quarantine.js';
import { listQuarantines } from '../../../../services/list-quarantines.js';
import { quarantineTest } from '../../../../services/quarantine-test.js';
import { resolveProject } from '../../../../services/resolve-project.js';
import { quarantinedReply, quarantinesReply, releasedReply } from '../../../../messages/quarantine-messages.js';
import { requireApprover } from '../../../approval.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { reply, type CommandRequest } from '../command-request.js';

export async function quarantineCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'quarantine' | 'unquarantine'>>): Promise<void> {
  const c = req.command;
  const project = await resolveProject(deps, { workspaceId: req.workspaceId, key: c.key, hints: SLACK_HINTS });
  if (c.kind === 'quarantine' && !c.quarantine) {
    await reply(req, quarantinesReply(project.key, await listQuarantines(deps, { projectId: project.id })));
    return;
  }
  await requireApprover(deps, req.client, { project, userId: req.userId, action: 'quarantine' });
  if (c.kind === 'unquarantine') {
    const removed = await endQuarantine(deps, { projectId: project.id, ref: c.caseKey, actor: req.actor });
    await reply(req, releasedReply(project.key, removed));
    return;
  }
  const q = await quarantineTest(deps, { projectId: project.id, ...c.quarantine!, actor: req.actor });
  await reply(req, quarantinedReply(project.key, q));
}
