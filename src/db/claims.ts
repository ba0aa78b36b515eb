// Exactly-once deliveries across replicas: a row per (kind, key) in the Claim
// table is taken before something is sent (a reminder, digest, nudge, verdict
// change) and marked sent after. The unique constraint decides which replica
// sends; a claim whose send failed (or whose sender died) is taken again once
// its lease has expired, so work is retried, never sent twice by two live
// replicas. It lives beside the database, below the jobs and Jira that use it.
import { isUniqueViolation } from './errors.js';
import type { Prisma } from './open-database.js';

export interface ClaimRequest {
  kind: string;
  key: string;
  /** Who is claiming (host:pid), for the log and the row. */
  owner: string;
  now: Date;
  /** How long a claim without `sentAt` belongs to its owner before others may retry it. */
  leaseMs?: number;
  /** Give up after this many attempts. */
  maxAttempts?: number;
}

export interface HeldClaim {
  id: string;
  kind: string;
  key: string;
  attempt: number;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
/** How many times a claim is tried before it is given up (the sender decides what to tell whom then). */
export const CLAIM_MAX_ATTEMPTS = 10;

/** Takes the claim, or returns null when it was sent already or another owner holds it. */
export async function claim(prisma: Prisma, r: ClaimRequest): Promise<HeldClaim | null> {
  try {
    const row = await prisma.claim.create({ data: { kind: r.kind, key: r.key, claimedBy: r.owner, claimedAt: r.now, attempts: 1 } });
    return { id: row.id, kind: r.kind, key: r.key, attempt: 1 };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const existing = await prisma.claim.findUnique({ where: { kind_key: { kind: r.kind, key: r.key } } });
  if (!existing || existing.sentAt) return null;
  const leaseEnds = existing.claimedAt.getTime() + (r.leaseMs ?? DEFAULT_LEASE_MS);
  if (leaseEnds > r.now.getTime() || existing.attempts >= (r.maxAttempts ?? CLAIM_MAX_ATTEMPTS)) return null;
  // Conditional on the row being as we read it: of two replicas retrying at once, one wins.
  const taken = await prisma.claim.updateMany({
    where: { id: existing.id, sentAt: null, claimedAt: existing.claimedAt, attempts: existing.attempts },
    data: { claimedBy: r.owner, claimedAt: r.now, attempts: existing.attempts + 1 },
  });
  return taken.count === 1 ? { id: existing.id, kind: r.kind, key: r.key, attempt: existing.attempts + 1 } : null;
}

export async function markSent(prisma: Prisma, held: HeldClaim, now: Date): Promise<void> {
  await prisma.claim.update({ where: { id: held.id }, data: { sentAt: now, lastError: null } });
}

/**
 * Records why a send failed. The claim stays unsent; it is retried when the
 * lease ends, or at `retryAt` when the receiver said when (HTTP 429).
 */
export async function markFailed(
  prisma: Prisma,
  held: HeldClaim,
  error: unknown,
  retryAt?: { now: Date; at: Date; leaseMs?: number },
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const data: { lastError: string; claimedAt?: Date } = { lastError: message.slice(0, 1000) };
  // Backdate the claim so its lease ends exactly at the requested retry time.
  if (retryAt) data.claimedAt = new Date(retryAt.at.getTime() - (retryAt.leaseMs ?? DEFAULT_LEASE_MS));
  await prisma.claim.update({ where: { id: held.id }, data });
}

/** Runs `send` under a claim: at most one live sender per (kind, key), retried after failures. */
export async function sendOnce(prisma: Prisma, r: ClaimRequest, send: () => Promise<void>): Promise<'sent' | 'skipped' | 'failed'> {
  const held = await claim(prisma, r);
  if (!held) return 'skipped';
  try {
    await send();
  } catch (err) {
    const retryAfterMs = (err as { retryAfterMs?: number }).retryAfterMs;
    await markFailed(
      prisma,
      held,
      err,
      retryAfterMs ? { now: r.now, at: new Date(r.now.getTime() + retryAfterMs), leaseMs: r.leaseMs } : undefined,
    );
    return 'failed';
  }
  await markSent(prisma, held, r.now);
  return 'sent';
}
