// What every tick reports (to the log, `shipgate tick` and the tests), and the
// dependencies a tick needs: the same shape whether cron, the CLI or a test calls it.
import type { AppDeps } from '../app-deps.js';

export interface TickSummary {
  /** Deliveries due at this moment (sent now, sent before, or failed). */
  considered: number;
  sent: number;
  /** Due but already sent (or being sent) by this or another replica. */
  skipped: number;
  failed: number;
}

export type TickDeps = Pick<AppDeps, 'db' | 'notifier' | 'logger' | 'config'>;

export function emptySummary(): TickSummary {
  return { considered: 0, sent: 0, skipped: 0, failed: 0 };
}

/** Adds the outcome of one `sendOnce` to the summary. */
export function count(summary: TickSummary, outcome: 'sent' | 'skipped' | 'failed'): void {
  summary[outcome]++;
}
