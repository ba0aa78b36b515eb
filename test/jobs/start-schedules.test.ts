// The schedule wiring: a tick runs at start (catch-up), a tick that throws keeps
// being called on its schedule, and stop() waits for a tick under way.
import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps.js';
import { loadConfig } from '../../src/config.js';
import { startSchedules } from '../../src/jobs/start-schedules.js';
import type { ScheduledJob } from '../../src/jobs/job-table.js';
import { createLogger } from '../../src/logger.js';
import { LogNotifier } from '../../src/notify/notifier.js';
import { signal, within } from '../helpers/wait.js';

const logger = createLogger('silent');
const deps = { config: loadConfig({}), logger, notifier: new LogNotifier(logger), now: () => new Date(), db: {} } as unknown as AppDeps;
/** Never due on its own in a test run (midnight on 1 January): only the start-up tick runs. */
const ONCE_A_YEAR = '0 0 1 1 *';
/** node-cron's seconds field: due every second. */
const EVERY_SECOND = '* * * * * *';

function job(name: string, cron: string, tick: () => Promise<void>): ScheduledJob {
  return {
    name,
    cron,
    tick: async () => {
      await tick();
      return { summary: {}, line: '', failed: false };
    },
  };
}

describe('startSchedules', () => {
  it('runs each tick once at start; stop() waits for one under way', async () => {
    const events: string[] = [];
    const slowStarted = signal();
    const brokenRan = signal();
    const release = signal();
    const slow = job('slow', ONCE_A_YEAR, async () => {
      events.push('slow started');
      slowStarted.resolve();
      await release.promise;
      events.push('slow finished');
    });
    const broken = job('broken', ONCE_A_YEAR, async () => {
      events.push('broken ran');
      brokenRan.resolve();
      throw new Error('database away');
    });
    const schedules = startSchedules(deps, [slow, broken]);
    await within(Promise.all([slowStarted.promise, brokenRan.promise]), 5_000, 'both start-up ticks');
    const stopped = schedules.stop().then(() => events.push('stopped'));
    // One turn of the event loop: a stop() that did not wait for the slow tick would have resolved by now.
    await new Promise((resolve) => setImmediate(resolve));
    events.push('released');
    release.resolve();
    await stopped;
    expect(events).toEqual(['slow started', 'broken ran', 'released', 'slow finished', 'stopped']);
  });

  it('a tick that throws does not stop its schedule: it is called again at its next times', async () => {
    let calls = 0;
    const calledThrice = signal();
    const broken = job('broken', EVERY_SECOND, async () => {
      if (++calls === 3) calledThrice.resolve();
      throw new Error('database away');
    });
    const schedules = startSchedules(deps, [broken]);
    try {
      // The start-up tick throws, then cron fires it every second: two more calls
      // (each throwing again) show the schedule outlived the throws.
      await within(calledThrice.promise, 5_000, 'a third call of a tick that always throws');
    } finally {
      await schedules.stop();
    }
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('caughtUp resolves once every start-up tick has finished', async () => {
    const finished: string[] = [];
    const schedules = startSchedules(deps, [
      job('a', ONCE_A_YEAR, async () => void finished.push('a')),
      job('b', ONCE_A_YEAR, async () => void finished.push('b')),
    ]);
    await within(schedules.caughtUp, 5_000, 'the start-up ticks');
    expect(finished.sort()).toEqual(['a', 'b']);
    await schedules.stop();
  });
});
