// A digest's trend picture arrives wherever the digest does, through the real
// Slack notifier against the Web API stand-in (which, like Slack, refuses files
// in channels the bot is not a member of): a public channel the bot was never
// invited to is joined before the first upload; a private one gets the digest
// with a note to `/invite @Shipgate`, or, when the bot cannot post there at all,
// the subscriber is told once by direct message; a picture that keeps failing
// is not given up silently: the channel is told once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runDigestsTick } from '../../src/jobs/digests-tick.js';
import { createLogger } from '../../src/logger.js';
import { subscribeChannel } from '../../src/services/subscribe-channel.js';
import { SlackNotifier } from '../../src/slack/slack-notifier.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../helpers/slack-api-stand-in.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

const SUBSCRIBER = 'U0SUBSCRIBER';

describe(`digest pictures (${testProvider()})`, () => {
  let t: TestDatabase;
  let slack: SlackApiStandIn;
  let workspaceId: string;
  let milestoneId: string;
  const logger = createLogger('silent');

  beforeAll(async () => {
    t = await createTestDatabase();
    slack = await startSlackApiStandIn();
    const seeded = await seedProject(t, 'PAY');
    workspaceId = seeded.workspace.id;
    const m = await seedMilestone(t, seeded.project.id, '2.4', { dueDate: '2027-06-30' });
    milestoneId = m.id;
    await seedRun(t, { projectId: seeded.project.id, milestoneId, passed: 9, failed: 1 });
  });
  afterEach(async () => {
    await t.prisma.subscription.deleteMany();
    slack.reset();
  });
  afterAll(async () => {
    await slack.close();
    await t.cleanup();
  });

  /** A fresh notifier each time: a restarted process knows nothing about memberships. */
  function tick(at: string) {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl });
    const notifier = new SlackNotifier(config, t.db);
    return runDigestsTick({ db: t.db, notifier, logger, config }, new Date(at));
  }

  const subscribe = (channelId: string) =>
    subscribeChannel(t, {
      workspaceId,
      channelId,
      target: { milestoneId },
      digestTime: '09:00',
      timeZone: 'UTC',
      weekdaysOnly: false,
      createdBy: SUBSCRIBER,
    });

  it('a public channel the bot never joined: it joins, and the picture arrives after the digest', async () => {
    await subscribe('C-PUBLIC');
    expect(await tick('2027-06-01T09:00:10Z')).toMatchObject({ sent: 1, pictures: 1, failed: 0 });
    const order = slack.calls.map((c) => c.method).filter((m) => m !== 'upload' && m !== 'files.getUploadURLExternal');
    // Membership is settled before the digest, so the digest can say when its picture cannot come.
    expect(order).toEqual(['conversations.info', 'conversations.join', 'chat.postMessage', 'files.completeUploadExternal']);
    expect(slack.members.has('C-PUBLIC')).toBe(true);
    const digest = slack.callsTo('chat.postMessage')[0]!;
    expect(JSON.stringify(digest.body)).not.toContain('/invite');
  });

  it('a private channel the bot was invited to: the picture arrives, nothing is joined', async () => {
    slack.privateChannels.add('C-INVITED');
    slack.members.add('C-INVITED');
    await subscribe('C-INVITED');
    expect(await tick('2027-06-02T09:00:10Z')).toMatchObject({ sent: 1, pictures: 1, failed: 0 });
    expect(slack.callsTo('conversations.join')).toEqual([]);
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('a private channel the bot cannot post to: the subscriber is told once, in words, to /invite it', async () => {
    slack.privateChannels.add('G-SECRET');
    await subscribe('G-SECRET');
    const first = await tick('2027-06-03T09:00:10Z');
    expect(first).toMatchObject({ sent: 0, failed: 1 });
    // Retries after the claim's lease, and the next days: still one message to the subscriber.
    await tick('2027-06-03T09:10:10Z');
    await tick('2027-06-04T09:00:10Z');
    const dms = slack.callsTo('chat.postMessage').filter((c) => c.body.channel === SUBSCRIBER);
    expect(dms).toHaveLength(1);
    expect(JSON.stringify(dms[0]!.body)).toContain('/invite @Shipgate');
    expect(JSON.stringify(dms[0]!.body)).toContain('PAY/2.4');
    expect(slack.callsTo('files.completeUploadExternal')).toEqual([]);
  });

  it('a picture that keeps failing is not given up silently: the channel is told once', async () => {
    slack.members.add('C-BROKEN');
    await subscribe('C-BROKEN');
    slack.respond('files.completeUploadExternal', () => ({ body: { ok: false, error: 'internal_error' } }));
    // Ten attempts, each after the claim's five-minute lease, then two more ticks.
    for (let i = 0; i < 12; i++) await tick(new Date(Date.parse('2027-06-05T09:00:10Z') + i * 6 * 60_000).toISOString());
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(10);
    const notes = slack.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.body).includes('trend picture'));
    expect(notes).toHaveLength(1);
    expect(JSON.stringify(notes[0]!.body)).toContain('internal_error');
  }, 60_000);

  it('a 429 on the upload is retried after Retry-After, and the picture then arrives', async () => {
    slack.members.add('C-BUSY');
    await subscribe('C-BUSY');
    slack.rateLimitNext('files.getUploadURLExternal', 30);
    expect(await tick('2027-06-06T09:00:10Z')).toMatchObject({ sent: 1, pictures: 0, failed: 1 });
    expect(await tick('2027-06-06T09:00:20Z')).toMatchObject({ pictures: 0 });
    expect(await tick('2027-06-06T09:00:45Z')).toMatchObject({ pictures: 1 });
  });
});
