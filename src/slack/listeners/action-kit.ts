// Shared plumbing for button listeners: the acting workspace, user and message,
// and an ephemeral way to tell the person when something went wrong.
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../reply-errors.js';
import type { SlackDeps } from '../slack-deps.js';
import { workspaceIdOf } from '../workspace-middleware.js';
import { slackActor } from '../slack-actor.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export function actionContext(args: ButtonArgs) {
  const { body, context } = args;
  const action = args.action as { value?: string };
  // Bolt types the container loosely; it carries the message's channel and ts from the Home tab or a message.
  const container = body.container as { channel_id?: unknown; message_ts?: unknown } | undefined;
  return {
    workspaceId: workspaceIdOf(context),
    userId: body.user.id,
    /** The user as the audit trail names them. */
    actor: slackActor(body.user.id, body.user.team_id ?? body.team?.id),
    value: action.value,
    triggerId: body.trigger_id,
    channel: body.channel?.id ?? stringOrUndefined(container?.channel_id),
    ts: body.message?.ts ?? stringOrUndefined(container?.message_ts),
  };
}

/** Acks, then runs the work; an error reaches the person ephemerally (or by DM from the Home tab). */
export function button(deps: SlackDeps, work: (args: ButtonArgs, ctx: ReturnType<typeof actionContext>) => Promise<void>) {
  return async (args: ButtonArgs) => {
    await args.ack();
    const ctx = actionContext(args);
    deps.afterAck.run(() => perform(deps, args, ctx, work));
  };
}

async function perform(
  deps: SlackDeps,
  args: ButtonArgs,
  ctx: ReturnType<typeof actionContext>,
  work: (args: ButtonArgs, ctx: ReturnType<typeof actionContext>) => Promise<void>,
): Promise<void> {
  try {
    await work(args, ctx);
  } catch (err) {
    const message = errorMessage(err, deps.logger);
    try {
      if (args.body.response_url) await args.respond({ response_type: 'ephemeral', replace_original: false, ...message });
      else await args.client.chat.postMessage({ channel: ctx.userId, text: message.text, blocks: message.blocks as never });
    } catch (e) {
      deps.logger.warn({ err: e }, 'could not tell the user about a failed action');
    }
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
