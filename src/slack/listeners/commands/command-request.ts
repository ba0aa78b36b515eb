// What a /milestone subcommand handler receives once the command is acknowledged.
import type { RespondFn, webApi } from '@slack/bolt';
import type { Command } from '../../command-parser.js';
import type { SlackActor } from '../../slack-actor.js';

export interface CommandRequest<C extends Command = Command> {
  command: C;
  workspaceId: string;
  channelId: string;
  userId: string;
  /** The user as the audit trail names them. */
  actor: SlackActor;
  triggerId: string;
  client: webApi.WebClient;
  respond: RespondFn;
}

/** An ephemeral reply to the person who typed the command. */
export async function reply(req: Pick<CommandRequest, 'respond'>, message: { text: string; blocks?: unknown[] }): Promise<void> {
  await req.respond({ response_type: 'ephemeral', replace_original: false, ...message });
}
