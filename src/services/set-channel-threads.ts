// Turns a channel's living message on or off (SPEC §11): with threads on (the
// default) a milestone's day is one card in the channel and its events are
// replies in the card's thread; off, every event is a message of its own.
import { isUniqueViolation } from '../db/errors.js';
import { threadsOn } from '../db/living-messages.js';
import type { ServiceDeps } from './service-deps.js';

export interface SetChannelThreadsOptions {
  workspaceId: string;
  channelId: string;
  threads: boolean;
}

export async function setChannelThreads(deps: ServiceDeps, o: SetChannelThreadsOptions): Promise<void> {
  const where = { workspaceId_channelId: { workspaceId: o.workspaceId, channelId: o.channelId } };
  try {
    await deps.db.prisma.channelSetting.upsert({
      where,
      create: { ...where.workspaceId_channelId, threads: o.threads },
      update: { threads: o.threads },
    });
  } catch (err) {
    // Two at once on PostgreSQL: the other created the row; this one's value is written over it.
    if (!isUniqueViolation(err)) throw err;
    await deps.db.prisma.channelSetting.update({ where, data: { threads: o.threads } });
  }
}

/** Whether the channel has threads on (the default). */
export async function getChannelThreads(deps: ServiceDeps, o: Omit<SetChannelThreadsOptions, 'threads'>): Promise<boolean> {
  return threadsOn(deps.db.prisma, o.workspaceId, o.channelId);
}
