// The projects of a workspace, by key: the project picker of the new-milestone
// modal, and the keys named when a typed key matches none.
import type { ServiceDeps } from './service-deps.js';

export async function listProjects(deps: ServiceDeps, options: { workspaceId: string; limit: number }) {
  return deps.db.prisma.project.findMany({ where: { workspaceId: options.workspaceId }, orderBy: { key: 'asc' }, take: options.limit });
}
