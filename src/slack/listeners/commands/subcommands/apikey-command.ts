// `/milestone apikey create|list <KEY>`, `apikey revoke <id>`: CI keys for the
// REST API. A new key is shown once, only to the person who asked (ephemeral).
import { createApiKey } from '../../../../services/create-api-key.js';
import { listApiKeys } from '../../../../services/list-api-keys.js';
import { resolveProject } from '../../../../services/resolve-project.js';
import { revokeApiKey } from '../../../../services/revoke-api-key.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { apiKeyCreatedReply, apiKeyRevokedReply, apiKeysReply } from '../../../../messages/command-replies.js';
import { reply, type CommandRequest } from '../command-request.js';

export async function apikeyCommand(
  deps: SlackDeps,
  req: CommandRequest<CommandOf<'apikey-create' | 'apikey-list' | 'apikey-revoke'>>,
): Promise<void> {
  const c = req.command;
  if (c.kind === 'apikey-revoke') {
    const { key, alreadyRevoked } = await revokeApiKey(deps, { workspaceId: req.workspaceId, id: c.id, hints: SLACK_HINTS });
    await reply(req, apiKeyRevokedReply({ prefix: key.prefix, projectKey: key.project.key, alreadyRevoked }));
    return;
  }
  const project = await resolveProject(deps, { workspaceId: req.workspaceId, key: c.key, hints: SLACK_HINTS });
  if (c.kind === 'apikey-create') {
    const created = await createApiKey(deps, {
      workspaceId: req.workspaceId,
      projectKey: project.key,
      createdBy: req.userId,
      name: `slack:${req.userId}`,
      scope: c.scope,
    });
    await reply(req, apiKeyCreatedReply({ projectKey: project.key, id: created.id, key: created.key, scope: created.scope }));
    return;
  }
  const keys = await listApiKeys(deps, { projectId: project.id });
  await reply(req, apiKeysReply(project.key, keys));
}
