// Sign off: approve or reject with a comment. The use case stores the readiness
// of that moment as the evidence; then the card is updated in place.
import { z } from 'zod';
import { INPUT_LIMITS as L } from '../../../domain/input-limits.js';
import { SIGNOFF_DECISIONS } from '../../../domain/types.js';
import { signOff } from '../../../services/sign-off.js';
import { refreshCard } from '../../card-publisher.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import type { SlackDeps } from '../../slack-deps.js';
import { SIGNOFF_FIELDS as F } from '../../../messages/modals/sign-off-modal.js';
import { submission } from '../view-kit.js';
import { requireApprover } from '../../approval.js';

export const SignOffInput = z
  .object({
    [F.decision]: z.enum(SIGNOFF_DECISIONS, { error: 'Choose approve or reject.' }),
    [F.comment]: z.string().max(L.signoffComment, `Keep the comment to ${L.signoffComment} characters.`).optional(),
  })
  .superRefine((v, issue) => {
    if (v[F.decision] === 'REJECT' && !v[F.comment])
      issue.addIssue({ code: 'custom', path: [F.comment], message: 'Say what must change before this can ship.' });
  });

export const signOffSubmission = (deps: SlackDeps) =>
  submission(deps, {
    schema: SignOffInput,
    errorField: F.comment,
    run: async (input, ctx, args) => {
      const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.modal.m, hints: SLACK_HINTS });
      await requireApprover(deps, args.client, { project: m.project, userId: ctx.userId, action: 'signoff' });
      await signOff(deps, { milestoneId: m.id, actor: ctx.actor, decision: input[F.decision], comment: input[F.comment] ?? null });
      return { after: () => refreshCard(deps, args.client, { channel: ctx.modal.c, ts: ctx.modal.t }, m.id) };
    },
  });
