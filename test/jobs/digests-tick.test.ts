// Go/no-go digests with a fake clock: local times across DST changes in two
// zones, the weekday rule, content (verdict, change since the last digest,
// blockers with Jira links, runs in progress, trend picture), retries after
// 429 and 500, a missed digest caught up once after a restart, and two
// processes ticking at the same moment on one database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runDigestsTick } from '../../src/jobs/digests-tick.js';
import { startSchedules } from '../../src/jobs/start-schedules.js';
import { JOBS } from '../../src/jobs/job-table.js';
import { RateLimitedError } from '../../src/notify/notifier.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { reportDefect } from '../../src/services/report-defect.js';
import { subscribeChannel } from '../../src/services/subscribe-channel.js';
import { localDate } from '../../src/domain/time.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { runCli } from '../helpers/run-cli.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../helpers/slack-api-stand-in.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

const LONG_AGO = new Date('2026-01-01T00:00:00Z');

describe(`digests (${testProvider()})`, () => {
  let t: TestDatabase;
  let slack: SlackApiStandIn;
  let workspaceId: string;
  let projectId: string;
  const logger = createLogger('silent');
  const config = loadConfig({});

  const tick = (notifier: RecordingNotifier, at: Date, catchUpMs?: number) => {
    notifier.now = at;
    return runDigestsTick({ db: t.db, notifier, logger, config }, at, catchUpMs ? { catchUpMs } : {});
  };

  async function milestone(name: string, timeZone = 'UTC') {
    const m = await seedMilestone(t, projectId, name, { timeZone, dueDate: '2027-06-30' });
    // Created long before the fake clock, whatever today's real date is.
    await t.prisma.milestone.update({ where: { id: m.id }, data: { createdAt: LONG_AGO } });
    return m;
  }

  /** A run of the milestone with `passed` then `failed` results (the same cases each time). */
  const results = (milestoneId: string, name: string, passed: number, failed: number, status: 'IN_PROGRESS' | 'COMPLETED' = 'COMPLETED') =>
    seedRun(t, { projectId, milestoneId, name, passed, failed, status, suite: 'suite' });

  beforeAll(async () => {
    t = await createTestDatabase();
    slack = await startSlackApiStandIn();
    const seeded = await seedProject(t, 'PAY');
    workspaceId = seeded.workspace.id;
    projectId = seeded.project.id;
  });
  // Each test speaks only of its own subscriptions.
  afterEach(async () => {
    await t.prisma.subscription.deleteMany();
  });
  afterAll(async () => {
    await slack.close();
    await t.cleanup();
  });

  it('arrives at 09:00 local on both sides of a DST change, in New York and Berlin; weekdays only when asked', async () => {
    const m = await milestone('dst');
    await results(m.id, 'dst run', 10, 0);
    await subscribeChannel(t, {
      workspaceId,
      channelId: 'C-NY',
      target: { milestoneId: m.id },
      digestTime: '09:00',
      timeZone: 'America/New_York',
      weekdaysOnly: true,
    });
    await subscribeChannel(t, {
      workspaceId,
      channelId: 'C-BER',
      target: { milestoneId: m.id },
      digestTime: '09:00',
      timeZone: 'Europe/Berlin',
      weekdaysOnly: false,
    });
    const notifier = new RecordingNotifier();
    // New York springs forward on Sunday 14 March 2027, Berlin on Sunday 28 March.
    // Every five minutes from 05:00 to 15:00 UTC of each day (09:00 local is on a
    // five-minute boundary in UTC in both zones); the walk skips the other
    // hours, so the catch-up window is narrowed to keep them from being caught up.
    const days = ['2027-03-12', '2027-03-13', '2027-03-14', '2027-03-15', '2027-03-27', '2027-03-28', '2027-03-29'];
    for (const day of days) {
      for (let minute = 5 * 60; minute <= 15 * 60; minute += 5) {
        await tick(notifier, new Date(Date.parse(`${day}T00:00:00Z`) + minute * 60_000), 60_000);
      }
    }
    const local = (at: Date, tz: string) =>
      `${localDate(at, tz)} ${new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at)}`;
    const ny = notifier.postsTo('C-NY').map((p) => local(p.at, 'America/New_York'));
    const berlin = notifier.postsTo('C-BER').map((p) => local(p.at, 'Europe/Berlin'));
    // Weekdays only in New York: nothing on Saturday 13 and Sunday 14.
    expect(ny).toEqual(['2027-03-12 09:00', '2027-03-15 09:00', '2027-03-29 09:00']);
    expect(berlin).toEqual(days.map((d) => `${d} 09:00`));
    // The same local time is a different UTC hour on each side of the change.
    const utcHours = (channel: string) => notifier.postsTo(channel).map((p) => p.at.getUTCHours());
    expect(new Set(utcHours('C-NY').slice(0, 2)).size).toBe(2);
    expect(utcHours('C-BER')[4]).not.toBe(utcHours('C-BER')[5]);
    // Each digest came with its picture.
    expect(notifier.uploads).toHaveLength(ny.length + berlin.length);
  }, 120_000);

  it('shows verdict, reasons, blockers with Jira links, runs in progress, the change since the last digest and the trend', async () => {
    const m = await milestone('2.4');
    await results(m.id, 'first run', 18, 2);
    await results(m.id, 'manual pass', 0, 0, 'IN_PROGRESS');
    const defect = await reportDefect(t, { projectId, milestoneId: m.id, title: 'Checkout fails on Safari', severity: 'CRITICAL' });
    await t.prisma.defect.update({ where: { id: defect.id }, data: { jiraKey: 'PAY-42', jiraUrl: 'https://jira.example/browse/PAY-42' } });
    await subscribeChannel(t, {
      workspaceId,
      channelId: 'C-24',
      target: { milestoneId: m.id },
      digestTime: '09:00',
      timeZone: 'UTC',
      weekdaysOnly: false,
    });
    const notifier = new RecordingNotifier();

    const day1 = new Date('2027-05-03T09:00:00Z');
    const before = await getReadiness({ db: t.db, now: () => day1 }, m.id);
    expect(await tick(notifier, day1)).toMatchObject({ sent: 1, pictures: 1, failed: 0 });
    const first = notifier.postsTo('C-24')[0]!;
    const body = JSON.stringify(first.blocks);
    expect(first.text).toContain('PAY/2.4');
    expect(body).toContain('NO-GO');
    for (const reason of before.reasons)
      expect(body).toContain(reason.message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').slice(0, 40));
    expect(body).toContain('<https://jira.example/browse/PAY-42|PAY-42>');
    expect(body).toContain('manual pass');
    expect(body).toContain('Runs in progress (1)');
    expect(body).not.toContain('since the last digest'); // nothing to compare with yet
    expect(body).not.toContain('Since the last digest');
    const png = notifier.uploads[0]!.content;
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(notifier.uploads[0]!.channel).toBe('C-24');

    // Overnight more tests pass; the next digest shows the change.
    const overnight = { db: t.db, now: () => new Date('2027-05-03T20:00:00Z') };
    await seedRun(overnight, { projectId, milestoneId: m.id, name: 'second run', passed: 20, failed: 0, suite: 'suite' });
    const day2 = new Date('2027-05-04T09:00:00Z');
    const after = await getReadiness({ db: t.db, now: () => day2 }, m.id);
    expect(await tick(notifier, day2)).toMatchObject({ sent: 1, pictures: 1 });
    const second = JSON.stringify(notifier.postsTo('C-24')[1]!.blocks);
    const points = Math.round((after.metrics.passRate! - before.metrics.passRate!) * 1000) / 10;
    expect(points).toBeGreaterThan(0);
    expect(second).toContain(`▲ +${Number.isInteger(points) ? points : points.toFixed(1)} pts since the last digest`);
    // It leads with what changed since the last digest, from the result history.
    expect(second).toContain(
      ':arrows_counterclockwise: Since the last digest (2027-05-03 09:00 UTC): 2 newly passing in default · still NO-GO',
    );
    expect(after.reasons.map((r) => r.code)).not.toContain('PASS_RATE_BELOW_THRESHOLD');
    // Snapshots in the database, so the trend survives a restart: the day
    // before the first digest (written at its first tick), and what each digest showed.
    const snapshots = await t.prisma.readinessSnapshot.findMany({ where: { milestoneId: m.id }, orderBy: { day: 'asc' } });
    expect(snapshots.map((s) => s.day)).toEqual(['2027-05-02', '2027-05-03', '2027-05-04']);
    expect(snapshots[1]!.passRate).toBeCloseTo(before.metrics.passRate!, 6);
    expect(snapshots[2]!.passRate).toBeCloseTo(after.metrics.passRate!, 6);
    // Three known days in the sparkline, the 11 before them gaps.
    expect(second).toMatch(/pass rate `·{11}[▁▂▃▄▅▆▇█]{3}`/);
  }, 60_000);

  it('a 429 is retried after the wait and a 500 after the lease: delivered once, later', async () => {
    const m = await milestone('retry');
    await results(m.id, 'retry run', 5, 0);
    await subscribeChannel(t, {
      workspaceId,
      channelId: 'C-RETRY',
      target: { milestoneId: m.id },
      digestTime: '10:00',
      timeZone: 'UTC',
      weekdaysOnly: false,
    });
    const notifier = new RecordingNotifier();
    const at = (iso: string) => new Date(iso);

    notifier.failNext('post', new RateLimitedError(90_000));
    expect(await tick(notifier, at('2027-05-10T10:00:00Z'))).toMatchObject({ sent: 0, failed: 1 });
    expect((await tick(notifier, at('2027-05-10T10:01:00Z'))).sent).toBe(0); // still within Retry-After
    expect(await tick(notifier, at('2027-05-10T10:02:00Z'))).toMatchObject({ sent: 1, pictures: 1 });
    expect((await tick(notifier, at('2027-05-10T10:03:00Z'))).sent).toBe(0);

    notifier.failNext('post', new Error('Slack answered 500'));
    expect(await tick(notifier, at('2027-05-11T10:00:00Z'))).toMatchObject({ sent: 0, failed: 1 });
    expect((await tick(notifier, at('2027-05-11T10:01:00Z'))).sent).toBe(0); // the lease has not ended
    expect((await tick(notifier, at('2027-05-11T10:06:00Z'))).sent).toBe(1);

    // A failed upload is retried without posting the message again.
    notifier.failNext('upload', new Error('upload failed'));
    expect(await tick(notifier, at('2027-05-12T10:00:00Z'))).toMatchObject({ sent: 1, pictures: 0, failed: 1 });
    expect(await tick(notifier, at('2027-05-12T10:06:00Z'))).toMatchObject({ sent: 0, pictures: 1 });

    const posts = notifier.postsTo('C-RETRY');
    expect(posts.map((p) => p.at.toISOString())).toEqual([
      '2027-05-10T10:02:00.000Z',
      '2027-05-11T10:06:00.000Z',
      '2027-05-12T10:00:00.000Z',
    ]);
    expect(notifier.uploads.filter((u) => u.channel === 'C-RETRY')).toHaveLength(3);
  });

  it('a digest missed while every replica was down is caught up once at the next start', async () => {
    const m = await milestone('restart');
    await results(m.id, 'restart run', 5, 1);
    await subscribeChannel(t, {
      workspaceId,
      channelId: 'C-DOWN',
      target: { milestoneId: m.id },
      digestTime: '09:00',
      timeZone: 'UTC',
      weekdaysOnly: false,
    });
    const notifier = new RecordingNotifier();
    // Down from before 09:00 on the 17th until 08:30 on the 18th.
    const restartAt = new Date('2027-05-18T08:30:00Z');
    notifier.now = restartAt;
    const deps = { config, logger, db: t.db, notifier, now: () => restartAt, jiraCheck: null };
    const digests = JOBS.filter((j) => j.name === 'digests');
    for (let start = 0; start < 2; start++) {
      const schedules = startSchedules(deps, digests);
      // The start-up tick has finished: whatever it was going to send, it has sent.
      await schedules.caughtUp;
      await schedules.stop();
    }
    expect(notifier.postsTo('C-DOWN')).toHaveLength(1);
    expect(notifier.postsTo('C-DOWN')[0]!.blocks![0]).toMatchObject({ text: { text: expect.stringContaining('2027-05-17') } });
    // Today's digest still comes at its own time.
    expect((await tick(notifier, new Date('2027-05-18T08:59:00Z'))).sent).toBe(0);
    expect((await tick(notifier, new Date('2027-05-18T09:00:00Z'))).sent).toBe(1);
  });

  it('a project subscription lists its active milestones; archived ones leave it', async () => {
    const other = await seedProject(t, 'WEB');
    const a = await seedMilestone(t, other.project.id, 'web-1');
    const b = await seedMilestone(t, other.project.id, 'web-2');
    await seedMilestone(t, other.project.id, 'web-old', { status: 'ARCHIVED' });
    // A milestone whose stored scope cannot be read: it is left out, the digest still goes.
    const broken = await seedMilestone(t, other.project.id, 'web-broken');
    await t.prisma.milestone.update({ where: { id: broken.id }, data: { scope: '{not json' } });
    await t.prisma.milestone.updateMany({ where: { id: { in: [a.id, b.id, broken.id] } }, data: { createdAt: LONG_AGO } });
    await subscribeChannel(t, {
      workspaceId: other.workspace.id,
      channelId: 'C-WEB',
      target: { projectId: other.project.id },
      digestTime: '09:00',
      timeZone: 'UTC',
      weekdaysOnly: false,
    });
    const notifier = new RecordingNotifier();
    expect(await tick(notifier, new Date('2027-05-20T09:00:00Z'))).toMatchObject({ sent: 1, failed: 0 });
    const [post] = notifier.postsTo('C-WEB');
    const body = JSON.stringify(post!.blocks);
    expect(body).toContain('WEB/web-1');
    expect(body).toContain('WEB/web-2');
    expect(body).not.toContain('web-old');
    expect(body).not.toContain('web-broken');
    expect(body).toContain('2 active milestones');
  });

  it('two `shipgate tick digests` processes at the same moment post exactly one message and one picture each', async () => {
    const m = await milestone('race');
    await results(m.id, 'race run', 9, 1);
    await subscribeChannel(t, {
      workspaceId,
      channelId: 'C-RACE',
      target: { milestoneId: m.id },
      digestTime: '09:00',
      timeZone: 'UTC',
      weekdaysOnly: false,
    });
    await subscribeChannel(t, {
      workspaceId,
      channelId: 'C-RACE2',
      target: { projectId },
      digestTime: '09:00',
      timeZone: 'UTC',
      weekdaysOnly: false,
    });
    const env = { DATABASE_URL: t.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl };
    const now = '2027-06-01T09:00:30Z';
    slack.reset();
    const [a, b] = await Promise.all([runCli(['tick', 'digests', '--now', now], env), runCli(['tick', 'digests', '--now', now], env)]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((p) => p.body.channel).sort()).toEqual(['C-RACE', 'C-RACE2']);
    expect(
      slack
        .callsTo('files.completeUploadExternal')
        .map((c) => c.body.channel_id)
        .sort(),
    ).toEqual(['C-RACE', 'C-RACE2']);
    expect(`${a.stdout}${b.stdout}`).toMatch(/digests at 2027-06-01T09:00:30.000Z: \d sent/);
  }, 60_000);
});
