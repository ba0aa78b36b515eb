// Stops a channel's digest of a project or a milestone.
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './service-deps.js';

export interface UnsubscribeChannelOptions {
  workspaceId: string;
  channelId: string;
  target: { projectId: string } | { milestoneId: string };
  /** How the target is shown in the error when there is nothing to remove. */
  label: string;
}

export async function unsubscribeChannel(deps: ServiceDeps, o: UnsubscribeChannelOptions) {
  const projectId = 'projectId' in o.target ? o.target.projectId : null;
  const milestoneId = 'milestoneId' in o.target ? o.target.milestoneId : null;
  const { count } = await deps.db.prisma.subscription.deleteMany({
    where: { workspaceId: o.workspaceId, channelId: o.channelId, projectId, milestoneId },
  });
  if (count === 0) throw new AppError('NOT_FOUND', `This channel has no digest for ${o.label}; nothing to unsubscribe.`);
  return { removed: count };
}
