// `/milestone project use KEY`: a channel's default project, so milestones can
// be named without their project there.
import type { ServiceDeps } from './service-deps.js';

export interface SetChannelProjectOptions {
  workspaceId: string;
  channelId: string;
  projectId: string;
}

export async function setChannelProject(deps: ServiceDeps, options: SetChannelProjectOptions) {
  const { workspaceId, channelId, projectId } = options;
  return deps.db.prisma.channelDefault.upsert({
    where: { workspaceId_channelId: { workspaceId, channelId } },
    update: { projectId },
    create: { workspaceId, channelId, projectId },
  });
}
