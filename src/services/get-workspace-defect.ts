// A defect by id, only if it belongs to the workspace (ids come back from
// buttons and modals), with the milestone and project its waiver is dated by.
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './service-deps.js';

export async function getWorkspaceDefect(deps: ServiceDeps, options: { workspaceId: string; defectId: string | undefined }) {
  const defect = options.defectId
    ? await deps.db.prisma.defect.findFirst({
        where: { id: options.defectId, project: { workspaceId: options.workspaceId } },
        include: { milestone: true, project: true },
      })
    : null;
  if (!defect) throw new AppError('NOT_FOUND', 'That defect no longer exists in this workspace.');
  return defect;
}
