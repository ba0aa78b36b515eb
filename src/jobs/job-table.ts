// The scheduled jobs, one row each: name, how often cron runs it, its tick, and
// how its summary reads. The schedule (start-schedules.ts) and `shipgate tick
// <job>` both read this table, so a job runs the same way whichever starts it.
import { runJiraReconcileTick, type ReconcileSummary } from '../jira/jira-reconcile.js';
import { runOutboxTick, type OutboxTickSummary } from '../jira/outbox-worker.js';
import { runAuditNoticesTick, type AuditNoticesSummary } from './audit-notices-tick.js';
import type { DeliverySummary } from './deliver-once.js';
import { runDigestsTick, type DigestsTickSummary } from './digests-tick.js';
import { runLivingTick, type LivingTickSummary } from './living-tick.js';
import { runNudgesTick } from './nudges-tick.js';
import { runRemindersTick } from './reminders-tick.js';
import { runResolvedFailingTick } from './resolved-failing-tick.js';
import type { TickDeps } from './tick-deps.js';

/** A job, typed by the summary its tick returns. */
export interface Job<S extends object> {
  name: string;
  /** node-cron expression. */
  cron: string;
  run(deps: TickDeps, now: Date): Promise<S>;
  /** One line for the CLI and the log. */
  describe(summary: S): string;
  /** Whether the summary says something failed (the CLI exits 1). */
  failed(summary: S): boolean;
}

/** What one tick of a job came to, whatever its summary type. */
export interface TickReport {
  summary: object;
  /** The job's one line about the summary. */
  line: string;
  failed: boolean;
}

/** A row of the table: the job's summary type stays inside `tick`, so rows of different jobs sit in one list. */
export interface ScheduledJob {
  name: string;
  cron: string;
  tick(deps: TickDeps, now: Date): Promise<TickReport>;
}

export function scheduled<S extends object>(job: Job<S>): ScheduledJob {
  return {
    name: job.name,
    cron: job.cron,
    async tick(deps, now) {
      const summary = await job.run(deps, now);
      return { summary, line: job.describe(summary), failed: job.failed(summary) };
    },
  };
}

function describeDeliveries(s: DeliverySummary, extra: string[] = []): string {
  const more = extra.filter(Boolean);
  return `${s.sent} sent, ${s.skipped} already sent, ${s.failed} failed (${s.considered} due)${more.length ? `; ${more.join(', ')}` : ''}`;
}

/** A delivery job: every minute, since each tick works out from `now` what is due. */
function deliveryJob<S extends DeliverySummary>(
  name: string,
  run: (deps: TickDeps, now: Date) => Promise<S>,
  describe: (s: S) => string = describeDeliveries,
): Job<S> {
  return { name, cron: '* * * * *', run, describe, failed: (s) => s.failed > 0 };
}

interface JiraTickSummary {
  jiraOff: boolean;
  failed: number;
  stoppedEarly?: string;
}

/** A Jira job: says so when Jira is not configured, and why a tick stopped early. */
function jiraJob<S extends JiraTickSummary>(j: {
  name: string;
  cron: string;
  run: (deps: TickDeps, now: Date) => Promise<S>;
  whenOff: string;
  describe: (s: S) => string;
}): Job<S> {
  return {
    name: j.name,
    cron: j.cron,
    run: j.run,
    describe: (s) => {
      if (s.jiraOff) return `Jira is not configured (JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN): ${j.whenOff}`;
      return `${j.describe(s)}${s.stoppedEarly ? ` (stopped early: ${s.stoppedEarly})` : ''}`;
    },
    failed: (s) => s.failed > 0,
  };
}

export const remindersJob: Job<DeliverySummary> = deliveryJob('reminders', (deps, now) => runRemindersTick(deps, now));

export const digestsJob: Job<DigestsTickSummary> = deliveryJob(
  'digests',
  (deps, now) => runDigestsTick(deps, now),
  (s) => describeDeliveries(s, [`${s.pictures} pictures`, s.snapshots ? `${s.snapshots} daily snapshots` : '']),
);

export const nudgesJob: Job<DeliverySummary> = deliveryJob('nudges', (deps, now) => runNudgesTick(deps, now));

// A resolved defect whose test fails in a later run, told once in the milestone's channel.
export const resolvedFailingJob: Job<DeliverySummary> = deliveryJob('resolved-failing', (deps, now) => runResolvedFailingTick(deps, now));

export const outboxJob: Job<OutboxTickSummary> = jiraJob({
  name: 'outbox',
  // Every 15 s, so a defect reported with "create in Jira" gets its issue within seconds;
  // a tick with nothing due is one query.
  cron: '*/15 * * * * *',
  run: (deps, now) => runOutboxTick(deps, now),
  whenOff: 'the outbox waits',
  describe: (o) => `${o.claimed} claimed, ${o.done} done, ${o.retried} to retry, ${o.failed} failed`,
});

// Gate, scope and approvers changes told in the channel, queued by the change itself.
export const noticesJob: Job<AuditNoticesSummary> = {
  name: 'notices',
  cron: '*/15 * * * * *',
  run: (deps, now) => runAuditNoticesTick(deps, now),
  describe: (s) =>
    s.slackOff
      ? 'Slack is off: the notices wait'
      : `${s.sent} sent, ${s.skipped} with nothing to send, ${s.retried} to retry, ${s.failed} failed (${s.claimed} claimed)`,
  failed: (s) => s.failed > 0,
};

// The living milestone message: one card per milestone per channel per day, the day's events in its thread.
export const livingJob: Job<LivingTickSummary> = {
  name: 'living',
  // Every 5 s: events wait at most that long, and a tick with nothing due is one query.
  cron: '*/5 * * * * *',
  run: (deps, now) => runLivingTick(deps, now),
  describe: (s) =>
    s.slackOff
      ? 'Slack is off: the events wait'
      : `${s.cardsPosted} cards posted, ${s.cardsUpdated} updated, ${s.replies} replies, ${s.deferred} deferred, ${s.skipped} with nothing to send, ${s.retried} to retry, ${s.failed} failed (${s.claimed} claimed)`,
  failed: (s) => s.failed > 0,
};

// Linked issues re-read in case a webhook was missed.
export const jiraReconcileJob: Job<ReconcileSummary> = jiraJob({
  name: 'jira-reconcile',
  cron: '*/15 * * * *',
  run: (deps, now) => runJiraReconcileTick(deps, now),
  whenOff: 'nothing to reconcile',
  describe: (r) => `${r.checked} issues checked, ${r.updated} defects updated, ${r.missing} missing, ${r.failed} failed`,
});

export const JOBS: readonly ScheduledJob[] = [
  scheduled(remindersJob),
  scheduled(digestsJob),
  scheduled(nudgesJob),
  scheduled(resolvedFailingJob),
  scheduled(outboxJob),
  scheduled(noticesJob),
  scheduled(livingJob),
  scheduled(jiraReconcileJob),
];

export function findJob(name: string): ScheduledJob | undefined {
  return JOBS.find((j) => j.name === name);
}
