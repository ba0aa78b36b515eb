// Shared set-up for ingestion tests: a project and a run on a fresh database.
import { randomBytes } from 'node:crypto';
import type { Prisma } from '../../../src/db/open-database.js';

export async function projectWithRun(prisma: Prisma, runStatus: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED' = 'IN_PROGRESS') {
  const suffix = randomBytes(4).toString('hex');
  const workspace = await prisma.workspace.create({ data: { slackTeamId: `T${suffix}` } });
  const project = await prisma.project.create({
    data: { workspaceId: workspace.id, key: `P${suffix.toUpperCase().replace(/[^A-Z0-9]/g, 'X')}`.slice(0, 10), name: 'Payments' },
  });
  const run = await prisma.testRun.create({ data: { projectId: project.id, name: 'nightly', status: runStatus, source: 'CI' } });
  return { workspace, project, run };
}

export async function stored(prisma: Prisma, projectId: string, runId: string) {
  const [cases, results] = await Promise.all([
    prisma.testCase.count({ where: { projectId } }),
    prisma.testResult.count({ where: { runId } }),
  ]);
  return { cases, results };
}
