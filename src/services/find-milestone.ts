// Finds a milestone of a project by id or by name (case-insensitive).
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './service-deps.js';

export async function findMilestone(deps: ServiceDeps, options: { projectId: string; idOrName: string }) {
  const prisma = deps.db.prisma;
  const byId = await prisma.milestone.findFirst({ where: { id: options.idOrName, projectId: options.projectId } });
  if (byId) return byId;
  const byName = await prisma.milestone.findUnique({
    where: { projectId_nameKey: { projectId: options.projectId, nameKey: milestoneNameKey(options.idOrName) } },
  });
  if (byName) return byName;
  throw new AppError(
    'NOT_FOUND',
    `No milestone "${options.idOrName}" in this project. List them with GET /api/projects/{projectId}/milestones.`,
  );
}

/** The case-insensitive form names are unique by. */
export function milestoneNameKey(name: string): string {
  return name.trim().normalize('NFC').toLocaleLowerCase('en-US');
}
