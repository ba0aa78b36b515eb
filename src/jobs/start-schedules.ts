// The node-cron schedules (SPEC §6): wiring only. Each job is a tick function
// that takes `now`; the same function runs from `shipgate tick <job>`.
// Ticks decide from `now` what is due, so the first tick after a start catches
// up what was missed while every replica was down, once.
import cron from 'node-cron';
import type { AppDeps, Stoppable } from '../app-deps.js';
import { runRemindersTick } from './reminders-tick.js';

export function startSchedules(deps: AppDeps): Stoppable {
  const reminders = cron.schedule(
    '* * * * *',
    async () => {
      const summary = await runRemindersTick(deps, deps.now());
      if (summary.sent || summary.failed) deps.logger.info({ job: 'reminders', ...summary }, 'tick');
    },
    { name: 'reminders', noOverlap: true },
  );
  // Catch up at start rather than waiting for the first minute boundary.
  void reminders.execute().catch((err: unknown) => deps.logger.error({ err }, 'reminders tick failed'));
  return {
    async stop() {
      await reminders.destroy();
    },
  };
}
