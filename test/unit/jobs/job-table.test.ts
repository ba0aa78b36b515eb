// The schedule's table: every job `shipgate tick` runs, each with a valid cron expression.
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { findJob, JOBS } from '../../../src/jobs/job-table.js';

describe('job table', () => {
  it('has the jobs `shipgate tick` promises, each on a valid schedule', () => {
    expect(JOBS.map((j) => j.name).sort()).toEqual(['digests', 'jira-reconcile', 'nudges', 'outbox', 'reminders']);
    for (const job of JOBS) expect(cron.validate(job.cron), job.name).toBe(true);
  });

  it('describes a Jira tick: Jira off, counts, why it stopped early; failed only when something failed', () => {
    const outbox = findJob('outbox')!;
    const reconcile = findJob('jira-reconcile')!;
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
});
