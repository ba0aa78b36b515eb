// Work that follows an acknowledgement (computing readiness, posting cards,
// opening modals) runs through this queue rather than straight away. With
// SQLite every query runs synchronously on the event loop, so a burst of
// commands doing their slow work at once would hold back the acks of the
// requests still arriving; here jobs start one tick apart (setImmediate), with a
// small concurrency, and wait while requests are still being acknowledged (up
// to a bound, so a steady stream of requests cannot starve them).
import type { Logger } from '../logger.js';

export interface AfterAckQueue {
  run(job: () => Promise<void>): void;
  /** Resolves when every queued job has finished (or after timeoutMs). */
  drain(timeoutMs?: number): Promise<void>;
}

const MAX_DEFER_MS = 250;

export function createAfterAckQueue(logger: Logger, concurrency: number, acksPending: () => boolean = () => false): AfterAckQueue {
  const waiting: { job: () => Promise<void>; since: number }[] = [];
  let running = 0;
  let idle: (() => void)[] = [];
  let retry: NodeJS.Timeout | null = null;

  function pump() {
    while (running < concurrency && waiting.length > 0) {
      if (acksPending() && Date.now() - waiting[0]!.since < MAX_DEFER_MS) {
        retry ??= setTimeout(() => {
          retry = null;
          pump();
        }, 1);
        return;
      }
      const { job } = waiting.shift()!;
      running++;
      setImmediate(() => {
        job()
          .catch((err: unknown) => logger.error({ err }, 'work after a Slack ack failed'))
          .finally(() => {
            running--;
            if (running === 0 && waiting.length === 0) {
              for (const done of idle) done();
              idle = [];
            }
            pump();
          });
      });
    }
  }

  return {
    run(job) {
      waiting.push({ job, since: Date.now() });
      pump();
    },
    drain(timeoutMs = 10_000) {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
