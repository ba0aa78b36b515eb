// The card's quarantine modal submitted: the quarantine use case with the Slack
// user as actor (approvers as for `/milestone quarantine`). What the use case
// refuses (a critical case, one already in quarantine, an end not in the
// future) is shown on the modal's field; the card is refreshed after.
import { z } from 'zod';
import { AppError } from '../../../domain/errors.js';
import { INPUT_LIMITS as L } from '../../../domain/input-limits.js';
import { QUARANTINE_FIELDS as F } from '../../../messages/modals/quarantine-test-modal.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { quarantineTest } from '../../../services/quarantine-test.js';
import { requireApprover } from '../../approval.js';
import { refreshCard } from '../../card-publisher.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import { cardTestCase } from '../../open-modals.js';
import type { SlackDeps } from '../../slack-deps.js';
import { FieldError, submission } from '../view-kit.js';

export const QuarantineInput = z.object({
  [F.reason]: z
    .string({ error: 'Say why this test’s failures may be left out for now.' })
    .max(L.quarantineReason, `Keep the reason to ${L.quarantineReason} characters.`),
  [F.until]: z.string({ error: 'Pick the day the quarantine ends.' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'Pick the day the quarantine ends.'),
});

export const quarantineTestSubmission = (deps: SlackDeps) =>
  submission(deps, {
    schema: QuarantineInput,
    errorField: F.reason,
    run: async (input, ctx, args) => {
      const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.modal.m, hints: SLACK_HINTS });
      await requireApprover(deps, args.client, { project: m.project, userId: ctx.userId, action: 'quarantine' });
      const testCase = await cardTestCase(deps, m.projectId, ctx.modal.k ?? '');
      try {
        // The day is the end of that day in the project's zone (the use case reads YYYY-MM-DD so).
        await quarantineTest(deps, {
          projectId: m.projectId,
          caseKey: testCase.key,
          reason: input[F.reason],
          until: input[F.until],
          actor: ctx.actor,
        });
      } catch (err) {
        if (err instanceof AppError && /^until/.test(err.message)) throw new FieldError(F.until, err.message.slice(0, 2000));
        throw err;
      }
      return { after: () => refreshCard(deps, args.client, { channel: ctx.modal.c, ts: ctx.modal.t }, m.id) };
    },
  });
