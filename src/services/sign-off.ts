// Records a sign-off (approve or reject) with a frozen copy of the readiness at
// that moment: the evidence of what the person saw when they decided. The
// sign-off is on the audit trail, written in the same transaction.
import type { Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import type { SignoffDecision } from '../domain/types.js';
import { recordAudit } from '../db/audit-trail.js';
import { enqueue, OUTBOX } from '../db/outbox.js';
import { getReadiness } from './get-readiness.js';
import type { ServiceDeps } from './service-deps.js';

export interface SignOffOptions {
  milestoneId: string;
  /** Sign-offs are given in Slack: the signer is a Slack user. */
  actor: Extract<Actor, { type: 'slack' }>;
  decision: SignoffDecision;
  comment?: string | null;
}

export async function signOff(deps: ServiceDeps, options: SignOffOptions) {
  const milestone = await deps.db.prisma.milestone.findUniqueOrThrow({ where: { id: options.milestoneId } });
  if (milestone.status === 'ARCHIVED') {
    throw new AppError(
      'CONFLICT',
      `Milestone "${milestone.name}" is archived; sign-offs are closed. Reopen is not possible for archived milestones.`,
    );
  }
  const comment = options.comment?.trim() || null;
  if (options.decision === 'REJECT' && !comment) {
    throw new AppError('VALIDATION_FAILED', 'A rejection needs a comment saying what must change before the release can ship.');
  }
  const evidence = await getReadiness(deps, milestone.id);
  const now = deps.now();
  const signoff = await deps.db.prisma.$transaction(async (tx) => {
    const created = await tx.signoff.create({
      data: {
        milestoneId: milestone.id,
        slackUserId: options.actor.userId,
        decision: options.decision,
        comment,
        evidence: JSON.stringify(evidence),
        createdAt: now,
      },
    });
    await recordAudit(
      tx,
      { projectId: milestone.projectId, milestoneId: milestone.id },
      options.actor,
      [{ kind: 'signoff.added', before: {}, after: { signoffId: created.id, decision: created.decision, comment } }],
      now,
    );
    await enqueue(tx, OUTBOX.livingEvent({ kind: 'signoff', milestoneId: milestone.id, signoffId: created.id }, created.id, now));
    return created;
  });
  // The verdict after the sign-off (a REJECT turns it NO_GO at once).
  const after = await getReadiness(deps, milestone.id);
  return { signoff, evidence, readiness: after };
}
