// What the link-run modal offers: the project's runs not yet in this milestone
// (newest first) to attach, and its environments for a new manual run.
import type { ServiceDeps } from './service-deps.js';

const RUNS = 100;
const ENVIRONMENTS = 20;

export interface LinkRunChoices {
  runs: { id: string; name: string; environment: string | null; status: string }[];
  environments: string[];
}

export async function getLinkRunChoices(deps: ServiceDeps, options: { projectId: string; milestoneId: string }): Promise<LinkRunChoices> {
  const { projectId, milestoneId } = options;
  const [runs, environments] = await Promise.all([
    deps.db.prisma.testRun.findMany({
      where: { projectId, OR: [{ milestoneId: null }, { milestoneId: { not: milestoneId } }] },
      include: { environment: true },
      orderBy: { startedAt: 'desc' },
      take: RUNS,
    }),
    deps.db.prisma.environment.findMany({ where: { projectId }, orderBy: { name: 'asc' }, take: ENVIRONMENTS }),
  ]);
  return {
    runs: runs.map((r) => ({ id: r.id, name: r.name, environment: r.environment?.name ?? null, status: r.status })),
    environments: environments.map((e) => e.name),
  };
}
