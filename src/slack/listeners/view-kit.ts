// Shared plumbing for modal submissions: read the inputs, validate them with a
// zod schema keyed by block id, and answer with `response_action: "errors"` on
// the field when something is wrong. Only validation and the one write happen
// before the ack (the errors must travel on it); updating the card and other
// follow-ups run after it.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { z } from 'zod';
import { AppError } from '../../domain/errors.js';
import type { SlackDeps } from '../slack-deps.js';
import { readContext, type ModalContext, type ModalView } from '../../messages/modals/modal-shell.js';
import { workspaceIdOf } from '../workspace-middleware.js';
import { NUL_REFUSED } from '../command-parser.js';
import { slackActor, type SlackActor } from '../slack-actor.js';
import { NotAnApproverError } from '../approval.js';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Thrown by a submission to put a message on one field. */
export class FieldError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type StateValue = {
  type: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_conversation?: string | null;
  selected_channel?: string | null;
};

/** Every input's value by block id; empty inputs read as undefined. */
export function valuesOf(view: ViewArgs['view']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [blockId, actions] of Object.entries(view.state.values)) {
    const v = Object.values(actions)[0] as StateValue | undefined;
    const raw = v?.value ?? v?.selected_option?.value ?? v?.selected_date ?? v?.selected_conversation ?? v?.selected_channel ?? undefined;
    out[blockId] = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
  }
  return out;
}

export interface SubmissionContext {
  workspaceId: string;
  userId: string;
  /** The user as the audit trail names them. */
  actor: SlackActor;
  modal: ModalContext;
}

export type SubmissionOutcome = void | { after?: () => Promise<void>; update?: ModalView };

export function submission<S extends z.ZodType>(
  deps: SlackDeps,
  o: { schema: S; errorField: string; run: (input: z.infer<S>, ctx: SubmissionContext, args: ViewArgs) => Promise<SubmissionOutcome> },
) {
  return async (args: ViewArgs) => {
    const values = valuesOf(args.view);
    const withNul = Object.keys(values).filter((field) => values[field]?.includes('\u0000'));
    if (withNul.length) {
      await args.ack({
        response_action: 'errors',
        errors: Object.fromEntries(withNul.map((field) => [field, `This field ${NUL_REFUSED}.`])),
      });
      return;
    }
    const parsed = o.schema.safeParse(values);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? o.errorField);
        errors[field] ??= issue.message;
      }
      await args.ack({ response_action: 'errors', errors });
      return;
    }
    const ctx: SubmissionContext = {
      workspaceId: workspaceIdOf(args.context),
      userId: args.body.user.id,
      actor: slackActor(args.body.user.id, args.body.user.team_id ?? args.body.team?.id),
      modal: readContext(args.view.private_metadata),
    };
    let outcome: SubmissionOutcome;
    try {
      outcome = await o.run(parsed.data, ctx, args);
    } catch (err) {
      if (err instanceof FieldError) {
        await args.ack({ response_action: 'errors', errors: { [err.field]: err.message } });
        return;
      }
      if (err instanceof NotAnApproverError) {
        // A field error is plain text: it says who may in a direct message, where the names can be mentions.
        await args.ack({ response_action: 'errors', errors: { [o.errorField]: err.fieldText } });
        await args.client.chat
          .postMessage({ channel: ctx.userId, text: err.refusal.text, blocks: err.refusal.blocks as never })
          .catch((e: unknown) => deps.logger.warn({ err: e }, 'could not send the approvers refusal'));
        return;
      }
      if (err instanceof AppError && err.code !== 'INTERNAL') {
        await args.ack({ response_action: 'errors', errors: { [o.errorField]: err.message.slice(0, 2000) } });
        return;
      }
      deps.logger.error({ err }, 'modal submission failed');
      await args.ack({
        response_action: 'errors',
        errors: { [o.errorField]: 'Something went wrong on the Shipgate server; it has been logged. Try again in a moment.' },
      });
      return;
    }
    if (outcome && outcome.update) {
      await args.ack({ response_action: 'update', view: outcome.update });
      return;
    }
    await args.ack();
    if (outcome && outcome.after) {
      try {
        await outcome.after();
      } catch (err) {
        deps.logger.warn({ err }, 'follow-up after a modal submission failed');
      }
    }
  };
}
