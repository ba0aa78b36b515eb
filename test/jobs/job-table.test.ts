// The schedule's table: every job `shipgate tick` runs, each with a valid cron expression.
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { LogNotifier } from '../../src/notify/notifier.js';
import { digestsJob, findJob, jiraReconcileJob, JOBS, outboxJob, remindersJob } from '../../src/jobs/job-table.js';

describe('job table', () => {
  it('has the jobs `shipgate tick` promises, each on a valid schedule', () => {
    expect(JOBS.map((j) => j.name).sort()).toEqual([
      'digests',
      'jira-reconcile',
      'living',
      'notices',
      'nudges',
      'outbox',
      'reminders',
      'resolved-failing',
    ]);
    for (const job of JOBS) expect(cron.validate(job.cron), job.name).toBe(true);
  });

  it('describes a Jira tick: Jira off, counts, why it stopped early; failed only when something failed', () => {
    const outbox = outboxJob;
    const reconcile = jiraReconcileJob;
    expect(outbox.describe({ jiraOff: true, claimed: 0, done: 0, retried: 0, failed: 0 })).toBe(
      'Jira is not configured (JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN): the outbox waits',
    );
    expect(outbox.describe({ jiraOff: false, claimed: 3, done: 1, retried: 2, failed: 0, stoppedEarly: 'rate-limited' })).toBe(
      '3 claimed, 1 done, 2 to retry, 0 failed (stopped early: rate-limited)',
    );
    expect(reconcile.describe({ jiraOff: false, checked: 50, updated: 2, missing: 1, failed: 1 })).toBe(
      '50 issues checked, 2 defects updated, 1 missing, 1 failed',
    );
    expect(outbox.failed({ jiraOff: false, claimed: 1, done: 0, retried: 0, failed: 1 })).toBe(true);
    expect(reconcile.failed({ jiraOff: true, checked: 0, updated: 0, missing: 0, failed: 0 })).toBe(false);
  });

  it('describes a delivery tick, the digests with their pictures and snapshots', () => {
    expect(remindersJob.describe({ considered: 3, sent: 1, skipped: 1, failed: 1 })).toBe('1 sent, 1 already sent, 1 failed (3 due)');
    expect(digestsJob.describe({ considered: 2, sent: 2, skipped: 0, failed: 0, pictures: 2, snapshots: 0 })).toBe(
      '2 sent, 0 already sent, 0 failed (2 due); 2 pictures',
    );
    expect(digestsJob.describe({ considered: 0, sent: 0, skipped: 0, failed: 0, pictures: 0, snapshots: 5 })).toBe(
      '0 sent, 0 already sent, 0 failed (0 due); 0 pictures, 5 daily snapshots',
    );
    expect(remindersJob.failed({ considered: 1, sent: 0, skipped: 0, failed: 1 })).toBe(true);
  });

  it('a row of the table runs its job and reads its summary: one line, failed or not', async () => {
    const outbox = findJob('outbox')!;
    // No Jira configured: the outbox tick reports it without touching the database.
    const deps = { config: loadConfig({}), logger: createLogger('silent'), notifier: new LogNotifier(createLogger('silent')) };
    const report = await outbox.tick({ ...deps, db: {} as never }, new Date());
    expect(report).toEqual({
      summary: { jiraOff: true, claimed: 0, done: 0, retried: 0, failed: 0 },
      line: 'Jira is not configured (JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN): the outbox waits',
      failed: false,
    });
  });
});
