// Updates a milestone; a status change goes through the lifecycle rules.
// Changes that can move its verdict (gate, scope, due date, status) are on the
// audit trail, written in the same transaction as the change.
import type { Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import type { GatePolicy } from '../domain/gate-policy.js';
import { planTransition } from '../domain/milestone-lifecycle.js';
import { milestoneNameKey } from '../domain/milestone-name.js';
import { isValidTimeZone, parseDueDate } from '../domain/time.js';
import type { MilestoneStatus } from '../domain/types.js';
import { recordAudit } from '../db/audit-trail.js';
import { isUniqueViolation } from '../db/errors.js';
import { rebuildScopeCases } from '../db/scope-cases.js';
import { lockForScopeChange } from '../db/state-locks.js';
import { checkScope, SCOPE_CHANGE_TRANSACTION } from './create-milestone.js';
import { getReadiness } from './get-readiness.js';
import { milestoneChanges } from './milestone-audit.js';
import { parseJson } from './milestone-view.js';
import type { ServiceDeps } from './service-deps.js';

export interface MilestonePatch {
  name?: string;
  description?: string | null;
  dueDate?: string | null;
  timeZone?: string;
  scope?: { include: string[] } | null;
  gate?: Partial<GatePolicy>;
  slackChannelId?: string | null;
  status?: MilestoneStatus;
  overrideReason?: string;
}

export async function updateMilestone(deps: ServiceDeps, options: { milestoneId: string; patch: MilestonePatch; actor: Actor }) {
  const prisma = deps.db.prisma;
  const m = await prisma.milestone.findUniqueOrThrow({ where: { id: options.milestoneId } });
  const p = options.patch;
  const data: Record<string, unknown> = {};
  if (p.name !== undefined) {
    const name = p.name.trim();
    if (!name) throw new AppError('VALIDATION_FAILED', 'A milestone name cannot be empty.');
    data.name = name;
    data.nameKey = milestoneNameKey(name);
  }
  if (p.description !== undefined) data.description = p.description;
  const timeZone = p.timeZone ?? m.timeZone;
  if (p.timeZone !== undefined) {
    if (!isValidTimeZone(p.timeZone))
      throw new AppError('VALIDATION_FAILED', `"${p.timeZone}" is not a time zone; use an IANA name such as Europe/Berlin.`);
    data.timeZone = p.timeZone;
  }
  if (p.dueDate !== undefined) data.dueDate = p.dueDate === null ? null : parseDueDate(p.dueDate, timeZone);
  if (p.scope !== undefined) data.scope = p.scope === null ? null : JSON.stringify(checkScope(p.scope.include));
  if (p.slackChannelId !== undefined) data.slackChannelId = p.slackChannelId;

  if (p.status !== undefined && p.status !== m.status) {
    const verdict = p.status === 'COMPLETED' && m.status === 'ACTIVE' ? (await getReadiness(deps, m.id)).verdict : null;
    const plan = planTransition({
      from: m.status,
      to: p.status,
      verdict,
      overrideReason: p.overrideReason,
      milestoneName: m.name,
    });
    if (!plan.ok) throw plan.error;
    data.status = plan.to;
    if (plan.to === 'COMPLETED') {
      data.completedAt = deps.now();
      data.completionOverrideReason = plan.overrideReason;
    } else if (plan.to === 'ACTIVE') {
      data.completedAt = null;
      data.completionOverrideReason = null;
    }
  }
  const now = deps.now();
  try {
    // A new scope is resolved to its cases in the same transaction (scope-cases.ts).
    return await prisma.$transaction(async (tx) => {
      if (data.scope !== undefined) await lockForScopeChange(tx, deps.db.provider, m.projectId);
      const current = await tx.milestone.findUniqueOrThrow({ where: { id: m.id } });
      // The lifecycle was checked against the status read above: another change meanwhile must not be overwritten.
      if (data.status !== undefined && current.status !== m.status) {
        throw new AppError(
          'CONFLICT',
          `Milestone "${m.name}" was just changed to ${current.status.toLowerCase()} by someone else; look again and retry.`,
        );
      }
      if (p.gate !== undefined) data.gatePolicy = JSON.stringify({ ...parseJson(current.gatePolicy, {}), ...p.gate });
      const updated = await tx.milestone.update({ where: { id: m.id }, data });
      if (data.scope !== undefined) await rebuildScopeCases(tx, deps.db.provider, m.id);
      await recordAudit(tx, { projectId: m.projectId, milestoneId: m.id }, options.actor, milestoneChanges(current, updated), now);
      return updated;
    }, SCOPE_CHANGE_TRANSACTION);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `Another milestone of this project is already named "${p.name}".`);
    throw err;
  }
}
