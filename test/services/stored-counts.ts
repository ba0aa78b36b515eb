// What an ingestion left in the database for one run: its project's cases and the run's results.
import type { Prisma } from '../../src/db/open-database.js';

export async function stored(prisma: Prisma, projectId: string, runId: string) {
  const [cases, results] = await Promise.all([
    prisma.testCase.count({ where: { projectId } }),
    prisma.testResult.count({ where: { runId } }),
  ]);
  return { cases, results };
}
