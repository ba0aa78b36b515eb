// The node-cron schedules (SPEC §6): thin wiring around tick functions.
import type { AppDeps, Stoppable } from '../app-deps.js';

export function startSchedules(_deps: AppDeps): Stoppable {
  return { stop: async () => undefined };
}
