// How the rest of Shipgate speaks to people: post a message to a channel or a
// person, update one in place, upload a picture. The Slack app implements it;
// with Slack off, LogNotifier writes what would have been sent to the log.
import type { Logger } from '../logger.js';

export interface OutgoingMessage {
  workspaceId: string;
  /** A channel id, or a user id for a direct message. */
  channel: string;
  text: string;
  blocks?: unknown[];
  /** Post as a reply in this thread. */
  threadTs?: string;
}

export interface OutgoingFile {
  workspaceId: string;
  channel: string;
  filename: string;
  title: string;
  content: Buffer;
  /** Text posted with the file. */
  initialComment?: string;
  threadTs?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** Thrown by a Notifier when the receiver asks to wait (HTTP 429): retry after `retryAfterMs`. */
export class RateLimitedError extends Error {
  constructor(public readonly retryAfterMs: number) {
    super(`rate limited; retry after ${retryAfterMs} ms`);
  }
}

export interface Notifier {
  readonly enabled: boolean;
  post(message: OutgoingMessage): Promise<PostedMessage>;
  update(message: OutgoingMessage & { ts: string }): Promise<void>;
  upload(file: OutgoingFile): Promise<void>;
}

export class LogNotifier implements Notifier {
  readonly enabled = false;
  constructor(private readonly logger: Logger) {}

  async post(message: OutgoingMessage): Promise<PostedMessage> {
    this.logger.info({ channel: message.channel, text: message.text }, 'Slack is off; message not sent');
    return { channel: message.channel, ts: `log-${Date.now()}` };
  }

  async update(message: OutgoingMessage & { ts: string }): Promise<void> {
    this.logger.info({ channel: message.channel, ts: message.ts, text: message.text }, 'Slack is off; update not sent');
  }

  async upload(file: OutgoingFile): Promise<void> {
    this.logger.info({ channel: file.channel, filename: file.filename }, 'Slack is off; file not uploaded');
  }
}
