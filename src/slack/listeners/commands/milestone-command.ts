// `/milestone SUBCOMMAND [ARGS]`: parse, acknowledge at once (help and input
// mistakes ride on the ack itself), then run the subcommand and reply.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { USAGE } from '../../../messages/command-usage.js';
import { parseCommand, type Command, type CommandOf } from '../../command-parser.js';
import { errorMessage } from '../../reply-errors.js';
import type { SlackDeps } from '../../slack-deps.js';
import { helpMessage, problemMessage } from '../../../messages/help-message.js';
import { workspaceIdOf } from '../../workspace-middleware.js';
import { slackActor } from '../../slack-actor.js';
import { reply, type CommandRequest } from './command-request.js';
import { apikeyCommand } from './subcommands/apikey-command.js';
import { approversCommand } from './subcommands/approvers-command.js';
import { ownersCommand } from './subcommands/owners-command.js';
import { createCommand } from './subcommands/create-command.js';
import { lifecycleCommand } from './subcommands/lifecycle-command.js';
import { listCommand } from './subcommands/list-command.js';
import { milestoneModalCommand } from './subcommands/milestone-modal-command.js';
import { projectCommand } from './subcommands/project-command.js';
import { statusCommand } from './subcommands/status-command.js';
import { quarantineCommand } from './subcommands/quarantine-command.js';
import { threadsCommand } from './subcommands/threads-command.js';
import { subscribeCommand, subscriptionsCommand, unsubscribeCommand } from './subcommands/subscribe-command.js';

type Routed = Exclude<Command, { kind: 'help' }>;
type RoutedKind = Routed['kind'];

// Each kind's handler is typed for exactly that kind's command: pointing a kind
// at a handler for another one does not compile, and a new kind without a
// handler does not either.
type HandlerTable = { [K in RoutedKind]: (deps: SlackDeps, req: CommandRequest<CommandOf<K>>) => Promise<void> };

const HANDLERS: HandlerTable = {
  create: createCommand,
  list: listCommand,
  status: statusCommand,
  link: milestoneModalCommand,
  scope: milestoneModalCommand,
  defect: milestoneModalCommand,
  signoff: milestoneModalCommand,
  complete: lifecycleCommand,
  reopen: lifecycleCommand,
  archive: lifecycleCommand,
  subscribe: subscribeCommand,
  subscriptions: subscriptionsCommand,
  unsubscribe: unsubscribeCommand,
  'project-create': projectCommand,
  'project-jira': projectCommand,
  'project-use': projectCommand,
  'apikey-create': apikeyCommand,
  'apikey-list': apikeyCommand,
  'apikey-revoke': apikeyCommand,
  approvers: approversCommand,
  owners: ownersCommand,
  quarantine: quarantineCommand,
  unquarantine: quarantineCommand,
  threads: threadsCommand,
};

/** Runs the handler of the request's kind; K ties the two together for the compiler. */
function dispatch<K extends RoutedKind>(deps: SlackDeps, kind: K, req: CommandRequest<CommandOf<K>>): Promise<void> {
  const handler: HandlerTable[K] = HANDLERS[kind];
  return handler(deps, req);
}

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
    const req: CommandRequest<Routed> = {
      command: parsed.command,
      workspaceId: workspaceIdOf(context),
      channelId: command.channel_id,
      userId: command.user_id,
      actor: slackActor(command.user_id, command.team_id),
      triggerId: command.trigger_id,
      client,
      respond,
    };
    deps.afterAck.run(async () => {
      try {
        await dispatch(deps, req.command.kind, req);
      } catch (err) {
        await reply(req, errorMessage(err, deps.logger, usageOf(req.command.kind))).catch((e: unknown) =>
          deps.logger.warn({ err: e }, 'could not send the error reply'),
        );
      }
    });
  };
}
