// Two `shipgate serve` replicas on one database, schedules on, started at the
// same moment with a reminder, a digest (and its picture) and a stale-run nudge
// all due: each start catches up what was missed, and Slack (a local stand-in
// of its Web API) receives each delivery exactly once.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMilestone } from '../../src/services/create-milestone.js';
import { openTestRun } from '../../src/services/open-test-run.js';
import { subscribeChannel } from '../../src/services/subscribe-channel.js';
import { seedProject } from '../helpers/api-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../helpers/slack-api-stand-in.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

const DAY = 86_400_000;

describe(`two server replicas on one ${testProvider()} database`, () => {
  let t: TestDatabase;
  let slack: SlackApiStandIn;
  let replicas: ServerProcess[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    slack = await startSlackApiStandIn();
    const { workspace, project } = await seedProject(t, 'REP');
    await t.prisma.project.update({ where: { id: project.id }, data: { slackChannelId: 'C-PROJECT' } });
    const now = Date.now();
    // Due in 3 calendar days (UTC): a reminder is due today from 00:00 on.
    const due = new Date(now + 3 * DAY).toISOString().slice(0, 10);
    const m = await createMilestone(t, { projectId: project.id, name: '3.0', dueDate: due, timeZone: 'UTC' });
    await t.prisma.milestone.update({ where: { id: m.id }, data: { slackChannelId: 'C-RELEASE' } });
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
    const { run } = await openTestRun(t, {
      projectId: project.id,
      name: 'manual pass',
      milestoneId: m.id,
      source: 'MANUAL',
      ownerSlackUserId: 'U-OWNER',
    });
    await t.prisma.testRun.update({ where: { id: run.id }, data: { startedAt: new Date(now - 2 * DAY) } });
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
    const expected = { reminder: 'C-RELEASE', digest: 'C-DIGEST', nudge: 'U-OWNER' };
    const posted = () => slack.callsTo('chat.postMessage').map((c) => String(c.body.channel));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const channels = posted();
      if (Object.values(expected).every((c) => channels.includes(c)) && slack.callsTo('files.completeUploadExternal').length > 0) break;
      await delay(100);
    }
    // Both replicas have run their start-up ticks; give a late duplicate the chance to show.
    await delay(1_500);
    expect(posted().sort(), replicas.map((r) => r.logs()).join('\n')).toEqual(Object.values(expected).sort());
    expect(slack.callsTo('files.completeUploadExternal').map((c) => c.body.channel_id)).toEqual(['C-DIGEST']);
    const claims = await t.prisma.claim.findMany({ where: { sentAt: { not: null } }, select: { kind: true } });
    expect(claims.map((c) => c.kind).sort()).toEqual(['digest', 'digest-chart', 'nudge', 'reminder']);
    expect((await Promise.all(replicas.map((r) => r.stop()))).every((code) => code === 0)).toBe(true);
  }, 60_000);
});
