// Due-date reminders with a fake clock, and two processes ticking at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runLivingTick } from '../../src/jobs/living-tick.js';
import { runRemindersTick } from '../../src/jobs/reminders-tick.js';
import { setChannelThreads } from '../../src/services/set-channel-threads.js';
import { LogNotifier } from '../../src/notify/notifier.js';
import { seedMilestone, seedProject } from '../helpers/factories.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { runCli } from '../helpers/run-cli.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../helpers/slack-api-stand-in.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

describe('due-date reminders', () => {
  let t: TestDatabase;
  let slack: SlackApiStandIn;
  const logger = createLogger('silent');
  const config = loadConfig({});
  let notifier: RecordingNotifier;
  const tick = (iso: string) => runRemindersTick({ db: t.db, notifier, logger, config }, new Date(iso));

  beforeAll(async () => {
    t = await createTestDatabase();
    slack = await startSlackApiStandIn();
    const { project, workspace } = await seedProject(t, 'PAY', { slackChannelId: 'C1' });
    // Threads off in C1: each reminder is a message of its own, with the card.
    await setChannelThreads(t, { workspaceId: workspace.id, channelId: 'C1', threads: false });
    // Due at the end of 4 December in New York; 09:00 there is 14:00 UTC in December.
    await seedMilestone(t, project.id, '2.4', { dueDate: '2026-12-04', timeZone: 'America/New_York' });
    await seedMilestone(t, project.id, '2.3', { dueDate: '2026-12-04', timeZone: 'America/New_York', status: 'COMPLETED' });
    await seedMilestone(t, project.id, 'no date');
  });
  afterAll(async () => {
    await slack.close();
    await t.cleanup();
  });

  it('sends at each offset and daily while overdue, at 09:00 local, once per day', async () => {
    notifier = new RecordingNotifier();
    expect((await tick('2026-12-01T13:59:00Z')).sent).toBe(0); // 3 days out, but before 09:00 local
    expect(await tick('2026-12-01T14:00:00Z')).toMatchObject({ sent: 1, considered: 1 });
    expect(await tick('2026-12-01T20:00:00Z')).toMatchObject({ sent: 0, skipped: 1 });
    expect((await tick('2026-12-02T15:00:00Z')).considered).toBe(0); // 2 days out: no offset
    expect((await tick('2026-12-03T15:00:00Z')).sent).toBe(1);
    expect((await tick('2026-12-04T15:00:00Z')).sent).toBe(1);
    expect((await tick('2026-12-05T15:00:00Z')).sent).toBe(1);
    expect((await tick('2026-12-07T15:00:00Z')).sent).toBe(1);
    expect(notifier.posts.map((p) => p.text.split(/\.\s/)[0])).toEqual([
      '⏰ PAY/2.4 is due in 3 days',
      '⏰ PAY/2.4 is due tomorrow',
      '⏰ PAY/2.4 is due today',
      '🚨 PAY/2.4 is overdue by 1 day',
      '🚨 PAY/2.4 is overdue by 3 days',
    ]);
    expect(notifier.posts.every((p) => p.channel === 'C1')).toBe(true);
    // The card's buttons come with the reminder.
    expect(JSON.stringify(notifier.posts[0]!.blocks)).toContain('"type":"actions"');
  });

  it('follows REMINDER_OFFSETS: 7 days out and the due day, nothing at 3 days', async () => {
    notifier = new RecordingNotifier();
    const weekly = loadConfig({ REMINDER_OFFSETS: '7,0' });
    const at = (iso: string) => runRemindersTick({ db: t.db, notifier, logger, config: weekly }, new Date(iso));
    expect(await at('2026-11-27T14:00:00Z')).toMatchObject({ sent: 1, considered: 1 });
    expect((await at('2026-12-01T14:00:00Z')).considered).toBe(0);
    expect(notifier.posts.map((p) => p.text.split(/\.\s/)[0])).toEqual(['⏰ PAY/2.4 is due in 7 days']);
  });

  it('claims nothing while Slack is off, so reminders still go out once it is on', async () => {
    const summary = await runRemindersTick(
      { db: t.db, notifier: new LogNotifier(logger), logger, config },
      new Date('2026-12-08T15:00:00Z'),
    );
    expect(summary).toEqual({ considered: 0, sent: 0, skipped: 0, failed: 0 });
    expect(await t.prisma.claim.count({ where: { key: { endsWith: ':2026-12-08' } } })).toBe(0);
  });

  it('two `shipgate tick reminders` processes at the same moment post exactly one message', async () => {
    const env = {
      DATABASE_URL: t.url,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
    };
    const now = '2026-12-09T15:00:00Z';
    const [a, b] = await Promise.all([runCli(['tick', 'reminders', '--now', now], env), runCli(['tick', 'reminders', '--now', now], env)]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect([a.stdout, b.stdout].join('')).toMatch(/1 sent/);
    expect([a.stdout, b.stdout].join('')).toMatch(/0 sent, 1 already sent/);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('C1');
    expect(String(posts[0]!.body.text)).toMatch(/PAY\/2\.4 is overdue by 5 days/);
  });

  it('refuses an unknown job and a bad --now', async () => {
    const unknown = await runCli(['tick', 'gossip'], { DATABASE_URL: t.url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown job "gossip"; the jobs are: reminders/);
    const bad = await runCli(['tick', 'reminders', '--now', 'tomorrow'], { DATABASE_URL: t.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ISO-8601/);
  });
});

describe('due-date reminders in the living message', () => {
  let t: TestDatabase;
  const logger = createLogger('silent');
  const config = loadConfig({});
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.cleanup());

  it('with threads on (the default), the reminder is a reply in the thread of the living message', async () => {
    const { project } = await seedProject(t, 'SHOP', { slackChannelId: 'C2' });
    await seedMilestone(t, project.id, '1.0', { dueDate: '2026-12-04', timeZone: 'America/New_York' });
    const notifier = new RecordingNotifier();
    expect(await runRemindersTick({ db: t.db, notifier, logger, config }, new Date('2026-12-01T14:00:00Z'))).toMatchObject({ sent: 1 });
    expect(notifier.postsTo('C2')).toEqual([]);
    expect(await runLivingTick({ db: t.db, notifier, logger, config }, new Date('2026-12-01T14:00:01Z'))).toMatchObject({
      cardsPosted: 1,
      replies: 1,
    });
    const [card, reply] = notifier.postsTo('C2');
    expect(card!.threadTs).toBeUndefined();
    expect(reply).toMatchObject({ threadTs: '1.000100', text: '⏰ *SHOP/1.0* is due in 3 days.' });
  });
});
