// The living message's row (model LivingMessage): which message is a
// milestone's card in a channel on a day. The row is also the claim on posting
// a card: whoever sets `postingBy` (by inserting the row, or by a conditional
// update once the holder's lease ran out or to replace the card) posts it, so
// two replicas never post two cards for one milestone, channel and day.
import { isUniqueViolation } from './errors.js';
import type { Prisma } from './open-database.js';

export interface LivingRow {
  id: string;
  ts: string | null;
  verdict: string | null;
  postingBy: string | null;
  postingUntil: Date | null;
  lastReplyAt: Date | null;
  readyToldAt: Date | null;
  createdAt: Date;
}

type Db = Pick<Prisma, 'livingMessage'>;

export interface LivingKey {
  milestoneId: string;
  channel: string;
  day: string;
}

/**
 * The day's row, and whether this owner now holds the right to post its card:
 * true when it created the row, or took it over from a holder whose lease ran
 * out before the card was posted.
 */
export async function takeOrReadCard(
  prisma: Db,
  key: LivingKey,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<{ row: LivingRow; mustPost: boolean }> {
  const until = new Date(now.getTime() + leaseMs);
  try {
    const row = await prisma.livingMessage.create({ data: { ...key, postingBy: owner, postingUntil: until, createdAt: now } });
    return { row, mustPost: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const row = await prisma.livingMessage.findUniqueOrThrow({ where: { milestoneId_channel_day: key } });
  if (row.ts || (row.postingUntil && row.postingUntil > now)) return { row, mustPost: false };
  const taken = await takePosting(prisma, row, owner, until);
  return { row, mustPost: taken };
}

/**
 * Takes the right to post a new card for this row, conditional on the row
 * being as read (same ts, same holder): of two replicas, one wins.
 */
export async function takePosting(prisma: Db, row: LivingRow, owner: string, until: Date): Promise<boolean> {
  const res = await prisma.livingMessage.updateMany({
    where: { id: row.id, ts: row.ts, postingBy: row.postingBy },
    data: { postingBy: owner, postingUntil: until },
  });
  return res.count === 1;
}

/** Records the card just posted (only by the owner holding the right). */
export async function cardPosted(prisma: Db, rowId: string, owner: string, ts: string, verdict: string, now: Date): Promise<void> {
  await prisma.livingMessage.updateMany({
    where: { id: rowId, postingBy: owner },
    data: { ts, verdict, postingBy: null, postingUntil: null, createdAt: now },
  });
}

/** Gives back the right to post when the post failed, so another tick may try at once. */
export async function postingFailed(prisma: Db, rowId: string, owner: string): Promise<void> {
  await prisma.livingMessage.updateMany({ where: { id: rowId, postingBy: owner }, data: { postingBy: null, postingUntil: null } });
}

export async function verdictShown(prisma: Db, rowId: string, verdict: string): Promise<void> {
  await prisma.livingMessage.update({ where: { id: rowId }, data: { verdict } });
}

/**
 * Reserves the card's reply slot: at most one reply a second. True when this
 * caller may reply now (a conditional update, so two replicas never both do).
 */
export async function takeReplySlot(prisma: Db, rowId: string, now: Date, minGapMs: number): Promise<boolean> {
  const res = await prisma.livingMessage.updateMany({
    where: { id: rowId, OR: [{ lastReplyAt: null }, { lastReplyAt: { lte: new Date(now.getTime() - minGapMs) } }] },
    data: { lastReplyAt: now },
  });
  return res.count === 1;
}

/** Marks "ready to decide" as told; true for the one caller that marked it. */
export async function takeReadyNotice(prisma: Db, rowId: string, ts: string, now: Date): Promise<boolean> {
  const res = await prisma.livingMessage.updateMany({ where: { id: rowId, ts, readyToldAt: null }, data: { readyToldAt: now } });
  return res.count === 1;
}

/** Whether the channel wants the living message (threads are the default). */
export async function threadsOn(prisma: Pick<Prisma, 'channelSetting'>, workspaceId: string, channelId: string): Promise<boolean> {
  const row = await prisma.channelSetting.findUnique({ where: { workspaceId_channelId: { workspaceId, channelId } } });
  return row?.threads ?? true;
}
