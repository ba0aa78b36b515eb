// Creates a milestone (API, Slack modal, CLI, or implicitly when a run names a
// new one). A gate or scope it starts with is on the audit trail, written in
// the same transaction as the milestone.
import { actorTag, type Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import type { GatePolicy } from '../domain/gate-policy.js';
import { isValidTimeZone, parseDueDate } from '../domain/time.js';
import { validateScopePattern } from '../domain/scope.js';
import { milestoneNameKey } from '../domain/milestone-name.js';
import { recordAudit } from '../db/audit-trail.js';
import { isUniqueViolation } from '../db/errors.js';
import { milestoneChanges } from './milestone-audit.js';
import { rebuildScopeCases } from '../db/scope-cases.js';
import { lockForScopeChange } from '../db/state-locks.js';
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
  /** Who creates it: kept as its creator, and on the audit trail when it starts with a gate or scope. */
  actor: Actor;
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
  const now = deps.now();
  try {
    // With a scope, its cases are resolved in the same transaction (scope-cases.ts).
    return await deps.db.prisma.$transaction(async (tx) => {
      if (scope) await lockForScopeChange(tx, deps.db.provider, project.id);
      const created = await tx.milestone.create({
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
          createdBy: actorTag(options.actor),
        },
      });
      if (scope) await rebuildScopeCases(tx, deps.db.provider, created.id);
      // Measured from a milestone with neither (what one created without them has).
      const blank = { ...created, gatePolicy: '{}', scope: null };
      const changes = milestoneChanges(blank, created).filter((c) => c && (c.kind === 'milestone.gate' || c.kind === 'milestone.scope'));
      await recordAudit(tx, { projectId: project.id, milestoneId: created.id }, options.actor, changes, now);
      return created;
    }, SCOPE_CHANGE_TRANSACTION);
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

/** A scope change waits for the project's uploads in flight (state-locks.ts), then resolves the scope. */
export const SCOPE_CHANGE_TRANSACTION = { timeout: 60_000, maxWait: 30_000 };

export function checkScope(patterns: string[]): string[] {
  const cleaned = patterns.map((p) => p.trim()).filter(Boolean);
  for (const p of cleaned) {
    const problem = validateScopePattern(p);
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
  }
  return cleaned;
}
