// Report a defect (optionally creating or linking a Jira issue), then update the card.
import { z } from 'zod';
import { INPUT_LIMITS as L } from '../../../domain/input-limits.js';
import { AppError } from '../../../domain/errors.js';
import { JIRA_ISSUE_KEY_PATTERN } from '../../../domain/jira-keys.js';
import { SEVERITIES } from '../../../domain/types.js';
import { reportDefect } from '../../../services/report-defect.js';
import { refreshCard } from '../../card-publisher.js';
import { milestoneInWorkspace } from '../../../services/resolve-milestone.js';
import { SLACK_HINTS } from '../../lookup-hints.js';
import type { SlackDeps } from '../../slack-deps.js';
import { DEFECT_FIELDS as F } from '../../../messages/modals/report-defect-modal.js';
import { FieldError, submission } from '../view-kit.js';

export const DefectInput = z
  .object({
    [F.title]: z.string({ error: 'Say what is broken.' }).max(L.defectTitle, `Keep the title to ${L.defectTitle} characters.`),
    [F.severity]: z.enum(SEVERITIES, { error: 'Pick a severity.' }),
    [F.testKey]: z.string().max(L.caseKey, `A case key is at most ${L.caseKey} characters.`).optional(),
    [F.description]: z.string().max(L.defectDescription, `Keep the description to ${L.defectDescription} characters.`).optional(),
    [F.jira]: z.enum(['none', 'create', 'link']).default('none'),
    [F.jiraKey]: z.string().optional(),
  })
  .superRefine((v, issue) => {
    const key = v[F.jiraKey];
    if (v[F.jira] === 'link' && !key)
      issue.addIssue({ code: 'custom', path: [F.jiraKey], message: 'Give the key of the Jira issue to link, e.g. PAY-123.' });
    if (key && !JIRA_ISSUE_KEY_PATTERN.test(key.trim().toUpperCase()))
      issue.addIssue({ code: 'custom', path: [F.jiraKey], message: `"${key}" is not a Jira issue key; use the form PAY-123.` });
    if (key && v[F.jira] !== 'link')
      issue.addIssue({ code: 'custom', path: [F.jiraKey], message: 'Choose "Link an existing Jira issue" above, or clear this key.' });
  });

export const reportDefectSubmission = (deps: SlackDeps) =>
  submission(deps, {
    schema: DefectInput,
    errorField: F.title,
    run: async (input, ctx, args) => {
      const m = await milestoneInWorkspace(deps, { workspaceId: ctx.workspaceId, milestoneId: ctx.modal.m, hints: SLACK_HINTS });
      const jira =
        input[F.jira] === 'create'
          ? { create: true as const }
          : input[F.jira] === 'link'
            ? { key: input[F.jiraKey]!.toUpperCase() }
            : undefined;
      try {
        await reportDefect(deps, {
          projectId: m.projectId,
          milestoneId: m.id,
          title: input[F.title],
          severity: input[F.severity],
          description: input[F.description] ?? null,
          testKey: input[F.testKey],
          jira,
          reportedBy: ctx.userId,
        });
      } catch (err) {
        if (err instanceof AppError && /test case/i.test(err.message)) throw new FieldError(F.testKey, err.message);
        // A refused creation (Jira not set up) belongs on the choice; a refused key on the key.
        if (err instanceof AppError && /Jira/i.test(err.message))
          throw new FieldError(jira && 'create' in jira ? F.jira : F.jiraKey, err.message);
        throw err;
      }
      return { after: () => refreshCard(deps, args.client, { channel: ctx.modal.c, ts: ctx.modal.t }, m.id) };
    },
  });
