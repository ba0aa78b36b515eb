// Subscribes a channel to the go/no-go digest of a project or one milestone.
// Subscribing again changes the time and zone instead of adding a second digest.
import { AppError } from '../domain/errors.js';
import { isValidTimeZone } from '../domain/time.js';
import type { Prisma } from '../db/open-database.js';

export interface SubscribeChannelOptions {
  workspaceId: string;
  channelId: string;
  target: { projectId: string } | { milestoneId: string };
  digestTime: string;
  timeZone: string;
  weekdaysOnly?: boolean;
  createdBy?: string | null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export async function subscribeChannel(deps: { prisma: Prisma }, o: SubscribeChannelOptions) {
  if (!HHMM.test(o.digestTime)) throw new AppError('VALIDATION_FAILED', `"${o.digestTime}" is not a time of day: use HH:MM on a 24-hour clock, e.g. 09:00.`);
  if (!isValidTimeZone(o.timeZone)) throw new AppError('VALIDATION_FAILED', `"${o.timeZone}" is not a time zone: use an IANA name such as Europe/Berlin or UTC.`);
  const projectId = 'projectId' in o.target ? o.target.projectId : null;
  const milestoneId = 'milestoneId' in o.target ? o.target.milestoneId : null;
  const settings = { digestTime: o.digestTime, timeZone: o.timeZone, weekdaysOnly: o.weekdaysOnly ?? true };
  // Not an upsert: the unique key holds a NULL column, which neither database
  // treats as equal, so look up first and update in place.
  const existing = await deps.prisma.subscription.findFirst({ where: { workspaceId: o.workspaceId, channelId: o.channelId, projectId, milestoneId } });
  if (existing) {
    const subscription = await deps.prisma.subscription.update({ where: { id: existing.id }, data: settings });
    return { subscription, created: false };
  }
  const subscription = await deps.prisma.subscription.create({
    data: { workspaceId: o.workspaceId, channelId: o.channelId, projectId, milestoneId, ...settings, createdBy: o.createdBy ?? null },
  });
  return { subscription, created: true };
}
