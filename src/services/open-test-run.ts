// Opens a test run. Idempotent by externalId (a CI build id): the same id gives
// back the same run. A milestone named by name is created only when the caller
// says so (createMilestone), so a typo never creates one: otherwise it is a
// NOT_FOUND naming the close matches.
import type { Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { milestoneNameKey } from '../domain/milestone-name.js';
import { ensureEnvironment } from '../db/environments.js';
import { isUniqueViolation } from '../db/errors.js';
import { createMilestone } from './create-milestone.js';
import { findMilestone } from './resolve-milestone.js';
import type { LookupHints } from './lookup-hints.js';
import type { ServiceDeps } from './service-deps.js';

export interface OpenTestRunOptions {
  projectId: string;
  name: string;
  milestoneId?: string;
  milestone?: string;
  /** Create the milestone named by `milestone` (ACTIVE) when it does not exist; otherwise that is NOT_FOUND. */
  createMilestone?: boolean;
  /** The caller's next steps after a milestone is not found. */
  hints?: LookupHints;
  environmentId?: string;
  environment?: string;
  status?: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED';
  externalId?: string;
  url?: string;
  source: 'MANUAL' | 'CI';
  ownerSlackUserId?: string | null;
  /** Who opens it: the creator of a milestone it creates. */
  actor: Actor;
}

export async function openTestRun(deps: ServiceDeps, o: OpenTestRunOptions) {
  const prisma = deps.db.prisma;
  if (o.externalId) {
    const existing = await prisma.testRun.findUnique({
      where: { projectId_externalId: { projectId: o.projectId, externalId: o.externalId } },
    });
    if (existing) return { run: existing, created: false };
  }
  const milestoneId = await resolveMilestone(deps, o);
  const environmentId = await resolveEnvironment(deps, o);
  const now = deps.now();
  try {
    const run = await prisma.testRun.create({
      data: {
        projectId: o.projectId,
        name: o.name.trim(),
        milestoneId,
        environmentId,
        status: o.status ?? 'IN_PROGRESS',
        source: o.source,
        externalId: o.externalId ?? null,
        url: o.url ?? null,
        ownerSlackUserId: o.ownerSlackUserId ?? null,
        startedAt: now,
        completedAt: o.status && o.status !== 'IN_PROGRESS' ? now : null,
      },
    });
    return { run, created: true };
  } catch (err) {
    // Two requests with the same externalId at once: the loser returns the winner's run.
    if (o.externalId && isUniqueViolation(err)) {
      const run = await prisma.testRun.findUniqueOrThrow({
        where: { projectId_externalId: { projectId: o.projectId, externalId: o.externalId } },
      });
      return { run, created: false };
    }
    throw err;
  }
}

async function resolveMilestone(deps: ServiceDeps, o: OpenTestRunOptions): Promise<string | null> {
  if (o.milestoneId) return (await findMilestone(deps, { projectId: o.projectId, idOrName: o.milestoneId, hints: o.hints })).id;
  if (!o.milestone) return null;
  const found = await deps.db.prisma.milestone.findUnique({
    where: { projectId_nameKey: { projectId: o.projectId, nameKey: milestoneNameKey(o.milestone) } },
  });
  if (found) {
    if (found.status === 'ARCHIVED')
      throw new AppError('CONFLICT', `Milestone "${found.name}" is archived; attach the run to an active milestone.`);
    return found.id;
  }
  // Not asked to create it: the resolver's NOT_FOUND, with the close matches.
  if (!o.createMilestone) return (await findMilestone(deps, { projectId: o.projectId, idOrName: o.milestone, hints: o.hints })).id;
  try {
    return (await createMilestone(deps, { projectId: o.projectId, name: o.milestone, actor: o.actor })).id;
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONFLICT') {
      return (await findMilestone(deps, { projectId: o.projectId, idOrName: o.milestone })).id;
    }
    throw err;
  }
}

async function resolveEnvironment(deps: ServiceDeps, o: OpenTestRunOptions): Promise<string | null> {
  if (o.environmentId) {
    const env = await deps.db.prisma.environment.findFirst({ where: { id: o.environmentId, projectId: o.projectId } });
    if (!env)
      throw new AppError(
        'NOT_FOUND',
        `No environment with id ${o.environmentId} in this project; name it with "environment" instead to create it.`,
      );
    return env.id;
  }
  if (!o.environment) return null;
  const name = o.environment.trim();
  // Insert-or-ignore, then read: parallel CI shards naming one new environment all get its row.
  return ensureEnvironment(deps.db, o.projectId, name, new Date());
}
