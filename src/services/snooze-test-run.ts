// Snoozes the stale-run nudge of a run: no nudge until `until` (default 24 h).
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './service-deps.js';

export const SNOOZE_MS = 24 * 60 * 60 * 1000;

export async function snoozeTestRun(deps: ServiceDeps, options: { projectId: string; runId: string; forMs?: number }) {
  const run = await deps.db.prisma.testRun.findFirst({ where: { id: options.runId, projectId: options.projectId } });
  if (!run) throw new AppError('NOT_FOUND', `No test run ${options.runId} in this project.`);
  const until = new Date(deps.now().getTime() + (options.forMs ?? SNOOZE_MS));
  return deps.db.prisma.testRun.update({ where: { id: run.id }, data: { snoozedUntil: until } });
}
