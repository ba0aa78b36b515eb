// The schedule's table: every job SPEC §5 names for `shipgate tick`, each with a valid cron expression.
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { JOBS } from '../../../src/jobs/job-table.js';

describe('job table', () => {
  it('has the jobs `shipgate tick` promises, each on a valid schedule', () => {
    expect(JOBS.map((j) => j.name).sort()).toEqual(['digests', 'jira-reconcile', 'nudges', 'outbox', 'reminders']);
    for (const job of JOBS) expect(cron.validate(job.cron), job.name).toBe(true);
  });
});
