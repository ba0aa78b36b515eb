// Two `shipgate serve` replicas on one database, schedules on, started at the
// same moment with a reminder, a digest (and its picture) and a stale-run nudge
// all due: each start catches up what was missed, and Slack (a local stand-in
// of its Web API) receives each delivery exactly once. The reminder goes, as
// threads are on by default, in the thread of the milestone's one living card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeChannel } from '../../src/services/subscribe-channel.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../helpers/slack-api-stand-in.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { waitUntil } from '../helpers/wait.js';

const DAY = 86_400_000;

describe(`two server replicas on one ${testProvider()} database`, () => {
  let t: TestDatabase;
  let slack: SlackApiStandIn;
  let replicas: ServerProcess[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    slack = await startSlackApiStandIn();
    const { workspace, project } = await seedProject(t, 'REP', { slackChannelId: 'C-PROJECT' });
    const now = Date.now();
    // Due in 3 calendar days (UTC): a reminder is due today from 00:00 on.
    const due = new Date(now + 3 * DAY).toISOString().slice(0, 10);
    const m = await seedMilestone(t, project.id, '3.0', { dueDate: due, timeZone: 'UTC', slackChannelId: 'C-RELEASE' });
    // A digest at 00:00 UTC every day: due since midnight, so caught up at start.
    await subscribeChannel(t, {
      workspaceId: workspace.id,
      channelId: 'C-DIGEST',
      target: { milestoneId: m.id },
      digestTime: '00:00',
      timeZone: 'UTC',
      weekdaysOnly: false,
    });
    // A run left open for two days by its owner.
    await seedRun(t, {
      projectId: project.id,
      name: 'manual pass',
      milestoneId: m.id,
      source: 'MANUAL',
      owner: 'U-OWNER',
      status: 'IN_PROGRESS',
      startedAt: new Date(now - 2 * DAY),
    });
  });
  afterAll(async () => {
    await Promise.all(replicas.filter((r) => r.child.exitCode === null).map((r) => r.stop('SIGKILL')));
    await slack.close();
    await t.cleanup();
  });

  it('each reminder, digest, picture and nudge is delivered once', async () => {
    const env = {
      DATABASE_URL: t.url,
      SLACK_BOT_TOKEN: 'xoxb-replicas',
      SLACK_SIGNING_SECRET: 'replica-secret',
      SLACK_API_URL: slack.apiUrl,
      DIGEST_TIME: '00:00',
      SCHEDULES: 'on',
    };
    replicas = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    // The living message: one top-level card in the milestone's channel, the reminder a reply in its thread.
    const expected = { card: 'C-RELEASE', reminder: 'C-RELEASE', digest: 'C-DIGEST', nudge: 'U-OWNER' };
    const posts = () => slack.callsTo('chat.postMessage').map((c) => c.body);
    const posted = () => posts().map((b) => String(b.channel));
    const reminders = () => posts().filter((b) => b.channel === 'C-RELEASE' && b.thread_ts !== undefined);
    const logs = () => replicas.map((r) => r.logs()).join('\n');
    await waitUntil(
      () =>
        ['C-DIGEST', 'U-OWNER'].every((c) => posted().includes(c)) &&
        reminders().length > 0 &&
        slack.callsTo('files.completeUploadExternal').length > 0,
      'every delivery made',
      { timeoutMs: 30_000 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${logs()}`);
    });
    // A replica stops only after its ticks under way (the start-up ones included)
    // have finished, so once both have exited, everything they sent is here.
    expect(await Promise.all(replicas.map((r) => r.stop()))).toEqual([0, 0]);
    expect(posted().sort(), logs()).toEqual(Object.values(expected).sort());
    const cards = posts().filter((b) => b.channel === 'C-RELEASE' && b.thread_ts === undefined);
    expect(cards).toHaveLength(1);
    expect(String(cards[0]!.text)).toContain('REP/3.0');
    const living = await t.prisma.livingMessage.findMany();
    expect(living).toHaveLength(1);
    expect(living[0]).toMatchObject({ channel: 'C-RELEASE', ts: expect.any(String) });
    expect(reminders()).toEqual([expect.objectContaining({ thread_ts: living[0]!.ts, text: '⏰ *REP/3.0* is due in 3 days.' })]);
    expect(slack.callsTo('chat.update'), 'the card is posted, not edited: one event').toEqual([]);
    expect(slack.callsTo('files.completeUploadExternal').map((c) => c.body.channel_id)).toEqual(['C-DIGEST']);
    const claims = await t.prisma.claim.findMany({ where: { sentAt: { not: null } }, select: { kind: true } });
    expect(claims.map((c) => c.kind).sort()).toEqual(['digest', 'digest-chart', 'nudge', 'reminder']);
    const events = await t.prisma.outboxItem.findMany({ where: { kind: 'living.event' }, select: { status: true } });
    expect(events).toEqual([{ status: 'DONE' }]);
  }, 60_000);
});
