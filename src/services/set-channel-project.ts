// `/milestone project use KEY`: a channel's default project, so milestones can
// be named without their project there.
import type { Prisma } from '../db/open-database.js';

export interface SetChannelProjectOptions {
  workspaceId: string;
  channelId: string;
  projectId: string;
}

export async function setChannelProject(deps: { prisma: Prisma }, options: SetChannelProjectOptions) {
  const { workspaceId, channelId, projectId } = options;
  return deps.prisma.channelDefault.upsert({
    where: { workspaceId_channelId: { workspaceId, channelId } },
    update: { projectId },
    create: { workspaceId, channelId, projectId },
  });
}
