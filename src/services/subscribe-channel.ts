// Subscribes a channel to the go/no-go digest of a project or one milestone,
// every day unless weekdays only are asked for. Subscribing again changes what
// it names (time, zone, days) and keeps the rest, instead of adding a second digest.
import { AppError } from '../domain/errors.js';
import { isValidTimeZone } from '../domain/time.js';
import type { ServiceDeps } from './service-deps.js';

export interface SubscribeChannelOptions {
  workspaceId: string;
  channelId: string;
  target: { projectId: string } | { milestoneId: string };
  digestTime?: string;
  timeZone?: string;
  weekdaysOnly?: boolean;
  /** For a new subscription, what is not given (DIGEST_TIME, DIGEST_TZ); every day unless weekdaysOnly. */
  defaults?: { digestTime: string; timeZone: string };
  createdBy?: string | null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export async function subscribeChannel(deps: ServiceDeps, o: SubscribeChannelOptions) {
  if (o.digestTime !== undefined && !HHMM.test(o.digestTime))
    throw new AppError('VALIDATION_FAILED', `"${o.digestTime}" is not a time of day: use HH:MM on a 24-hour clock, e.g. 09:00.`);
  if (o.timeZone !== undefined && !isValidTimeZone(o.timeZone))
    throw new AppError('VALIDATION_FAILED', `"${o.timeZone}" is not a time zone: use an IANA name such as Europe/Berlin or UTC.`);
  const projectId = 'projectId' in o.target ? o.target.projectId : null;
  const milestoneId = 'milestoneId' in o.target ? o.target.milestoneId : null;
  const given = {
    ...(o.digestTime !== undefined ? { digestTime: o.digestTime } : {}),
    ...(o.timeZone !== undefined ? { timeZone: o.timeZone } : {}),
    ...(o.weekdaysOnly !== undefined ? { weekdaysOnly: o.weekdaysOnly } : {}),
  };
  // Not an upsert: the unique key holds a NULL column, which neither database
  // treats as equal, so look up first and update in place.
  const existing = await deps.db.prisma.subscription.findFirst({
    where: { workspaceId: o.workspaceId, channelId: o.channelId, projectId, milestoneId },
  });
  if (existing) {
    const subscription = await deps.db.prisma.subscription.update({ where: { id: existing.id }, data: given });
    return { subscription, created: false };
  }
  const subscription = await deps.db.prisma.subscription.create({
    data: {
      workspaceId: o.workspaceId,
      channelId: o.channelId,
      projectId,
      milestoneId,
      digestTime: o.defaults?.digestTime ?? '09:00',
      timeZone: o.defaults?.timeZone ?? 'UTC',
      weekdaysOnly: false,
      ...given,
      createdBy: o.createdBy ?? null,
    },
  });
  return { subscription, created: true };
}
