// Completes, aborts or reopens a test run; an aborted run stays aborted (domain/run-lifecycle.ts).
// Aborting a run that holds results takes them out of the verdict: that is on
// the audit trail, written in the same transaction.
import type { Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { planRunTransition } from '../domain/run-lifecycle.js';
import type { RunStatus } from '../domain/types.js';
import { recordAudit } from '../db/audit-trail.js';
import { enqueue, OUTBOX } from '../db/outbox.js';
import { recomputeRun } from '../db/current-state.js';
import { lockForStateChange } from '../db/state-locks.js';
import type { ServiceDeps } from './service-deps.js';

export async function getTestRun(deps: ServiceDeps, options: { projectId: string; runId: string }) {
  const run = await deps.db.prisma.testRun.findFirst({
    where: { id: options.runId, projectId: options.projectId },
    include: { environment: true, milestone: true, _count: { select: { results: true } } },
  });
  if (!run) throw new AppError('NOT_FOUND', `No test run ${options.runId} in this project.`);
  return run;
}

export type TestRunRow = Awaited<ReturnType<typeof getTestRun>>;

export async function updateTestRun(
  deps: ServiceDeps,
  options: { projectId: string; runId: string; status: RunStatus; actor: Actor },
): Promise<TestRunRow> {
  const run = await getTestRun(deps, options);
  const project = await deps.db.prisma.project.findUniqueOrThrow({ where: { id: options.projectId }, select: { key: true } });
  const plan = planRunTransition({ from: run.status, to: options.status, runName: run.name, projectKey: project.key });
  if (!plan.ok) throw plan.error;
  if (!plan.changed) return run;
  // Conditional on the status read above: an abort that lands in between wins, and this request is planned again.
  // Aborting takes the run's results out of its milestone's current state, in the same transaction.
  const count = await deps.db.prisma.$transaction(async (tx) => {
    const { count } = await tx.testRun.updateMany({
      where: { id: run.id, status: run.status },
      data: { status: options.status, completedAt: options.status === 'IN_PROGRESS' ? null : deps.now() },
    });
    // A completed run is told in its milestone's living message (SPEC §11); a run reopened and completed again is told again.
    if (count === 1 && options.status === 'COMPLETED' && run.milestoneId) {
      await enqueue(
        tx,
        OUTBOX.livingEvent(
          { kind: 'run.completed', milestoneId: run.milestoneId, runId: run.id },
          `${run.id}:${deps.now().toISOString()}`,
          deps.now(),
        ),
      );
    }
    if (count === 1 && options.status === 'ABORTED') {
      const { milestoneId } = await tx.testRun.findUniqueOrThrow({ where: { id: run.id }, select: { milestoneId: true } });
      if (milestoneId) {
        const scoped = await lockForStateChange(tx, deps.db.provider, options.projectId, [milestoneId]);
        await recomputeRun(tx, deps.db.provider, { milestoneId, scoped: scoped.has(milestoneId) }, run.id, deps.now());
      }
      if (run._count.results > 0) {
        await recordAudit(
          tx,
          { projectId: options.projectId, milestoneId },
          options.actor,
          [
            {
              kind: 'run.aborted',
              before: { status: run.status },
              after: { status: 'ABORTED', runId: run.id, runName: run.name, results: run._count.results },
            },
          ],
          deps.now(),
        );
      }
    }
    return count;
  });
  return count === 1 ? getTestRun(deps, options) : updateTestRun(deps, options);
}
