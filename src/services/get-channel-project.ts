// The channel's default project (`/milestone project use KEY`), if any: a
// milestone named without its project is looked up there first.
import type { ServiceDeps } from './service-deps.js';

export async function getChannelProject(deps: ServiceDeps, options: { workspaceId: string; channelId?: string | null }) {
  const { workspaceId, channelId } = options;
  if (!channelId) return null;
  const row = await deps.db.prisma.channelDefault.findUnique({
    where: { workspaceId_channelId: { workspaceId, channelId } },
    include: { project: true },
  });
  // Checked again, not assumed: whatever the row says, nothing leaves the workspace.
  return row && row.project.workspaceId === workspaceId ? row.project : null;
}
