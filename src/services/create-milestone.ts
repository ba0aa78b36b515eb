// Creates a milestone (API, Slack modal, or implicitly when a run names a new one).
import { AppError } from '../domain/errors.js';
import type { GatePolicy } from '../domain/gate-policy.js';
import { isValidTimeZone, parseDueDate } from '../domain/time.js';
import { validateScopePattern } from '../domain/scope.js';
import { milestoneNameKey } from '../domain/milestone-name.js';
import { isUniqueViolation } from '../db/errors.js';
import type { ServiceDeps } from './service-deps.js';

export interface CreateMilestoneOptions {
  projectId: string;
  name: string;
  description?: string | null;
  dueDate?: string | null;
  timeZone?: string | null;
  status?: 'ACTIVE' | 'COMPLETED' | 'ARCHIVED';
  scope?: string[] | null;
  gate?: Partial<GatePolicy>;
  slackChannelId?: string | null;
  createdBy?: string | null;
}

export async function createMilestone(deps: ServiceDeps, options: CreateMilestoneOptions) {
  const project = await deps.db.prisma.project.findUniqueOrThrow({ where: { id: options.projectId } });
  const name = options.name.trim();
  if (!name) throw new AppError('VALIDATION_FAILED', 'A milestone needs a name, e.g. "2.4.0".');
  const timeZone = options.timeZone ?? project.timeZone;
  if (!isValidTimeZone(timeZone)) {
    throw new AppError('VALIDATION_FAILED', `"${timeZone}" is not a time zone; use an IANA name such as Europe/Berlin or UTC.`);
  }
  const dueDate = options.dueDate ? parseDueDate(options.dueDate, timeZone) : null;
  const scope = options.scope ? checkScope(options.scope) : null;
  try {
    return await deps.db.prisma.milestone.create({
      data: {
        projectId: project.id,
        name,
        nameKey: milestoneNameKey(name),
        description: options.description ?? null,
        dueDate,
        timeZone,
        status: options.status ?? 'ACTIVE',
        scope: scope ? JSON.stringify(scope) : null,
        gatePolicy: JSON.stringify(options.gate ?? {}),
        slackChannelId: options.slackChannelId ?? null,
        createdBy: options.createdBy ?? null,
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        'CONFLICT',
        `Project ${project.key} already has a milestone named "${name}" (names are unique regardless of case); pick another name.`,
      );
    }
    throw err;
  }
}

export function checkScope(patterns: string[]): string[] {
  const cleaned = patterns.map((p) => p.trim()).filter(Boolean);
  for (const p of cleaned) {
    const problem = validateScopePattern(p);
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
  }
  return cleaned;
}
