// `/milestone SUBCOMMAND [ARGS]`: parse, acknowledge at once (help and input
// mistakes ride on the ack itself), then run the subcommand and reply.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseCommand, USAGE, type Command } from '../../command-parser.js';
import { errorMessage } from '../../reply-errors.js';
import type { SlackDeps } from '../../slack-deps.js';
import { helpMessage, problemMessage } from '../../../messages/help-message.js';
import { workspaceIdOf } from '../../workspace-middleware.js';
import { reply, type CommandRequest } from './command-request.js';
import { apikeyCommand } from './subcommands/apikey-command.js';
import { createCommand } from './subcommands/create-command.js';
import { lifecycleCommand } from './subcommands/lifecycle-command.js';
import { listCommand } from './subcommands/list-command.js';
import { milestoneModalCommand } from './subcommands/milestone-modal-command.js';
import { projectCommand } from './subcommands/project-command.js';
import { statusCommand } from './subcommands/status-command.js';
import { subscribeCommand, subscriptionsCommand, unsubscribeCommand } from './subcommands/subscribe-command.js';

type Handler = (deps: SlackDeps, req: CommandRequest) => Promise<void>;

const HANDLERS: Record<Exclude<Command['kind'], 'help'>, Handler> = {
  create: createCommand as Handler,
  list: listCommand as Handler,
  status: statusCommand as Handler,
  link: milestoneModalCommand as Handler,
  scope: milestoneModalCommand as Handler,
  defect: milestoneModalCommand as Handler,
  signoff: milestoneModalCommand as Handler,
  complete: lifecycleCommand as Handler,
  reopen: lifecycleCommand as Handler,
  archive: lifecycleCommand as Handler,
  subscribe: subscribeCommand as Handler,
  subscriptions: subscriptionsCommand as Handler,
  unsubscribe: unsubscribeCommand as Handler,
  'project-create': projectCommand as Handler,
  'project-jira': projectCommand as Handler,
  'project-use': projectCommand as Handler,
  'apikey-create': apikeyCommand as Handler,
  'apikey-list': apikeyCommand as Handler,
  'apikey-revoke': apikeyCommand as Handler,
};

function usageOf(kind: Command['kind']): string {
  return (USAGE as Record<string, string>)[kind.replace('-', ' ')] ?? USAGE.help;
}

export function milestoneCommand(deps: SlackDeps) {
  return async ({ command, ack, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = parseCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', ...problemMessage(parsed.problem, parsed.usage) });
      return;
    }
    if (parsed.command.kind === 'help') {
      await ack({ response_type: 'ephemeral', ...helpMessage() });
      return;
    }
    await ack();
    const req: CommandRequest = {
      command: parsed.command,
      workspaceId: workspaceIdOf(context),
      channelId: command.channel_id,
      userId: command.user_id,
      triggerId: command.trigger_id,
      client,
      respond,
    };
    const handler = HANDLERS[parsed.command.kind];
    deps.afterAck.run(async () => {
      try {
        await handler(deps, req);
      } catch (err) {
        await reply(req, errorMessage(err, deps.logger, usageOf(req.command.kind))).catch((e: unknown) =>
          deps.logger.warn({ err: e }, 'could not send the error reply'),
        );
      }
    });
  };
}
