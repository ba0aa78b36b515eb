// The send-once loop the delivery ticks share, on a real database: each item
// claimed and sent once, counted; one that throws does not stop the others; a
// 429 leaves its claim to be retried after the wait, not before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { deliverOnce, emptySummary, type Deliveries } from '../../src/jobs/deliver-once.js';
import { createLogger } from '../../src/logger.js';
import { RateLimitedError } from '../../src/notify/notifier.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';

describe(`deliverOnce (${testProvider()})`, () => {
  let t: TestDatabase;
  const t0 = new Date('2027-02-01T09:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.cleanup());

  /** Items named by their channel: "broken" cannot be read, "busy" answers 429 with a 60 s wait the first time. */
  function round(notifier: RecordingNotifier, channels: string[]): Deliveries<string> {
    return {
      due: channels,
      what: 'test message',
      about: (channel) => ({ channel }),
      deliver: async (channel, sendOnce) => {
        if (channel === 'broken') throw new Error('row cannot be read');
        return sendOnce({ kind: 'test', key: channel }, async () => {
          await notifier.post({ workspaceId: 'W', channel, text: `to ${channel}` });
        });
      },
    };
  }

  it('sends each item once; a throwing item is counted failed and the rest still go; a 429 is retried after its wait', async () => {
    const notifier = new RecordingNotifier();
    const deps = { db: t.db, notifier, logger: createLogger('silent'), config: loadConfig({}) };
    notifier.failNext('post', new RateLimitedError(60_000), (m) => m.channel === 'busy');
    const channels = ['C1', 'broken', 'busy', 'C2'];

    expect(await deliverOnce(deps, t0, round(notifier, channels), emptySummary())).toEqual({
      considered: 4,
      sent: 2,
      skipped: 0,
      failed: 2,
    });
    expect(notifier.posts.map((p) => p.channel)).toEqual(['C1', 'C2']);
    // Within the receiver's wait: nothing new; C1 and C2 are done.
    expect(await deliverOnce(deps, at(59), round(notifier, channels), emptySummary())).toMatchObject({ sent: 0, skipped: 3, failed: 1 });
    // After it: the rate-limited one goes, once.
    expect(await deliverOnce(deps, at(61), round(notifier, channels), emptySummary())).toMatchObject({ sent: 1, skipped: 2, failed: 1 });
    expect(notifier.posts.map((p) => p.channel)).toEqual(['C1', 'C2', 'busy']);
  });

  it('an item with nothing to deliver is not counted', async () => {
    const notifier = new RecordingNotifier();
    const deps = { db: t.db, notifier, logger: createLogger('silent'), config: loadConfig({}) };
    const summary = await deliverOnce(
      deps,
      t0,
      { due: ['nothing'], what: 'test message', about: () => ({}), deliver: async () => null },
      emptySummary(),
    );
    expect(summary).toEqual(emptySummary());
  });
});
