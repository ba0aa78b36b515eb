// The scheduled jobs, one row each: name, how often cron runs it, and its tick.
// The schedule (start-schedules.ts) and `shipgate tick <job>` both read this
// table, so a job runs the same way whichever of them starts it.
import type { AppDeps } from '../app-deps.js';
import { runJiraReconcileTick } from '../jira/jira-reconcile.js';
import { runOutboxTick } from '../jira/outbox-worker.js';
import { runDigestsTick } from './digests-tick.js';
import { runNudgesTick } from './nudges-tick.js';
import { runRemindersTick } from './reminders-tick.js';
import type { TickSummary } from './tick-summary.js';

export type JobDeps = Pick<AppDeps, 'db' | 'notifier' | 'logger' | 'config'>;

export interface Job {
  name: string;
  /** node-cron expression. */
  cron: string;
  run(deps: JobDeps, now: Date): Promise<object>;
  /** One line for the CLI and the log. */
  describe(summary: object): string;
  /** Whether the summary says something failed (the CLI exits 1). */
  failed(summary: object): boolean;
}

function deliveries(summary: object): string {
  const s = summary as TickSummary & { pictures?: number; snapshots?: number };
  const extra = [s.pictures !== undefined ? `${s.pictures} pictures` : '', s.snapshots ? `${s.snapshots} daily snapshots` : ''].filter(Boolean);
  return `${s.sent} sent, ${s.skipped} already sent, ${s.failed} failed (${s.considered} due)${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

const deliveryJob = (name: string, run: Job['run']): Job => ({
  name,
  cron: '* * * * *',
  run,
  describe: deliveries,
  failed: (s) => (s as TickSummary).failed > 0,
});

export const JOBS: Job[] = [
  deliveryJob('reminders', (deps, now) => runRemindersTick(deps, now)),
  deliveryJob('digests', (deps, now) => runDigestsTick(deps, now)),
  deliveryJob('nudges', (deps, now) => runNudgesTick(deps, now)),
  {
    name: 'outbox',
    // Every 15 s, so a defect reported with "create in Jira" gets its issue within seconds;
    // a tick with nothing due is one query.
    cron: '*/15 * * * * *',
    run: (deps, now) => runOutboxTick(deps, now),
    describe: (s) => {
      const o = s as Awaited<ReturnType<typeof runOutboxTick>>;
      if (o.jiraOff) return 'Jira is not configured (JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN): the outbox waits';
      return `${o.claimed} claimed, ${o.done} done, ${o.retried} to retry, ${o.failed} failed${o.stoppedEarly ? ` (stopped early: ${o.stoppedEarly})` : ''}`;
    },
    failed: (s) => (s as Awaited<ReturnType<typeof runOutboxTick>>).failed > 0,
  },
  {
    // Linked issues re-read in case a webhook was missed (SPEC §7).
    name: 'jira-reconcile',
    cron: '*/15 * * * *',
    run: (deps, now) => runJiraReconcileTick(deps, now),
    describe: (s) => {
      const r = s as Awaited<ReturnType<typeof runJiraReconcileTick>>;
      if (r.jiraOff) return 'Jira is not configured (JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN): nothing to reconcile';
      return `${r.checked} issues checked, ${r.updated} defects updated, ${r.missing} missing, ${r.failed} failed${r.stoppedEarly ? ` (stopped early: ${r.stoppedEarly})` : ''}`;
    },
    failed: (s) => (s as Awaited<ReturnType<typeof runJiraReconcileTick>>).failed > 0,
  },
];

export function findJob(name: string): Job | undefined {
  return JOBS.find((j) => j.name === name);
}
