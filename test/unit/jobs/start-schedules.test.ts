// The schedule wiring: a tick runs at start (catch-up), a tick that throws does
// not stop the schedule, and stop() waits for a tick under way before returning.
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../src/app-deps.js';
import { loadConfig } from '../../../src/config.js';
import { startSchedules } from '../../../src/jobs/start-schedules.js';
import type { Job } from '../../../src/jobs/job-table.js';
import { createLogger } from '../../../src/logger.js';
import { LogNotifier } from '../../../src/notify/notifier.js';

const logger = createLogger('silent');
const deps = { config: loadConfig({}), logger, notifier: new LogNotifier(logger), now: () => new Date(), db: {} } as unknown as AppDeps;

function job(name: string, run: Job['run']): Job {
  return { name, cron: '0 0 1 1 *', run, describe: () => '', failed: () => false };
}

describe('startSchedules', () => {
  it('runs each tick once at start; stop() waits for one under way', async () => {
    const events: string[] = [];
    const slow = job('slow', async () => {
      events.push('slow started');
      await new Promise((r) => setTimeout(r, 300));
      events.push('slow finished');
      return {};
    });
    const broken = job('broken', async () => {
      events.push('broken ran');
      throw new Error('database away');
    });
    const schedules = startSchedules(deps, [slow, broken]);
    await new Promise((r) => setTimeout(r, 50));
    await schedules.stop();
    events.push('stopped');
    expect(events).toEqual(['slow started', 'broken ran', 'slow finished', 'stopped']);
  });
});
