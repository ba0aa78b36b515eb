// Scope: the test cases that must run, saved on the milestone.
import { z } from 'zod';
import { updateMilestone } from '../../../services/update-milestone.js';
import { refreshCard } from '../../card-publisher.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import type { SlackDeps } from '../../slack-deps.js';
import { SCOPE_FIELDS as F } from '../../../messages/modals/scope-modal.js';
import { splitPatterns } from '../../split-patterns.js';
import { submission } from '../view-kit.js';
import { requireApprover } from '../../approval.js';

export const ScopeInput = z.object({
  [F.patterns]: z
    .string()
    .optional()
    .transform((s) => splitPatterns(s))
    .refine((list) => list.length <= 500, 'At most 500 keys or patterns: use a pattern such as checkout::* for many cases.'),
});

export const scopeSubmission = (deps: SlackDeps) =>
  submission(deps, {
    schema: ScopeInput,
    errorField: F.patterns,
    run: async (input, ctx, args) => {
      const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.modal.m, hints: SLACK_HINTS });
      // A scope too long for the form was shown without an input: saving that form changes nothing.
      if (!(F.patterns in args.view.state.values)) return {};
      await requireApprover(deps, args.client, { project: m.project, userId: ctx.userId, action: 'scope' });
      const patterns = input[F.patterns];
      await updateMilestone(deps, {
        milestoneId: m.id,
        patch: { scope: patterns.length ? { include: patterns } : null },
        actor: ctx.actor,
      });
      return { after: () => refreshCard(deps, args.client, { channel: ctx.modal.c, ts: ctx.modal.t }, m.id) };
    },
  });
