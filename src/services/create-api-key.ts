// Issues a CI API key for one project. The key is returned once; only its
// SHA-256 hash is stored, with a short prefix so people can tell keys apart.
import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_API_KEY_SCOPE, type ApiKeyScope } from '../domain/api-key-scopes.js';
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './service-deps.js';

export const API_KEY_PREFIX = 'sg_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface CreateApiKeyOptions {
  workspaceId: string;
  projectKey: string;
  name?: string | null;
  createdBy?: string | null;
  /** What the key may do; report (what CI needs) unless said otherwise. */
  scope?: ApiKeyScope;
}

export async function createApiKey(deps: ServiceDeps, options: CreateApiKeyOptions) {
  const project = await deps.db.prisma.project.findUnique({
    where: { workspaceId_key: { workspaceId: options.workspaceId, key: options.projectKey } },
  });
  if (!project) {
    throw new AppError(
      'NOT_FOUND',
      `No project ${options.projectKey}. Create it first: shipgate project create ${options.projectKey} "<name>".`,
    );
  }
  const key = API_KEY_PREFIX + randomBytes(24).toString('base64url');
  const row = await deps.db.prisma.apiKey.create({
    data: {
      projectId: project.id,
      name: options.name ?? null,
      prefix: key.slice(0, 10),
      hash: hashApiKey(key),
      createdBy: options.createdBy ?? null,
      scope: options.scope ?? DEFAULT_API_KEY_SCOPE,
    },
  });
  return { id: row.id, key, prefix: row.prefix, scope: row.scope as ApiKeyScope, project };
}
