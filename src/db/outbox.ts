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
  /** Earliest time to try; default `at`, else the database's now. */
  notBefore?: Date;
  /** When the work arose, by the caller's clock (default the database's now). */
  at?: Date;
}

/** Enqueues work once per dedupe key; returns false when it was already queued. */
export async function enqueue(prisma: PrismaLike, work: OutboxWork): Promise<boolean> {
  try {
    await prisma.outboxItem.create({
      data: {
        kind: work.kind,
        dedupeKey: work.dedupeKey,
        payload: JSON.stringify(work.payload),
        ...(work.at ? { createdAt: work.at } : {}),
        ...(work.notBefore || work.at ? { nextAttemptAt: work.notBefore ?? work.at } : {}),
      },
    });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Every Jira kind starts with this: the Jira worker claims them, `shipgate jira retry` requeues them. */
export const JIRA_KIND_PREFIX = 'jira.';

/** Every Slack kind starts with this: the notices tick claims them. */
export const SLACK_KIND_PREFIX = 'slack.';

/** Every living-message kind starts with this: the `living` tick claims them. */
export const LIVING_KIND_PREFIX = 'living.';

/**
 * Something that changed a milestone, told in its living message's thread
 * (SPEC §11). Ids, not text: the tick reads what it says from the database
 * when it tells it. Jira's word is the exception: what Jira answered (a
 * failure, a status that turned the verdict) is not kept anywhere else, so
 * that event carries its line, built (and escaped) by src/messages.
 */
export type LivingEvent =
  | { kind: 'run.completed'; milestoneId: string; runId: string }
  | { kind: 'defect.reported'; milestoneId: string; defectId: string }
  | { kind: 'defect.resolved'; milestoneId: string; defectId: string; status: 'RESOLVED' | 'WAIVED' }
  | { kind: 'signoff'; milestoneId: string; signoffId: string }
  | { kind: 'reminder'; milestoneId: string; daysLeft: number }
  | { kind: 'notice'; milestoneId: string; auditEntryId: string }
  /** A resolved defect whose linked test fails again (SPEC §10); told only if it still does. */
  | { kind: 'resolved.failing'; milestoneId: string; defectId: string; resolvedAt: string }
  /** Jira work on a defect failed for good, or a Jira change turned the verdict: `text` is Slack mrkdwn. */
  | { kind: 'jira'; milestoneId: string; defectId: string; text: string };

export const OUTBOX_KINDS = {
  jiraCreateIssue: 'jira.createIssue',
  jiraLinkIssue: 'jira.linkIssue',
  slackAuditNotice: 'slack.auditNotice',
  livingEvent: 'living.event',
} as const;

/** Outbox kinds and payloads shared between the code that enqueues and the workers. */
export const OUTBOX = {
  jiraCreateIssue: (defectId: string): OutboxWork => ({
    kind: OUTBOX_KINDS.jiraCreateIssue,
    dedupeKey: `jira.createIssue:${defectId}`,
    payload: { defectId },
  }),
  jiraLinkIssue: (defectId: string, key: string): OutboxWork => ({
    kind: OUTBOX_KINDS.jiraLinkIssue,
    dedupeKey: `jira.linkIssue:${defectId}:${key}`,
    payload: { defectId, key },
  }),
  /** The channel line for a gate or scope change on the audit trail. */
  slackAuditNotice: (auditEntryId: string): OutboxWork => ({
    kind: OUTBOX_KINDS.slackAuditNotice,
    dedupeKey: `slack.auditNotice:${auditEntryId}`,
    payload: { auditEntryId },
  }),
  /** A change told in the thread of the milestone's living message; `id` makes it once per change. */
  livingEvent: (event: LivingEvent, id: string, at: Date): OutboxWork => ({
    kind: OUTBOX_KINDS.livingEvent,
    dedupeKey: `living:${event.kind}:${id}`,
    payload: event,
    at,
  }),
} as const;

/** Every Jira payload in OUTBOX names its defect; requeueing by project goes through it. */
export type PrismaWithDefects = Pick<Prisma, 'outboxItem' | 'defect'>;

/**
 * Puts work that failed for good back in the queue, once its cause is fixed
 * (a new Jira token, the right project key): FAILED items whose kind starts
 * with `kindPrefix` become PENDING, due at `now`. `projectId` keeps it to the
 * work of that project's defects. Returns how many.
 */
export async function requeueFailed(
  prisma: PrismaWithDefects,
  kindPrefix: string,
  now: Date,
  where: { dedupeKey?: string; projectId?: string } = {},
): Promise<number> {
  const failed = {
    status: 'FAILED' as const,
    kind: { startsWith: kindPrefix },
    ...(where.dedupeKey ? { dedupeKey: where.dedupeKey } : {}),
  };
  // The project is only in the payload's defect, and the defects' link state goes back to PENDING with their
  // work; FAILED items are few, so they are read and matched here.
  const items = await prisma.outboxItem.findMany({ where: failed, select: { id: true, payload: true } });
  const byDefect = new Map<string, string[]>();
  for (const item of items) {
    const defectId = defectIdOf(item.payload);
    if (defectId) byDefect.set(defectId, [...(byDefect.get(defectId) ?? []), item.id]);
  }
  let ids = items.map((i) => i.id);
  if (where.projectId) {
    if (byDefect.size === 0) return 0;
    const defects = await prisma.defect.findMany({
      where: { projectId: where.projectId, id: { in: [...byDefect.keys()] } },
      select: { id: true },
    });
    ids = defects.flatMap((d) => byDefect.get(d.id) ?? []);
  }
  if (ids.length === 0) return 0;
  const res = await prisma.outboxItem.updateMany({
    where: { ...failed, id: { in: ids } },
    data: { status: 'PENDING', nextAttemptAt: now, lockedBy: null, lockedUntil: null },
  });
  const requeued = new Set(ids);
  const defectIds = [...byDefect].filter(([, itemIds]) => itemIds.some((id) => requeued.has(id))).map(([defectId]) => defectId);
  await prisma.defect.updateMany({
    where: { id: { in: defectIds }, jiraSync: 'FAILED' },
    data: { jiraSync: 'PENDING', jiraSyncError: null },
  });
  return res.count;
}

/**
 * Queues work the user asks for again (a defect's "create the issue" after an
 * earlier attempt failed or its issue went away). The dedupe key would make a
 * second enqueue a no-op, so an existing FAILED or DONE row is put back in the
 * queue instead; a PENDING one is already on its way. The row is read first
 * rather than caught as a unique violation: on PostgreSQL a failed statement
 * aborts the caller's whole transaction.
 */
export async function enqueueOrRequeue(prisma: PrismaLike, work: OutboxWork, now: Date): Promise<'queued' | 'requeued' | 'pending'> {
  const existing = await prisma.outboxItem.findUnique({ where: { dedupeKey: work.dedupeKey }, select: { id: true, status: true } });
  if (!existing) return (await enqueue(prisma, work)) ? 'queued' : 'pending';
  if (existing.status === 'PENDING') return 'pending';
  const res = await prisma.outboxItem.updateMany({
    where: { id: existing.id, status: existing.status },
    data: { status: 'PENDING', nextAttemptAt: now, lockedBy: null, lockedUntil: null },
  });
  return res.count === 1 ? 'requeued' : 'pending';
}

function defectIdOf(payload: string): string | null {
  try {
    const defectId = (JSON.parse(payload) as { defectId?: unknown }).defectId;
    return typeof defectId === 'string' ? defectId : null;
  } catch {
    return null;
  }
}

export interface ClaimedOutboxItem {
  id: string;
  kind: string;
  payload: string;
  createdAt: Date;
  /** Including this one. */
  attempts: number;
}

/**
 * Claims the next due PENDING item whose kind starts with `kindPrefix`, under a
 * lease (a conditional update on lockedUntil/lockedBy and attempts, so two
 * replicas never hold the same item). `tried` holds the ids this tick already
 * saw; it grows with every item looked at.
 */
export async function claimNextItem(
  prisma: Pick<Prisma, 'outboxItem'>,
  o: { kindPrefix: string; owner: string; now: Date; leaseMs: number; tried: Set<string> },
): Promise<ClaimedOutboxItem | null> {
  const due = {
    status: 'PENDING' as const,
    kind: { startsWith: o.kindPrefix },
    nextAttemptAt: { lte: o.now },
    OR: [{ lockedUntil: null }, { lockedUntil: { lte: o.now } }],
  };
  const candidates = await prisma.outboxItem.findMany({
    where: { ...due, id: { notIn: [...o.tried] } },
    orderBy: [{ nextAttemptAt: 'asc' }, { createdAt: 'asc' }],
    take: 10,
  });
  for (const c of candidates) {
    // The WHERE is re-checked by the database at update time: of two replicas, one gets count 1.
    const taken = await prisma.outboxItem.updateMany({
      where: { id: c.id, ...due, attempts: c.attempts },
      data: { lockedBy: o.owner, lockedUntil: new Date(o.now.getTime() + o.leaseMs), attempts: c.attempts + 1 },
    });
    if (taken.count === 1) return { id: c.id, kind: c.kind, payload: c.payload, createdAt: c.createdAt, attempts: c.attempts + 1 };
    o.tried.add(c.id);
  }
  return null;
}

/**
 * Gives a claimed item back without counting the attempt (its channel was busy
 * or rate-limited, which is no failure of the item): due again at `at`.
 */
export async function releaseItem(prisma: Pick<Prisma, 'outboxItem'>, item: { id: string }, owner: string, at: Date): Promise<boolean> {
  const res = await prisma.outboxItem.updateMany({
    where: { id: item.id, lockedBy: owner, status: 'PENDING' },
    data: { lockedBy: null, lockedUntil: null, nextAttemptAt: at, attempts: { decrement: 1 } },
  });
  return res.count === 1;
}

/** Records how a claimed item ended, unless its lease was lost meanwhile; returns whether it was this owner's to record. */
export async function finishItem(
  prisma: Pick<Prisma, 'outboxItem'>,
  item: { id: string },
  owner: string,
  data: { status?: 'DONE' | 'FAILED'; nextAttemptAt?: Date; lastError?: string | null },
): Promise<boolean> {
  const res = await prisma.outboxItem.updateMany({
    where: { id: item.id, lockedBy: owner, status: 'PENDING' },
    data: { lockedBy: null, lockedUntil: null, ...data },
  });
  return res.count === 1;
}
