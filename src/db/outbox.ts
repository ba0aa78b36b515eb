// The outbox: work owed to Jira (and Slack) written in the same transaction as
// the change that causes it, then done by a worker with retries. A dedupe key
// makes enqueueing the same work twice a no-op.
import type { Prisma } from './open-database.js';
import { isUniqueViolation } from './errors.js';

/** A Prisma client or an interactive transaction client. */
export type PrismaLike = Pick<Prisma, 'outboxItem'>;

export interface OutboxWork {
  kind: string;
  dedupeKey: string;
  payload: unknown;
  /** Earliest time to try; default now. */
  notBefore?: Date;
}

/** Enqueues work once per dedupe key; returns false when it was already queued. */
export async function enqueue(prisma: PrismaLike, work: OutboxWork): Promise<boolean> {
  try {
    await prisma.outboxItem.create({
      data: {
        kind: work.kind,
        dedupeKey: work.dedupeKey,
        payload: JSON.stringify(work.payload),
        ...(work.notBefore ? { nextAttemptAt: work.notBefore } : {}),
      },
    });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Outbox kinds and payloads shared between the code that enqueues and the workers. */
export const OUTBOX = {
  jiraCreateIssue: (defectId: string): OutboxWork => ({
    kind: 'jira.createIssue',
    dedupeKey: `jira.createIssue:${defectId}`,
    payload: { defectId },
  }),
  jiraLinkIssue: (defectId: string, key: string): OutboxWork => ({
    kind: 'jira.linkIssue',
    dedupeKey: `jira.linkIssue:${defectId}:${key}`,
    payload: { defectId, key },
  }),
} as const;

/**
 * Puts work that failed for good back in the queue, once its cause is fixed
 * (a new Jira token, the right project key): FAILED items whose kind starts
 * with `kindPrefix` become PENDING, due at `now`. Returns how many.
 */
export async function requeueFailed(prisma: PrismaLike, kindPrefix: string, now: Date, where: { dedupeKey?: string } = {}): Promise<number> {
  const res = await prisma.outboxItem.updateMany({
    where: { status: 'FAILED', kind: { startsWith: kindPrefix }, ...(where.dedupeKey ? { dedupeKey: where.dedupeKey } : {}) },
    data: { status: 'PENDING', nextAttemptAt: now, lockedBy: null, lockedUntil: null },
  });
  return res.count;
}
