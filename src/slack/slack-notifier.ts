// The Notifier (src/notify/notifier.ts) over Slack's Web API: each message goes
// out with the bot token of the workspace it belongs to. A 429 is not retried
// here but surfaced as RateLimitedError, so the caller (the outbox, a tick)
// decides when to try again and nothing is sent twice.
import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Database } from '../db/open-database.js';
import { storedBotToken } from '../db/slack-installations.js';
import {
  MessageGoneError,
  NotInChannelError,
  RateLimitedError,
  type ChannelAccess,
  type Notifier,
  type OutgoingFile,
  type OutgoingMessage,
  type PostedMessage,
} from '../notify/notifier.js';
import { ensureMember } from './channel-membership.js';
import { clientOptions } from './client-options.js';

export class SlackNotifier implements Notifier {
  readonly enabled = true;
  private readonly clients = new Map<string, webApi.WebClient>();
  /** Channels (per workspace) the bot is known to be in: checked before the first upload only. */
  private readonly memberOf = new Set<string>();

  constructor(
    private readonly config: Config,
    private readonly db: Database,
  ) {}

  async post(message: OutgoingMessage): Promise<PostedMessage> {
    const client = await this.clientFor(message.workspaceId);
    try {
      const res = await call(() =>
        client.chat.postMessage({
          channel: message.channel,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks as webApi.KnownBlock[] } : {}),
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        }),
      );
      return { channel: res.channel ?? message.channel, ts: res.ts! };
    } catch (err) {
      // A private channel the bot was not invited to: Slack says it does not exist.
      const code = (err as { data?: { error?: string } }).data?.error;
      if ((code === 'not_in_channel' || code === 'channel_not_found') && /^[CG]/.test(message.channel))
        throw Object.assign(new NotInChannelError(message.channel, code), { cause: err });
      throw err;
    }
  }

  async update(message: OutgoingMessage & { ts: string }): Promise<void> {
    const client = await this.clientFor(message.workspaceId);
    try {
      await call(() =>
        client.chat.update({
          channel: message.channel,
          ts: message.ts,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks as webApi.KnownBlock[] } : {}),
        }),
      );
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'message_not_found') throw Object.assign(new MessageGoneError(message.channel, message.ts), { cause: err });
      if (code === 'channel_not_found' && /^[CG]/.test(message.channel))
        throw Object.assign(new NotInChannelError(message.channel, code), { cause: err });
      throw err;
    }
  }

  async channelAccess(workspaceId: string, channel: string): Promise<ChannelAccess> {
    const key = `${workspaceId}:${channel}`;
    if (this.memberOf.has(key)) return 'member';
    const client = await this.clientFor(workspaceId);
    const access = await call(() => ensureMember(client, channel));
    if (access === 'member' || access === 'joined') this.memberOf.add(key);
    return access;
  }

  async upload(file: OutgoingFile): Promise<void> {
    const key = `${file.workspaceId}:${file.channel}`;
    if ((await this.channelAccess(file.workspaceId, file.channel)) === 'needs-invite') throw new NotInChannelError(file.channel);
    const client = await this.clientFor(file.workspaceId);
    try {
      await this.share(client, file);
    } catch (err) {
      // Removed from the channel since it was checked: check (and join) again next time.
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'not_in_channel' || code === 'channel_not_found') {
        this.memberOf.delete(key);
        throw new NotInChannelError(file.channel, code);
      }
      throw err;
    }
  }

  private async share(client: webApi.WebClient, file: OutgoingFile): Promise<void> {
    await call(() =>
      client.filesUploadV2({
        channel_id: file.channel,
        file: file.content,
        filename: file.filename,
        title: file.title,
        ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
        ...(file.threadTs ? { thread_ts: file.threadTs } : {}),
      } as webApi.FilesUploadV2Arguments),
    );
  }

  private async clientFor(workspaceId: string): Promise<webApi.WebClient> {
    const token = this.config.slack.mode === 'oauth' ? await storedBotToken(this.db, workspaceId) : this.config.slack.botToken;
    if (!token) throw new Error(`No Slack bot token for workspace ${workspaceId}: the app is not installed there (open /slack/install).`);
    let client = this.clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, { ...clientOptions(this.config), rejectRateLimitedCalls: true });
      this.clients.set(token, client);
    }
    return client;
  }
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = err as { code?: string; retryAfter?: number };
    if (e.code === webApi.ErrorCode.RateLimitedError) throw new RateLimitedError(Math.max(1, e.retryAfter ?? 1) * 1000);
    throw err;
  }
}
