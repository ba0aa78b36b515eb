// Records a sign-off (approve or reject) with a frozen copy of the readiness at
// that moment: the evidence of what the person saw when they decided.
import { AppError } from '../domain/errors.js';
import type { SignoffDecision } from '../domain/types.js';
import { getReadiness } from './get-readiness.js';
import type { ServiceDeps } from './service-deps.js';

export interface SignOffOptions {
  milestoneId: string;
  slackUserId: string;
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
  const signoff = await deps.db.prisma.signoff.create({
    data: {
      milestoneId: milestone.id,
      slackUserId: options.slackUserId,
      decision: options.decision,
      comment,
      evidence: JSON.stringify(evidence),
      createdAt: deps.now(),
    },
  });
  // The verdict after the sign-off (a REJECT turns it NO_GO at once).
  const after = await getReadiness(deps, milestone.id);
  return { signoff, evidence, readiness: after };
}
