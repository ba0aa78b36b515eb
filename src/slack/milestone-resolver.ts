// Turns what someone typed into a milestone of THEIR workspace:
// `PROJECT/name`; or `name` alone, looked up first in the channel's default
// project and then across the workspace, where it must be unique. Every query
// is scoped by workspace, so one team can never reach another's milestones.
import { AppError } from '../domain/errors.js';
import type { Prisma } from '../db/open-database.js';
import { milestoneNameKey } from '../services/find-milestone.js';
import type { MilestoneRef } from './command-parser.js';

export interface ResolveContext {
  workspaceId: string;
  channelId?: string | null;
}

const SUGGESTIONS = 5;

export async function resolveMilestone(prisma: Prisma, ctx: ResolveContext, ref: MilestoneRef) {
  if (ref.project) {
    const project = await prisma.project.findUnique({ where: { workspaceId_key: { workspaceId: ctx.workspaceId, key: ref.project } } });
    if (project) {
      const found = await prisma.milestone.findFirst({
        where: { projectId: project.id, OR: [{ nameKey: milestoneNameKey(ref.name) }, { id: ref.name }] },
        include: { project: true },
      });
      if (found) return found;
      throw new AppError(
        'NOT_FOUND',
        `${project.key} has no milestone "${ref.name}".${await suggest(prisma, { projectId: project.id }, ref.name)}`,
      );
    }
    // "2.4/hotfix" style names: the part before the slash was not a project after all.
    const whole = await byName(prisma, ctx, ref.raw);
    if (whole) return whole;
    throw new AppError(
      'NOT_FOUND',
      `There is no project ${ref.project} in this workspace. Create it with \`/milestone project create ${ref.project} <name>\`.`,
    );
  }
  const found = await byName(prisma, ctx, ref.name);
  if (found) return found;
  throw new AppError(
    'NOT_FOUND',
    `No milestone named "${ref.name}" in this workspace.${await suggest(prisma, { project: { workspaceId: ctx.workspaceId } }, ref.name)} ` +
      'See them all with `/milestone list all`.',
  );
}

async function byName(prisma: Prisma, ctx: ResolveContext, name: string) {
  const nameKey = milestoneNameKey(name);
  if (ctx.channelId) {
    const channelDefault = await prisma.channelDefault.findUnique({
      where: { workspaceId_channelId: { workspaceId: ctx.workspaceId, channelId: ctx.channelId } },
    });
    if (channelDefault) {
      const inDefault = await prisma.milestone.findFirst({
        where: { projectId: channelDefault.projectId, nameKey },
        include: { project: true },
      });
      if (inDefault) return inDefault;
    }
  }
  const candidates = await prisma.milestone.findMany({
    where: { nameKey, project: { workspaceId: ctx.workspaceId } },
    include: { project: true },
    take: 10,
  });
  // An archived namesake should not make an active milestone ambiguous.
  const live = candidates.filter((m) => m.status !== 'ARCHIVED');
  const pool = live.length > 0 ? live : candidates;
  if (pool.length > 1) {
    const forms = pool.map((m) => `\`${m.project.key}/${m.name}\``).join(', ');
    throw new AppError(
      'VALIDATION_FAILED',
      `"${name}" is a milestone in several projects; say which one: ${forms}. Or set this channel's project with \`/milestone project use <KEY>\`.`,
    );
  }
  return pool[0] ?? null;
}

async function suggest(
  prisma: Prisma,
  where: { projectId: string } | { project: { workspaceId: string } },
  typed: string,
): Promise<string> {
  const fragment = typed.trim().slice(0, 3).toLowerCase();
  const near = await prisma.milestone.findMany({
    where: { ...where, status: { not: 'ARCHIVED' }, ...(fragment ? { nameKey: { contains: fragment } } : {}) },
    include: { project: true },
    orderBy: { createdAt: 'desc' },
    take: SUGGESTIONS,
  });
  if (near.length === 0) return '';
  return ` Did you mean ${near.map((m) => `\`${m.project.key}/${m.name}\``).join(', ')}?`;
}

/** A project of the workspace by key, or a clear NOT_FOUND. */
export async function resolveProject(prisma: Prisma, workspaceId: string, key: string) {
  const project = await prisma.project.findUnique({ where: { workspaceId_key: { workspaceId, key: key.toUpperCase() } } });
  if (project) return project;
  const known = await prisma.project.findMany({ where: { workspaceId }, select: { key: true }, orderBy: { key: 'asc' }, take: 20 });
  throw new AppError(
    'NOT_FOUND',
    `There is no project ${key} in this workspace.` +
      (known.length
        ? ` Projects: ${known.map((p) => p.key).join(', ')}.`
        : ` Create one with \`/milestone project create ${key.toUpperCase()} <name>\`.`),
  );
}

/** The channel's default project (`/milestone project use KEY`), if any. */
export async function channelProject(prisma: Prisma, workspaceId: string, channelId: string | null | undefined) {
  if (!channelId) return null;
  const row = await prisma.channelDefault.findUnique({
    where: { workspaceId_channelId: { workspaceId, channelId } },
    include: { project: true },
  });
  return row?.project ?? null;
}

/** A milestone by id, only if it belongs to the workspace (ids come back from buttons and modals). */
export async function milestoneInWorkspace(prisma: Prisma, workspaceId: string, milestoneId: string | undefined) {
  const m = milestoneId
    ? await prisma.milestone.findFirst({ where: { id: milestoneId, project: { workspaceId } }, include: { project: true } })
    : null;
  if (!m) throw new AppError('NOT_FOUND', 'That milestone no longer exists in this workspace; `/milestone list all` shows what there is.');
  return m;
}
