// The go/no-go digests a channel is subscribed to, oldest first, each named as
// people type it (`PAY` or `PAY/2.4`).
import type { ServiceDeps } from './service-deps.js';

export interface ChannelSubscription {
  label: string;
  digestTime: string;
  timeZone: string;
  weekdaysOnly: boolean;
  /** The subscribed milestone's status; null for a project subscription. */
  milestoneStatus: string | null;
}

export async function listChannelSubscriptions(
  deps: ServiceDeps,
  options: { workspaceId: string; channelId: string },
): Promise<ChannelSubscription[]> {
  const subs = await deps.db.prisma.subscription.findMany({
    where: { workspaceId: options.workspaceId, channelId: options.channelId },
    include: {
      project: { select: { key: true } },
      milestone: { select: { name: true, status: true, project: { select: { key: true } } } },
    },
    orderBy: { createdAt: 'asc' },
  });
  return subs.map((s) => ({
    label: s.milestone ? `${s.milestone.project.key}/${s.milestone.name}` : (s.project?.key ?? '?'),
    digestTime: s.digestTime,
    timeZone: s.timeZone,
    weekdaysOnly: s.weekdaysOnly,
    milestoneStatus: s.milestone?.status ?? null,
  }));
}
