// Waive a defect until the end of the chosen day (in the milestone's time zone).
import { z } from 'zod';
import { INPUT_LIMITS as L } from '../../../domain/input-limits.js';
import { endOfLocalDay } from '../../../domain/time.js';
import { getWorkspaceDefect } from '../../../services/get-workspace-defect.js';
import { updateDefect } from '../../../services/update-defect.js';
import { refreshCard } from '../../card-publisher.js';
import type { SlackDeps } from '../../slack-deps.js';
import { WAIVE_FIELDS as F } from '../../../messages/modals/waive-defect-modal.js';
import { FieldError, submission } from '../view-kit.js';
import { AppError } from '../../../domain/errors.js';
import { requireApprover } from '../../approval.js';

export const WaiveInput = z.object({
  [F.reason]: z
    .string({ error: 'Say why shipping with this defect is acceptable.' })
    .max(L.waiverReason, `Keep the reason to ${L.waiverReason} characters.`),
  [F.until]: z.string({ error: 'Pick the day the waiver ends.' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'Pick the day the waiver ends.'),
});

export const waiveDefectSubmission = (deps: SlackDeps) =>
  submission(deps, {
    schema: WaiveInput,
    errorField: F.reason,
    run: async (input, ctx, args) => {
      // A defect gone meanwhile is a NOT_FOUND, shown on the reason field (errorField).
      const defect = await getWorkspaceDefect(deps, { workspaceId: ctx.workspaceId, defectId: ctx.modal.d });
      await requireApprover(deps, args.client, { project: defect.project, userId: ctx.userId, action: 'waive' });
      const tz = defect.milestone?.timeZone ?? defect.project.timeZone;
      const until = endOfLocalDay(input[F.until], tz);
      if (until <= deps.now()) throw new FieldError(F.until, 'Pick a day in the future: a waiver must expire later than now.');
      try {
        await updateDefect(deps, {
          projectId: defect.projectId,
          defectId: defect.id,
          patch: { waiver: { reason: input[F.reason], until: until.toISOString() } },
          actor: ctx.actor,
        });
      } catch (err) {
        if (err instanceof AppError && /until|expire|past/i.test(err.message)) throw new FieldError(F.until, err.message);
        throw err;
      }
      return {
        after: async () =>
          defect.milestoneId ? refreshCard(deps, args.client, { channel: ctx.modal.c, ts: ctx.modal.t }, defect.milestoneId) : undefined,
      };
    },
  });
