// Stale-run nudges with a fake clock: after the threshold, once per window,
// to the owner or else the channel, the three buttons, snooze respected, none
// for finished runs or archived milestones, and two processes ticking at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runNudgesTick } from '../../src/jobs/nudges-tick.js';
import { snoozeTestRun } from '../../src/services/snooze-test-run.js';
import { updateTestRun } from '../../src/services/update-test-run.js';
import { ACTIONS } from '../../src/messages/action-ids.js';
import { seedMilestone, seedProject, seedRun, TEST_OPERATOR } from '../helpers/factories.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { runCli } from '../helpers/run-cli.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../helpers/slack-api-stand-in.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

const HOUR = 3_600_000;

describe(`stale-run nudges (${testProvider()})`, () => {
  let t: TestDatabase;
  let slack: SlackApiStandIn;
  let projectId: string;
  let milestoneId: string;
  const logger = createLogger('silent');
  const config = loadConfig({});
  const started = new Date('2026-12-01T10:00:00Z');
  const after = (hours: number) => new Date(started.getTime() + hours * HOUR);
  const tick = (notifier: RecordingNotifier, at: Date) => {
    notifier.now = at;
    return runNudgesTick({ db: t.db, notifier, logger, config }, at);
  };
  const run = (name: string, data: { owner?: string; status?: 'IN_PROGRESS' | 'COMPLETED'; milestoneId?: string } = {}) =>
    seedRun(t, {
      projectId,
      name,
      milestoneId: data.milestoneId ?? milestoneId,
      source: 'MANUAL',
      owner: data.owner,
      status: data.status ?? 'IN_PROGRESS',
      startedAt: started,
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    slack = await startSlackApiStandIn();
    projectId = (await seedProject(t, 'PAY', { slackChannelId: 'C-PROJECT' })).project.id;
    milestoneId = (await seedMilestone(t, projectId, '2.4', { slackChannelId: 'C-MILESTONE' })).id;
  });
  afterAll(async () => {
    await slack.close();
    await t.cleanup();
  });

  it('nudges the owner once per 24 h window with Complete / Abort / Snooze, and respects a snooze', async () => {
    const owned = await run('manual regression', { owner: 'U-OWNER' });
    const orphan = await run('exploratory');
    await run('finished', { status: 'COMPLETED' });
    const archived = await seedMilestone(t, projectId, 'old', { status: 'ARCHIVED' });
    await run('forgotten in an archived milestone', { milestoneId: archived.id });
    const notifier = new RecordingNotifier();

    expect((await tick(notifier, after(23.9))).considered).toBe(0);
    expect(await tick(notifier, after(24))).toMatchObject({ sent: 2, considered: 2 });
    expect(await tick(notifier, after(30))).toMatchObject({ sent: 0, skipped: 2 });
    const dm = notifier.postsTo('U-OWNER');
    expect(dm).toHaveLength(1);
    expect(dm[0]!.text).toContain('manual regression');
    expect(dm[0]!.text).toContain('24 hours');
    const actions = (dm[0]!.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find(
      (b) => b.type === 'actions',
    )!;
    expect(actions.elements!.map((e) => e.action_id)).toEqual([ACTIONS.nudgeComplete, ACTIONS.nudgeAbort, ACTIONS.nudgeSnooze]);
    expect(actions.elements!.every((e) => e.value === owned.id)).toBe(true);
    // Without an owner, the milestone's channel hears about it.
    expect(notifier.postsTo('C-MILESTONE').map((p) => p.text)).toEqual([expect.stringContaining('exploratory')]);

    // Still open a day later: nudged again, once.
    expect((await tick(notifier, after(48))).sent).toBe(2);
    expect((await tick(notifier, after(49))).sent).toBe(0);

    // Snoozed for 24 h at hour 50 (as the Snooze button does): quiet until it ends, then one nudge.
    await snoozeTestRun({ db: t.db, now: () => after(50) }, { projectId, runId: owned.id });
    await updateTestRun({ db: t.db, now: () => after(50) }, { projectId, runId: orphan.id, status: 'COMPLETED', actor: TEST_OPERATOR });
    expect((await tick(notifier, after(72))).sent).toBe(0);
    expect((await tick(notifier, after(73.9))).sent).toBe(0);
    expect((await tick(notifier, after(74))).sent).toBe(1);
    expect((await tick(notifier, after(75))).sent).toBe(0);
    expect(notifier.postsTo('U-OWNER').map((p) => p.at.toISOString())).toEqual(
      [after(24), after(48), after(74)].map((d) => d.toISOString()),
    );
    expect(notifier.posts.some((p) => /finished|archived/.test(p.text))).toBe(false);
  });

  it('follows STALE_RUN_HOURS: a 6-hour threshold nudges after 6 hours, not before', async () => {
    await t.prisma.testRun.updateMany({ data: { status: 'COMPLETED' } });
    await run('six-hour soak', { owner: 'U-SOAK' });
    const notifier = new RecordingNotifier();
    const short = { db: t.db, notifier, logger, config: loadConfig({ STALE_RUN_HOURS: '6' }) };
    expect((await runNudgesTick(short, after(5.9))).considered).toBe(0);
    expect(await runNudgesTick(short, after(6))).toMatchObject({ sent: 1, considered: 1 });
    expect(notifier.posts.map((p) => p.channel)).toEqual(['U-SOAK']);
    expect(notifier.posts[0]!.text).toContain('6 hours');
  });

  it('two `shipgate tick nudges` processes at the same moment post exactly one nudge per run', async () => {
    await t.prisma.testRun.updateMany({ data: { status: 'COMPLETED' } });
    const stale = await run('nightly e2e', { owner: 'U-RACE' });
    const env = { DATABASE_URL: t.url, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl };
    const now = after(26).toISOString();
    const [a, b] = await Promise.all([runCli(['tick', 'nudges', '--now', now], env), runCli(['tick', 'nudges', '--now', now], env)]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const posts = slack.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.channel).toBe('U-RACE');
    expect(JSON.stringify(posts[0]!.body.blocks)).toContain(stale.id);
  }, 30_000);
});
