// The Notifier tests hand to ticks, the Jira worker and webhooks: it records
// what Shipgate asked to send, each stamped with the clock of the tick in
// progress, and can be told to fail chosen calls (a 429 with a wait, a plain
// error). Where the real Slack client is under test, the Web API stand-in
// (slack-api-stand-in.ts) records the HTTP calls instead.
import {
  NotInChannelError,
  type ChannelAccess,
  type Notifier,
  type OutgoingFile,
  type OutgoingMessage,
  type PostedMessage,
} from '../../src/notify/notifier.js';

/** A call as it was made, and when (by the clock the test set in `now`). */
export type Recorded<T> = T & { at: Date };

type Kind = 'post' | 'update' | 'upload';

export class RecordingNotifier implements Notifier {
  readonly enabled = true;
  posts: Recorded<OutgoingMessage>[] = [];
  updates: Recorded<OutgoingMessage & { ts: string }>[] = [];
  uploads: Recorded<OutgoingFile>[] = [];
  /** The clock of the tick in progress, stamped on each recorded call. */
  now = new Date(0);
  /** Private channels the bot was not invited to: posts and uploads there fail as Slack's would. */
  notInvitedTo = new Set<string>();
  private failures: { on: Kind; error: Error; match: (call: OutgoingMessage | OutgoingFile) => boolean }[] = [];

  /** The next call of that kind (matching `match`, if given) throws `error`; queued, in order. */
  failNext<K extends Kind>(
    on: K,
    error: Error,
    match: (call: K extends 'upload' ? OutgoingFile : OutgoingMessage) => boolean = () => true,
  ): void {
    this.failures.push({ on, error, match: match as (call: OutgoingMessage | OutgoingFile) => boolean });
  }

  async channelAccess(_workspaceId: string, channel: string): Promise<ChannelAccess> {
    return this.notInvitedTo.has(channel) ? 'needs-invite' : 'member';
  }

  async post(message: OutgoingMessage): Promise<PostedMessage> {
    if (this.notInvitedTo.has(message.channel)) throw new NotInChannelError(message.channel);
    this.maybeFail('post', message);
    this.posts.push({ ...message, at: this.now });
    return { channel: message.channel, ts: `${this.posts.length}.000100` };
  }

  async update(message: OutgoingMessage & { ts: string }): Promise<void> {
    this.maybeFail('update', message);
    this.updates.push({ ...message, at: this.now });
  }

  async upload(file: OutgoingFile): Promise<void> {
    if (this.notInvitedTo.has(file.channel)) throw new NotInChannelError(file.channel);
    this.maybeFail('upload', file);
    this.uploads.push({ ...file, at: this.now });
  }

  postsTo(channel: string): Recorded<OutgoingMessage>[] {
    return this.posts.filter((p) => p.channel === channel);
  }

  private maybeFail(on: Kind, call: OutgoingMessage | OutgoingFile): void {
    const i = this.failures.findIndex((f) => f.on === on && f.match(call));
    if (i >= 0) throw this.failures.splice(i, 1)[0]!.error;
  }
}
