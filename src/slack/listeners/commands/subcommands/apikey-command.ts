// `/milestone apikey create|list <KEY>`, `apikey revoke <id>`: CI keys for the
// REST API. A new key is shown once, only to the person who asked (ephemeral).
import { createApiKey } from '../../../../services/create-api-key.js';
import { listApiKeys } from '../../../../services/list-api-keys.js';
import { resolveProject } from '../../../../services/resolve-project.js';
import { revokeApiKey } from '../../../../services/revoke-api-key.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { mention } from '../../../../messages/format.js';
import { noticeMessage } from '../../../../messages/help-message.js';
import { reply, type CommandRequest } from '../command-request.js';

export async function apikeyCommand(
  deps: SlackDeps,
  req: CommandRequest<CommandOf<'apikey-create' | 'apikey-list' | 'apikey-revoke'>>,
): Promise<void> {
  const c = req.command;
  if (c.kind === 'apikey-revoke') {
    const { key, alreadyRevoked } = await revokeApiKey(deps, { workspaceId: req.workspaceId, id: c.id });
    await reply(
      req,
      noticeMessage(
        alreadyRevoked
          ? `Key \`${key.prefix}…\` of ${key.project.key} was already revoked.`
          : `:lock: Key \`${key.prefix}…\` of ${key.project.key} revoked: CI requests with it now get 401.`,
      ),
    );
    return;
  }
  const project = await resolveProject(deps, { workspaceId: req.workspaceId, key: c.key, hints: SLACK_HINTS });
  if (c.kind === 'apikey-create') {
    const created = await createApiKey(deps, {
      workspaceId: req.workspaceId,
      projectKey: project.key,
      createdBy: req.userId,
      name: `slack:${req.userId}`,
    });
    await reply(
      req,
      noticeMessage(
        `:key: New CI key for *${project.key}* (id \`${created.id}\`). It is shown *only this once*: store it as a CI secret now.\n` +
          `\`\`\`${created.key}\`\`\`\nUse it as \`SHIPGATE_API_KEY\` or \`Authorization: Bearer …\`.`,
      ),
    );
    return;
  }
  const keys = await listApiKeys(deps, { projectId: project.id });
  if (keys.length === 0) {
    await reply(req, noticeMessage(`*${project.key}* has no active CI keys. Create one with \`/milestone apikey create ${project.key}\`.`));
    return;
  }
  const lines = keys
    .slice(0, 40)
    .map(
      (k) =>
        `• \`${k.id}\` \`${k.prefix}…\`${k.createdBy ? ` by ${mention(k.createdBy)}` : ''} · created ${k.createdAt.toISOString().slice(0, 10)} · ${k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString().slice(0, 10)}` : 'never used'}`,
    );
  if (keys.length > 40) lines.push(`…and ${keys.length - 40} more`);
  await reply(req, noticeMessage(`*CI keys of ${project.key}* (revoke with \`/milestone apikey revoke <id>\`)\n${lines.join('\n')}`));
}
