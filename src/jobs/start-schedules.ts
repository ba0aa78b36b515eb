// The node-cron schedules: wiring only. Each job is a tick function
// that takes `now` (job-table.ts); the same function runs from `shipgate tick`.
// Ticks decide from `now` what is due, so the first tick after a start catches
// up what was missed while every replica was down, once (the claims see to that).
import cron from 'node-cron';
import type { AppDeps, Stoppable } from '../app-deps.js';
import { JOBS, type Job } from './job-table.js';

export function startSchedules(deps: AppDeps, jobs: Job[] = JOBS): Stoppable {
  // Ticks under way, so a shutdown lets them finish before the database closes
  // (a tick cut off mid-send would leave its claim to be retried after the lease).
  const inFlight = new Set<Promise<void>>();
  const tasks = jobs.map((job) => {
    const tick = async () => {
      try {
        const summary = await job.run(deps, deps.now());
        deps.logger.debug({ job: job.name, ...summary }, 'tick');
        if (job.failed(summary)) deps.logger.warn({ job: job.name, ...summary }, `${job.name} tick: ${job.describe(summary)}`);
      } catch (err) {
        // A tick that throws (database away) must not kill the schedule: the next one tries again.
        deps.logger.error({ err, job: job.name }, `${job.name} tick failed`);
      }
    };
    const run = () => {
      const p = tick();
      inFlight.add(p);
      return p.finally(() => inFlight.delete(p));
    };
    // noOverlap: a slow tick (a big digest) is not started twice in this process;
    // other replicas are kept apart by the claims, not by node-cron.
    const task = cron.schedule(job.cron, run, { name: job.name, noOverlap: true });
    // Catch up at start rather than waiting for the first minute boundary.
    void task.execute().catch(() => undefined);
    return task;
  });
  return {
    async stop() {
      await Promise.all(tasks.map(async (t) => t.destroy()));
      await Promise.all(inFlight);
    },
  };
}
