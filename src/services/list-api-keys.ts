// The CI API keys of a project: prefix, name, who made it, last use. Never the key.
import type { Prisma } from '../db/open-database.js';

export async function listApiKeys(deps: { prisma: Prisma }, options: { projectId: string; includeRevoked?: boolean }) {
  return deps.prisma.apiKey.findMany({
    where: { projectId: options.projectId, ...(options.includeRevoked ? {} : { revokedAt: null }) },
    select: { id: true, name: true, prefix: true, createdBy: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: 'asc' },
  });
}
