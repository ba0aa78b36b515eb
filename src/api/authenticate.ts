// Bearer API keys: each key acts for exactly one project. The key is looked up
// by its SHA-256 hash; revoked keys are refused. A key may name its project by
// id or key; another project of its workspace is 403, anything else 404.
// What the key may do there is its scope (key-scope.ts).
import type { Prisma } from '../db/open-database.js';
import { isApiKeyScope } from '../domain/api-key-scopes.js';
import { AppError } from '../domain/errors.js';
import { hashApiKey } from '../services/create-api-key.js';
import type { CallingKey } from './key-scope.js';

/** How stale a key's lastUsedAt may get before a request records it again. */
export const LAST_USED_EVERY_MS = 60_000;

export async function authenticate(prisma: Prisma, authorization: string | undefined, projectRef: string, now: Date) {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) {
    throw new AppError(
      'UNAUTHENTICATED',
      'Missing API key: send "Authorization: Bearer sg_…" (create one with `shipgate apikey create KEY` or /milestone apikey create KEY).',
    );
  }
  const key = await prisma.apiKey.findUnique({ where: { hash: hashApiKey(match[1]!) }, include: { project: true } });
  if (!key || key.revokedAt) throw new AppError('UNAUTHENTICATED', 'This API key is not valid (unknown or revoked); create a new one.');
  const own = key.project;
  if (projectRef !== own.id && projectRef !== own.key) {
    const other = await prisma.project.findFirst({
      where: { workspaceId: own.workspaceId, OR: [{ id: projectRef }, { key: projectRef }] },
      select: { id: true },
    });
    if (!other) throw new AppError('NOT_FOUND', `No project ${projectRef}.`);
    throw new AppError('FORBIDDEN', `This API key belongs to project ${own.key}; it cannot act on ${projectRef}.`);
  }
  // Best effort: a failed touch must not fail the request. At most once a minute (it is
  // shown by the day): a write per request would take SQLite's one writer for every read,
  // and empty the readers' page cache each time (another connection changed the file).
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    await prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } }).catch(() => undefined);
  }
  // A scope this version does not know (written by a newer one) counts as the least it could be.
  const apiKey: CallingKey = { id: key.id, name: key.name, scope: isApiKeyScope(key.scope) ? key.scope : 'read' };
  return { project: own, apiKey };
}
