// Revokes a CI API key. Only keys of the caller's workspace can be found, so an
// id from another team reads as "no such key", not as a permission hint.
import { AppError } from '../domain/errors.js';
import { sentences, type LookupHints } from './lookup-hints.js';
import type { ServiceDeps } from './service-deps.js';

export async function revokeApiKey(deps: ServiceDeps, options: { workspaceId: string; id: string; hints?: LookupHints }) {
  const key = await deps.db.prisma.apiKey.findFirst({
    where: { id: options.id, project: { workspaceId: options.workspaceId } },
    include: { project: true },
  });
  if (!key) throw new AppError('NOT_FOUND', sentences(`No API key with id ${options.id} in this workspace.`, options.hints?.listApiKeys));
  if (key.revokedAt) return { key, alreadyRevoked: true };
  const updated = await deps.db.prisma.apiKey.update({
    where: { id: key.id },
    data: { revokedAt: deps.now() },
    include: { project: true },
  });
  return { key: updated, alreadyRevoked: false };
}
