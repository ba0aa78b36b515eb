// Turns for big writes. An upload is received and checked without the
// database, then written in one short transaction; only so many of those run
// at once, so uploads never take every connection (PostgreSQL) or keep the one
// connection (SQLite) for long, and other requests keep answering. An upload
// that waits too long for its turn is refused as busy (503), never half-stored.
import { E_TIMEOUT, Semaphore, withTimeout } from 'async-mutex';
import { DatabaseBusyError } from './overload.js';

export interface BulkWriteSlots {
  /** Runs `write` in a turn of its own; DatabaseBusyError when no turn came within the queue time. */
  run<T>(write: () => Promise<T>): Promise<T>;
}

export function bulkWriteSlots(concurrency: number, queueMs: number): BulkWriteSlots {
  const slots = withTimeout(new Semaphore(concurrency), queueMs);
  return {
    async run(write) {
      let release: () => void;
      try {
        [, release] = await slots.acquire();
      } catch (err) {
        if (err === E_TIMEOUT) {
          throw new DatabaseBusyError(
            `Other uploads kept the database busy for ${Math.round(queueMs / 1000)} s (INGEST_QUEUE_TIMEOUT_MS); nothing was stored. Send the report again shortly.`,
            30,
          );
        }
        throw err;
      }
      try {
        return await write();
      } finally {
        release();
      }
    },
  };
}
