// The CI API keys of a project: prefix, name, scope, who made it, last use. Never the key.
import type { ServiceDeps } from './service-deps.js';

export async function listApiKeys(deps: ServiceDeps, options: { projectId: string; includeRevoked?: boolean }) {
  return deps.db.prisma.apiKey.findMany({
    where: { projectId: options.projectId, ...(options.includeRevoked ? {} : { revokedAt: null }) },
    select: { id: true, name: true, prefix: true, scope: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: 'asc' },
  });
}
