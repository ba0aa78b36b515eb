// Attaches an existing test run of a project to one of its milestones.
import { AppError } from '../domain/errors.js';
import { recomputeRun } from '../db/current-state.js';
import { lockForStateChange } from '../db/state-locks.js';
import type { ServiceDeps } from './service-deps.js';

export async function attachTestRun(deps: ServiceDeps, options: { projectId: string; runId: string; milestoneId: string }) {
  const [run, milestone] = await Promise.all([
    deps.db.prisma.testRun.findFirst({ where: { id: options.runId, projectId: options.projectId } }),
    deps.db.prisma.milestone.findFirst({ where: { id: options.milestoneId, projectId: options.projectId } }),
  ]);
  if (!run) throw new AppError('NOT_FOUND', 'That test run is not in this project any more; pick another or start a new one.');
  if (!milestone) throw new AppError('NOT_FOUND', 'The milestone is not in this project.');
  if (milestone.status === 'ARCHIVED')
    throw new AppError('CONFLICT', `Milestone "${milestone.name}" is archived; attach runs to an active milestone.`);
  if (run.milestoneId === milestone.id) return run;
  // The run's results leave the old milestone's current state and join the new one's, in one transaction.
  return deps.db.prisma.$transaction(async (tx) => {
    // The run's row first (an upload into it holds it), then the milestones' (state-locks.ts).
    const moved = await tx.testRun.update({ where: { id: run.id }, data: { milestoneId: milestone.id } });
    const both = run.milestoneId ? [run.milestoneId, milestone.id] : [milestone.id];
    const scoped = await lockForStateChange(tx, deps.db.provider, options.projectId, both);
    for (const milestoneId of both)
      await recomputeRun(tx, deps.db.provider, { milestoneId, scoped: scoped.has(milestoneId) }, run.id, deps.now());
    return moved;
  });
}
