// The Notifier (src/notify/notifier.ts) over Slack's Web API: each message goes
// out with the bot token of the workspace it belongs to. A 429 is not retried
// here but surfaced as RateLimitedError, so the caller (the outbox, a tick)
// decides when to try again and nothing is sent twice.
import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Database } from '../db/open-database.js';
import { storedBotToken } from '../db/slack-installations.js';
import { RateLimitedError, type Notifier, type OutgoingFile, type OutgoingMessage, type PostedMessage } from '../notify/notifier.js';
import { clientOptions } from './client-options.js';

export class SlackNotifier implements Notifier {
  readonly enabled = true;
  private readonly clients = new Map<string, webApi.WebClient>();

  constructor(
    private readonly config: Config,
    private readonly db: Database,
  ) {}

  async post(message: OutgoingMessage): Promise<PostedMessage> {
    const client = await this.clientFor(message.workspaceId);
    const res = await call(() =>
      client.chat.postMessage({
        channel: message.channel,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as webApi.KnownBlock[] } : {}),
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      }),
    );
    return { channel: res.channel ?? message.channel, ts: res.ts! };
  }

  async update(message: OutgoingMessage & { ts: string }): Promise<void> {
    const client = await this.clientFor(message.workspaceId);
    await call(() =>
      client.chat.update({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as webApi.KnownBlock[] } : {}),
      }),
    );
  }

  async upload(file: OutgoingFile): Promise<void> {
    const client = await this.clientFor(file.workspaceId);
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
