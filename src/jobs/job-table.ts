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
  const extra = [s.pictures !== undefined ? `${s.pictures} pictures` : '', s.snapshots ? `${s.snapshots} daily snapshots` : ''].filter(
    Boolean,
  );
  return `${s.sent} sent, ${s.skipped} already sent, ${s.failed} failed (${s.considered} due)${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

const deliveryJob = (name: string, run: Job['run']): Job => ({
  name,
  cron: '* * * * *',
  run,
  describe: deliveries,
  failed: (s) => (s as TickSummary).failed > 0,
});

interface JiraTickSummary {
  jiraOff: boolean;
  failed: number;
  stoppedEarly?: string;
}

/** A Jira job: says so when Jira is not configured, and why a tick stopped early. */
function jiraJob<S extends JiraTickSummary>(j: {
  name: string;
  cron: string;
  run: (deps: JobDeps, now: Date) => Promise<S>;
  whenOff: string;
  describe: (s: S) => string;
}): Job {
  return {
    name: j.name,
    cron: j.cron,
    run: j.run,
    describe: (s) => {
      const summary = s as S;
      if (summary.jiraOff) return `Jira is not configured (JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN): ${j.whenOff}`;
      return `${j.describe(summary)}${summary.stoppedEarly ? ` (stopped early: ${summary.stoppedEarly})` : ''}`;
    },
    failed: (s) => (s as S).failed > 0,
  };
}

export const JOBS: Job[] = [
  deliveryJob('reminders', (deps, now) => runRemindersTick(deps, now)),
  deliveryJob('digests', (deps, now) => runDigestsTick(deps, now)),
  deliveryJob('nudges', (deps, now) => runNudgesTick(deps, now)),
  jiraJob({
    name: 'outbox',
    // Every 15 s, so a defect reported with "create in Jira" gets its issue within seconds;
    // a tick with nothing due is one query.
    cron: '*/15 * * * * *',
    run: runOutboxTick,
    whenOff: 'the outbox waits',
    describe: (o) => `${o.claimed} claimed, ${o.done} done, ${o.retried} to retry, ${o.failed} failed`,
  }),
  // Linked issues re-read in case a webhook was missed.
  jiraJob({
    name: 'jira-reconcile',
    cron: '*/15 * * * *',
    run: runJiraReconcileTick,
    whenOff: 'nothing to reconcile',
    describe: (r) => `${r.checked} issues checked, ${r.updated} defects updated, ${r.missing} missing, ${r.failed} failed`,
  }),
];

export function findJob(name: string): Job | undefined {
  return JOBS.find((j) => j.name === name);
}
