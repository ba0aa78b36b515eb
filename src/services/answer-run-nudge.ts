// Someone answered the stale-run nudge: the run is completed, aborted, or its
// nudge snoozed. The run is found only within the workspace that asked.
import type { Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './service-deps.js';
import { snoozeTestRun } from './snooze-test-run.js';
import { updateTestRun } from './update-test-run.js';

export type NudgeAnswer = 'completed' | 'aborted' | 'snoozed';

export async function answerRunNudge(
  deps: ServiceDeps,
  options: { workspaceId: string; runId: string | undefined; answer: NudgeAnswer; actor: Actor },
): Promise<{ runName: string; snoozedUntil?: Date }> {
  const run = options.runId
    ? await deps.db.prisma.testRun.findFirst({ where: { id: options.runId, project: { workspaceId: options.workspaceId } } })
    : null;
  if (!run) throw new AppError('NOT_FOUND', 'That test run no longer exists in this workspace.');
  const target = { projectId: run.projectId, runId: run.id };
  if (options.answer === 'snoozed') {
    const snoozed = await snoozeTestRun(deps, target);
    return { runName: run.name, ...(snoozed.snoozedUntil ? { snoozedUntil: snoozed.snoozedUntil } : {}) };
  }
  await updateTestRun(deps, { ...target, status: options.answer === 'completed' ? 'COMPLETED' : 'ABORTED', actor: options.actor });
  return { runName: run.name };
}
