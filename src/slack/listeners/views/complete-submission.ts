// Complete: with the override reason when the verdict needs one. If the verdict
// turned bad while the modal was open, the modal is replaced by the version
// that asks for the reason.
import { z } from 'zod';
import { INPUT_LIMITS as L } from '../../../domain/input-limits.js';
import { AppError } from '../../../domain/errors.js';
import { getReadiness } from '../../../services/get-readiness.js';
import { updateMilestone } from '../../../services/update-milestone.js';
import { refreshCard } from '../../card-publisher.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import type { SlackDeps } from '../../slack-deps.js';
import { COMPLETE_FIELDS as F, completeModal, needsOverride } from '../../../messages/modals/complete-modal.js';
import { problemMessage } from '../../../messages/help-message.js';
import { submission } from '../view-kit.js';
import { requireApprover } from '../../approval.js';

export const CompleteInput = z.object({
  [F.reason]: z.string().max(L.overrideReason, `Keep the reason to ${L.overrideReason} characters.`).optional(),
});

export const completeSubmission = (deps: SlackDeps) =>
  submission(deps, {
    schema: CompleteInput,
    errorField: F.reason,
    run: async (input, ctx, args) => {
      const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.modal.m, hints: SLACK_HINTS });
      const hasReasonField = F.reason in args.view.state.values;
      const readiness = await getReadiness(deps, m.id);
      if (!hasReasonField) {
        if (needsOverride(readiness.verdict)) {
          return {
            update: completeModal({
              milestone: { projectKey: m.project.key, name: m.name },
              verdict: readiness.verdict,
              reasons: readiness.reasons,
              context: ctx.modal,
            }),
          };
        }
      }
      // Against the gate, completing is an approver's (when the project has them).
      if (m.status === 'ACTIVE' && needsOverride(readiness.verdict))
        await requireApprover(deps, args.client, { project: m.project, userId: ctx.userId, action: 'override' });
      try {
        await updateMilestone(deps, {
          milestoneId: m.id,
          patch: { status: 'COMPLETED', ...(input[F.reason] ? { overrideReason: input[F.reason] } : {}) },
          actor: ctx.actor,
        });
      } catch (err) {
        // Without a reason field there is no field to put the error on: tell the person directly.
        if (!hasReasonField && err instanceof AppError) {
          const { message } = err;
          const problem = problemMessage(message);
          return { after: async () => void (await args.client.chat.postMessage({ channel: ctx.userId, ...problem })) };
        }
        throw err;
      }
      return { after: () => refreshCard(deps, args.client, { channel: ctx.modal.c, ts: ctx.modal.t }, m.id) };
    },
  });
