// A Notifier that records what it was asked to send, with the tick's clock,
// and can be told to fail the next calls (429 with a wait, or a plain error).
import { RateLimitedError, type Notifier, type OutgoingFile, type OutgoingMessage } from '../../../src/notify/notifier.js';

export interface Recorded<T> {
  at: Date;
  message: T;
}

export class RecordingNotifier implements Notifier {
  readonly enabled = true;
  posts: Recorded<OutgoingMessage>[] = [];
  uploads: Recorded<OutgoingFile>[] = [];
  /** The clock of the tick in progress, stamped on each recorded call. */
  now = new Date(0);
  private failures: { on: 'post' | 'upload'; error: Error }[] = [];

  /** The next call of that kind fails with `error` (queued, in order). */
  failNext(on: 'post' | 'upload', error: Error): void {
    this.failures.push({ on, error });
  }

  static rateLimited(ms: number): Error {
    return new RateLimitedError(ms);
  }

  private maybeFail(on: 'post' | 'upload'): void {
    const i = this.failures.findIndex((f) => f.on === on);
    if (i >= 0) throw this.failures.splice(i, 1)[0]!.error;
  }

  async post(message: OutgoingMessage) {
    this.maybeFail('post');
    this.posts.push({ at: this.now, message });
    return { channel: message.channel, ts: `${this.posts.length}.0001` };
  }

  async update() {}

  async upload(file: OutgoingFile) {
    this.maybeFail('upload');
    this.uploads.push({ at: this.now, message: file });
  }

  postsTo(channel: string) {
    return this.posts.filter((p) => p.message.channel === channel);
  }
}
