// Work that follows an acknowledgement (computing readiness, posting cards,
// opening modals) runs through this queue rather than straight away. With
// SQLite every query runs synchronously on the event loop, so a burst of
// commands doing their slow work at once would hold back the acks of the
// requests still arriving; here jobs start one tick apart (setImmediate), with a
// small concurrency, and wait while requests are still being acknowledged (up
// to a bound, so a steady stream of requests cannot starve them).
//
// The queue also knows when Slack's work is done: `idle()` resolves once no
// listener is running (one may be about to queue work: Bolt answers an event
// before its listener runs) and nothing is queued or running. Shutdown waits
// for it; tests await it instead of sleeping before they check what happened.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logger.js';

export interface AfterAckQueue {
  run(job: () => Promise<void>): void;
  /** Global Bolt middleware, registered first: counts listeners under way for idle(). */
  readonly tracker: Middleware<AnyMiddlewareArgs>;
  /** Resolves when no listener is running and every queued job has finished (at once if so already). */
  idle(): Promise<void>;
  /** idle(), but resolves after timeoutMs at the latest (a shutdown must not hang on a stuck job). */
  drain(timeoutMs?: number): Promise<void>;
}

const MAX_DEFER_MS = 250;

export function createAfterAckQueue(logger: Logger, concurrency: number, acksPending: () => boolean = () => false): AfterAckQueue {
  const waiting: { job: () => Promise<void>; since: number }[] = [];
  let running = 0;
  let listening = 0;
  let whenIdle: (() => void)[] = [];
  let retry: NodeJS.Timeout | null = null;

  const isIdle = () => listening === 0 && running === 0 && waiting.length === 0;
  function settle() {
    if (!isIdle()) return;
    for (const done of whenIdle) done();
    whenIdle = [];
  }

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
            pump();
            settle();
          });
      });
    }
  }

  function idle(): Promise<void> {
    if (isIdle()) return Promise.resolve();
    return new Promise<void>((resolve) => whenIdle.push(resolve));
  }

  return {
    run(job) {
      waiting.push({ job, since: Date.now() });
      pump();
    },
    tracker: async ({ next }) => {
      listening++;
      try {
        await next();
      } finally {
        listening--;
        settle();
      }
    },
    idle,
    drain(timeoutMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      });
      return Promise.race([idle(), late]).finally(() => clearTimeout(timer));
    },
  };
}
