// The milestones of a workspace with their verdicts, for `/milestone list` and
// the App Home. Soonest due first; the verdict is computed for the ones shown.
import type { MilestoneStatus, Verdict } from '../domain/types.js';
import { getReadiness } from './get-readiness.js';
import type { ServiceDeps } from './service-deps.js';

const CANDIDATES = 500;

export interface WorkspaceMilestone {
  id: string;
  projectKey: string;
  name: string;
  status: string;
  verdict: Verdict;
  passed: number;
  executed: number;
  passRate: number | null;
  dueDate: string | null;
  timeZone: string;
  daysLeft: number | null;
  scopeSize: number | null;
}

export async function listWorkspaceMilestones(
  deps: ServiceDeps,
  options: { workspaceId: string; projectId?: string; statuses: MilestoneStatus[]; limit: number },
): Promise<{ items: WorkspaceMilestone[]; total: number }> {
  const where = {
    project: { workspaceId: options.workspaceId },
    ...(options.projectId ? { projectId: options.projectId } : {}),
    status: { in: options.statuses },
  };
  const [rows, total] = await Promise.all([
    deps.db.prisma.milestone.findMany({
      where,
      select: { id: true, dueDate: true, name: true },
      orderBy: { createdAt: 'desc' },
      take: CANDIDATES,
    }),
    deps.db.prisma.milestone.count({ where }),
  ]);
  const shown = rows
    .sort((a, b) => (a.dueDate?.getTime() ?? Infinity) - (b.dueDate?.getTime() ?? Infinity) || a.name.localeCompare(b.name))
    .slice(0, options.limit);
  const items = await Promise.all(
    shown.map(async ({ id }) => {
      const r = await getReadiness(deps, id);
      return {
        id,
        projectKey: r.milestone.projectKey,
        name: r.milestone.name,
        status: r.milestone.status,
        verdict: r.verdict,
        passed: r.metrics.passed,
        executed: r.metrics.executed,
        passRate: r.metrics.passRate,
        dueDate: r.milestone.dueDate,
        timeZone: r.milestone.timeZone,
        daysLeft: r.metrics.daysLeft,
        scopeSize: r.milestone.scope?.size ?? null,
      };
    }),
  );
  return { items, total };
}
