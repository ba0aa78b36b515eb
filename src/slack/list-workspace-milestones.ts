// The milestones of a workspace with their verdicts, for `/milestone list` and
// the App Home. Soonest due first; the verdict is computed for the ones shown.
import type { MilestoneStatus } from '../domain/types.js';
import { getReadiness } from '../services/get-readiness.js';
import type { SlackDeps } from './slack-deps.js';
import type { ListedMilestone } from '../messages/milestone-list.js';

const CANDIDATES = 500;

export async function listWorkspaceMilestones(
  deps: SlackDeps,
  o: { workspaceId: string; projectId?: string; statuses: MilestoneStatus[]; limit: number },
): Promise<{ items: (ListedMilestone & { id: string })[]; total: number }> {
  const where = { project: { workspaceId: o.workspaceId }, ...(o.projectId ? { projectId: o.projectId } : {}), status: { in: o.statuses } };
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
    .slice(0, o.limit);
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
