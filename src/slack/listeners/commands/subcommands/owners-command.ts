// `/milestone owners <KEY> [<pattern> @person @group … | remove <pattern> | clear]`:
// who owns which tests of a project. Alone it lists the rules in order (the
// last match wins); with a pattern and mentions it sets that pattern's owners
// (its rule keeps its place, or a new one goes last); `remove` drops one rule,
// `clear` every rule. When the project has approvers, only they may change the
// rules, as for the approvers' own list; each change is on the audit trail.
import { resolveProject } from '../../../../services/resolve-project.js';
import { listOwnerRules } from '../../../../services/list-owner-rules.js';
import { removeOwnerRule, setOwnerRule, setOwnerRules } from '../../../../services/set-owner-rules.js';
import { ownersReply } from '../../../../messages/owners-messages.js';
import { requireApprover } from '../../../approval.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { reply, type CommandRequest } from '../command-request.js';

export async function ownersCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'owners'>>): Promise<void> {
  const c = req.command;
  const project = await resolveProject(deps, { workspaceId: req.workspaceId, key: c.key, hints: SLACK_HINTS });
  if (c.action === 'show') {
    await reply(
      req,
      ownersReply({ projectKey: project.key, rules: await listOwnerRules(deps, { projectId: project.id }), change: 'shown' }),
    );
    return;
  }
  await requireApprover(deps, req.client, { project, userId: req.userId, action: 'owners' });
  const base = { projectId: project.id, actor: req.actor };
  const { rules } =
    c.action === 'clear'
      ? await setOwnerRules(deps, { ...base, rules: [] })
      : c.action === 'remove'
        ? await removeOwnerRule(deps, { ...base, pattern: c.pattern! })
        : await setOwnerRule(deps, { ...base, rule: { pattern: c.pattern!, owners: c.ids } });
  const change = c.action === 'clear' ? 'cleared' : c.action === 'remove' ? 'removed' : 'set';
  await reply(req, ownersReply({ projectKey: project.key, rules, change, pattern: c.pattern }));
}
