// What a milestone's public badge shows: its verdict and pass rate, through
// THE verdict function (getReadiness). Only for a project that turned its
// badge on; for any other, the answer is the same NOT_FOUND whether the
// project exists or not, so the badge address tells nothing about projects
// that did not choose to be public.
import { AppError } from '../domain/errors.js';
import { milestoneNameKey } from '../domain/milestone-name.js';
import type { Verdict } from '../domain/types.js';
import { getReadiness } from './get-readiness.js';
import type { ServiceDeps } from './service-deps.js';

export interface BadgeView {
  projectKey: string;
  milestoneName: string;
  verdict: Verdict;
  passRate: number | null;
}

/** `project`: a project key (any case) or id; `milestone`: a milestone name (any case) or id. */
export async function getBadge(deps: ServiceDeps, options: { project: string; milestone: string }): Promise<BadgeView> {
  const prisma = deps.db.prisma;
  const projects = await prisma.project.findMany({
    where: { badgeEnabled: true, OR: [{ id: options.project }, { key: options.project.toUpperCase() }] },
    select: { id: true, key: true },
    take: 2,
  });
  if (projects.length === 0)
    throw new AppError(
      'NOT_FOUND',
      `No badge here: no project "${options.project}" has its badge turned on. Its admin can turn it on with \`shipgate project badge KEY on\`.`,
    );
  // A key is unique within a workspace only; an id is unique everywhere.
  const project = projects.find((p) => p.id === options.project) ?? (projects.length === 1 ? projects[0]! : null);
  if (!project)
    throw new AppError(
      'NOT_FOUND',
      `More than one project with the key "${options.project}" shows a badge; use the project's id in the address instead of its key.`,
    );
  const milestones = await prisma.milestone.findMany({
    where: { projectId: project.id, OR: [{ id: options.milestone }, { nameKey: milestoneNameKey(options.milestone) }] },
    select: { id: true, name: true },
    take: 2,
  });
  const milestone = milestones.find((m) => m.id === options.milestone) ?? milestones[0];
  if (!milestone) throw new AppError('NOT_FOUND', `Project ${project.key} has no milestone "${options.milestone}".`);
  const readiness = await getReadiness(deps, milestone.id);
  return { projectKey: project.key, milestoneName: milestone.name, verdict: readiness.verdict, passRate: readiness.metrics.passRate };
}
