// The node-cron schedules: wiring only. Each job is a tick function
// that takes `now` (job-table.ts); the same function runs from `shipgate tick`.
// Ticks decide from `now` what is due, so the first tick after a start catches
// up what was missed while every replica was down, once (the claims see to that).
import cron from 'node-cron';
import type { AppDeps, Stoppable } from '../app-deps.js';
import { JOBS, type ScheduledJob } from './job-table.js';

export interface RunningSchedules extends Stoppable {
  /** Resolves when every job's start-up (catch-up) tick has finished. */
  caughtUp: Promise<void>;
}

export function startSchedules(deps: AppDeps, jobs: readonly ScheduledJob[] = JOBS): RunningSchedules {
  // Ticks under way, so a shutdown lets them finish before the database closes
  // (a tick cut off mid-send would leave its claim to be retried after the lease).
  const inFlight = new Set<Promise<void>>();
  const started = jobs.map((job) => {
    const tick = async () => {
      try {
        const report = await job.tick(deps, deps.now());
        deps.logger.debug({ job: job.name, ...report.summary }, 'tick');
        if (report.failed) deps.logger.warn({ job: job.name, ...report.summary }, `${job.name} tick: ${report.line}`);
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
    // (`run` never rejects; the catch is for node-cron's own bookkeeping.)
    const catchUp = task.execute().then(
      () => undefined,
      () => undefined,
    );
    return { task, catchUp };
  });
  const caughtUp = Promise.all(started.map((s) => s.catchUp)).then(() => undefined);
  return {
    caughtUp,
    async stop() {
      await Promise.all(started.map(async (s) => s.task.destroy()));
      // The start-up ticks are awaited too: node-cron starts them a moment after
      // execute(), so one may not be in `inFlight` yet when stop() is called.
      await caughtUp;
      await Promise.all(inFlight);
    },
  };
}
