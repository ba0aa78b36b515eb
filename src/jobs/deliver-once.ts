// The loop every delivery tick (reminders, digests, nudges) runs: for each
// item due, each message is claimed once across replicas (db/claims.ts), sent,
// and counted as sent, skipped or failed. One bad item never stops the rest; a
// failed send keeps its claim unsent, so a later tick retries it (after the
// receiver's Retry-After on a 429, else after the lease).
import { sendOnce as claimAndSend } from '../db/claims.js';
import { tickOwner } from '../db/tick-owner.js';
import type { TickDeps } from './tick-deps.js';

/** What a delivery tick reports (to the log, `shipgate tick` and the tests). */
export interface DeliverySummary {
  /** Items due at this moment (sent now, sent before, or failed). */
  considered: number;
  sent: number;
  /** Due but already sent (or being sent) by this or another replica. */
  skipped: number;
  failed: number;
}

export type Outcome = 'sent' | 'skipped' | 'failed';

/**
 * Sends one message under the claim (kind, key), unless it was sent already or
 * another replica holds it. Never throws: a failure is logged, returned as
 * 'failed' and left for a later tick.
 */
export type SendOnce = (claim: { kind: string; key: string }, send: () => Promise<void>) => Promise<Outcome>;

export interface Deliveries<T> {
  /** The items due at this tick's `now`. */
  due: Iterable<T>;
  /** What an item is, for the log ("reminder", "digest"). */
  what: string;
  /** The log fields that name an item. */
  about(item: T): Record<string, unknown>;
  /**
   * Delivers one item through `sendOnce` and returns the outcome it counts as,
   * or null when it turns out to have nothing to deliver (it is not counted).
   */
  deliver(item: T, sendOnce: SendOnce): Promise<Outcome | null>;
}

export function emptySummary(): DeliverySummary {
  return { considered: 0, sent: 0, skipped: 0, failed: 0 };
}

/** Delivers every due item once, adding the outcomes to `summary` (which it returns). */
export async function deliverOnce<T, S extends DeliverySummary>(deps: TickDeps, now: Date, items: Deliveries<T>, summary: S): Promise<S> {
  for (const item of items.due) {
    const about = items.about(item);
    const sendOnce: SendOnce = async (claim, send) => {
      let outcome: Outcome;
      try {
        outcome = await claimAndSend(deps.db.prisma, { ...claim, owner: tickOwner(), now }, send);
      } catch (err) {
        // The claim could not be taken or its outcome recorded (the database):
        // counted as failed; the claim's lease decides when it is tried again.
        deps.logger.error({ err, ...about, ...claim }, `${claim.kind} failed`);
        return 'failed';
      }
      if (outcome === 'failed') deps.logger.warn({ ...about, ...claim }, `${claim.kind} not delivered; it will be retried`);
      return outcome;
    };
    let outcome: Outcome | null;
    try {
      outcome = await items.deliver(item, sendOnce);
    } catch (err) {
      // Reading what the item needs failed (the database, a bad row): counted
      // and logged, and the next item still goes.
      summary.considered++;
      summary.failed++;
      deps.logger.error({ err, ...about }, `${items.what} failed`);
      continue;
    }
    if (outcome === null) continue;
    summary.considered++;
    summary[outcome]++;
  }
  return summary;
}
