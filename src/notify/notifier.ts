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

/** Thrown by `update` when the message is gone (deleted in Slack): post a new one instead. */
export class MessageGoneError extends Error {
  readonly code = 'message_not_found';
  constructor(
    public readonly channel: string,
    public readonly ts: string,
  ) {
    super(`message ${ts} in ${channel} no longer exists`);
  }
}

/**
 * Whether files can be shared in a channel: the bot is a member, has just
 * joined (a public channel), needs to be invited (a private channel), or
 * cannot tell (the upload is tried anyway).
 */
export type ChannelAccess = 'member' | 'joined' | 'needs-invite' | 'unknown';

/** Thrown when the bot is not a member of a channel it must be in (a private channel it was not invited to). */
export class NotInChannelError extends Error {
  readonly code = 'not_in_channel';
  constructor(
    public readonly channel: string,
    /** Slack's own error code, when Slack said it. */
    slackError?: string,
  ) {
    super(`not a member of channel ${channel}${slackError ? ` (${slackError})` : ''}: it must be invited (/invite @Shipgate)`);
  }
}

export interface Notifier {
  readonly enabled: boolean;
  post(message: OutgoingMessage): Promise<PostedMessage>;
  /** Edits a message in place; throws MessageGoneError when it was deleted. */
  update(message: OutgoingMessage & { ts: string }): Promise<void>;
  /** Shares a file; joins a public channel first when needed, throws NotInChannelError for a private one it is not in. */
  upload(file: OutgoingFile): Promise<void>;
  /** Makes sure files can be shared in the channel (joining a public one), and says whether they can. */
  channelAccess(workspaceId: string, channel: string): Promise<ChannelAccess>;
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

  async channelAccess(): Promise<ChannelAccess> {
    return 'unknown';
  }
}
