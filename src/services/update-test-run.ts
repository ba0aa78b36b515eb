// Completes, aborts or reopens a test run.
import { AppError } from '../domain/errors.js';
import type { ServiceDeps } from './service-deps.js';

export async function getTestRun(deps: ServiceDeps, options: { projectId: string; runId: string }) {
  const run = await deps.db.prisma.testRun.findFirst({
    where: { id: options.runId, projectId: options.projectId },
    include: { environment: true, milestone: true, _count: { select: { results: true } } },
  });
  if (!run) throw new AppError('NOT_FOUND', `No test run ${options.runId} in this project.`);
  return run;
}

export async function updateTestRun(
  deps: ServiceDeps,
  options: { projectId: string; runId: string; status: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED' },
) {
  const run = await getTestRun(deps, options);
  if (run.status === options.status) return run;
  await deps.db.prisma.testRun.update({
    where: { id: run.id },
    data: { status: options.status, completedAt: options.status === 'IN_PROGRESS' ? null : deps.now() },
  });
  return getTestRun(deps, options);
}
