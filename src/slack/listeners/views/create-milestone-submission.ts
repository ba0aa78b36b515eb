// The new-milestone modal: validate, create, then post its readiness card to
// the milestone's channel.
import { z } from 'zod';
import { INPUT_LIMITS as L } from '../../../domain/input-limits.js';
import { AppError } from '../../../domain/errors.js';
import { createMilestone } from '../../../services/create-milestone.js';
import { findWorkspaceProject } from '../../../services/resolve-project.js';
import { postCard } from '../../card-publisher.js';
import type { SlackDeps } from '../../slack-deps.js';
import { CREATE_FIELDS as F } from '../../../messages/modals/create-milestone-modal.js';
import { FieldError, submission } from '../view-kit.js';
import { requireApprover } from '../../approval.js';

export const MilestoneModalInput = z.object({
  [F.project]: z.string({ error: 'Pick the project the milestone belongs to.' }),
  [F.name]: z
    .string({ error: 'Give the milestone a name, e.g. 2.4.0.' })
    .max(L.milestoneName, `Keep the name to ${L.milestoneName} characters.`),
  [F.description]: z.string().max(L.milestoneDescription, `Keep the description to ${L.milestoneDescription} characters.`).optional(),
  [F.dueDate]: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Pick a date.')
    .optional(),
  [F.channel]: z.string().optional(),
  [F.passRate]: z
    .string()
    .regex(/^\d{1,3}(\.\d+)?%?$/, 'Give a percentage between 0 and 100, e.g. 95.')
    .transform((s) => Number(s.replace('%', '')))
    .refine((n) => n >= 0 && n <= 100, 'Give a percentage between 0 and 100, e.g. 95.')
    .optional(),
  [F.environments]: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((e) => e.length <= L.environmentName), 'Environment names are short words such as staging, production.')
    .optional(),
  [F.signoffs]: z
    .string()
    .regex(/^\d{1,2}$/, 'Give a whole number of sign-offs, 0 to 20.')
    .transform(Number)
    .refine((n) => n <= 20, 'Give a whole number of sign-offs, 0 to 20.')
    .optional(),
});

export const createMilestoneSubmission = (deps: SlackDeps) =>
  submission(deps, {
    schema: MilestoneModalInput,
    errorField: F.name,
    run: async (input, ctx, args) => {
      const project = await findWorkspaceProject(deps, { workspaceId: ctx.workspaceId, projectId: input[F.project] });
      if (!project) throw new FieldError(F.project, 'That project is not in this workspace any more; pick another.');
      const passRate = input[F.passRate];
      const environments = input[F.environments];
      const signoffs = input[F.signoffs];
      const gate = {
        ...(passRate !== undefined ? { passRateThreshold: passRate / 100 } : {}),
        ...(environments?.length ? { requiredEnvironments: environments } : {}),
        ...(signoffs !== undefined ? { requiredSignoffs: signoffs } : {}),
      };
      if (Object.keys(gate).length) await requireApprover(deps, args.client, { project, userId: ctx.userId, action: 'gate' });
      let milestone;
      try {
        milestone = await createMilestone(deps, {
          projectId: project.id,
          name: input[F.name],
          description: input[F.description] ?? null,
          dueDate: input[F.dueDate] ?? null,
          gate,
          slackChannelId: input[F.channel] ?? null,
          actor: ctx.actor,
        });
      } catch (err) {
        if (err instanceof AppError && /due date|calendar date/i.test(err.message)) throw new FieldError(F.dueDate, err.message);
        throw err;
      }
      const channel = input[F.channel] ?? project.slackChannelId ?? ctx.userId;
      return { after: () => postCard(deps, args.client, channel, milestone.id) };
    },
  });
