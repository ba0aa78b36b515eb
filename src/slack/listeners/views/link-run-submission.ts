// Link run: attach the chosen existing run, or start a manual run; then update the card.
import { z } from 'zod';
import { INPUT_LIMITS as L } from '../../../domain/input-limits.js';
import { attachTestRun } from '../../../services/attach-test-run.js';
import { openTestRun } from '../../../services/open-test-run.js';
import { refreshCard } from '../../card-publisher.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import type { SlackDeps } from '../../slack-deps.js';
import { runLinkedReply } from '../../../messages/command-replies.js';
import { LINK_FIELDS as F } from '../../../messages/modals/link-run-modal.js';
import { submission } from '../view-kit.js';

export const LinkRunInput = z
  .object({
    [F.existing]: z.string().optional(),
    [F.name]: z.string().max(L.runName, `Keep the run name to ${L.runName} characters.`).optional(),
    [F.environment]: z.string().max(L.environmentName, `Keep the environment name to ${L.environmentName} characters.`).optional(),
  })
  .superRefine((v, issue) => {
    if (!v[F.existing] && !v[F.name])
      issue.addIssue({ code: 'custom', path: [F.name], message: 'Pick an existing run above, or name a new manual run here.' });
    if (v[F.existing] && v[F.name])
      issue.addIssue({
        code: 'custom',
        path: [F.name],
        message: 'Either attach the run picked above or start a new one: clear one of the two.',
      });
  });

export const linkRunSubmission = (deps: SlackDeps) =>
  submission(deps, {
    schema: LinkRunInput,
    errorField: F.name,
    run: async (input, ctx, args) => {
      const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.modal.m, hints: SLACK_HINTS });
      let runName: string;
      const existing = input[F.existing];
      if (existing) {
        runName = (await attachTestRun(deps, { projectId: m.projectId, runId: existing, milestoneId: m.id })).name;
      } else {
        const { run } = await openTestRun(deps, {
          projectId: m.projectId,
          name: input[F.name]!,
          milestoneId: m.id,
          environment: input[F.environment],
          source: 'MANUAL',
          ownerSlackUserId: ctx.userId,
          actor: ctx.actor,
        });
        runName = run.name;
      }
      return {
        after: async () => {
          await refreshCard(deps, args.client, { channel: ctx.modal.c, ts: ctx.modal.t }, m.id);
          if (!ctx.modal.t) {
            const n = runLinkedReply({ runName, projectKey: m.project.key, milestoneName: m.name });
            await args.client.chat.postMessage({ channel: ctx.userId, text: n.text, blocks: n.blocks });
          }
        },
      };
    },
  });
