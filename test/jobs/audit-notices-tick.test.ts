// The notices tick on a real database: a gate change's notice waits while Slack
// is off, goes to the milestone's channel (else the project's) once, is retried
// after a failure and after a 429 no sooner than Slack asked, and is dropped
// when it has no channel or is a day old.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { LogNotifier, RateLimitedError } from '../../src/notify/notifier.js';
import { NOTICE_MAX_AGE_MS, runAuditNoticesTick } from '../../src/jobs/audit-notices-tick.js';
import { runLivingTick } from '../../src/jobs/living-tick.js';
import { setChannelThreads } from '../../src/services/set-channel-threads.js';
import { createLogger } from '../../src/logger.js';
import { updateMilestone } from '../../src/services/update-milestone.js';
import { updateProject } from '../../src/services/update-project.js';
import { seedMilestone, seedProject, TEST_OPERATOR, uniqueProjectKey } from '../helpers/factories.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

describe(`audit notices tick (${testProvider()})`, () => {
  let t: TestDatabase;
  const logger = createLogger('silent');
  const config = loadConfig({});
  const t0 = new Date('2030-02-01T09:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
  const tick = (notifier: RecordingNotifier | LogNotifier, now: Date) => runAuditNoticesTick({ db: t.db, notifier, logger, config }, now);

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.cleanup());

  /** A gate change; the channels have threads off (their own message each) unless `threads` says otherwise. */
  async function gateChange(o: { milestoneChannel: string | null; projectChannel: string | null; threads?: boolean }) {
    const key = uniqueProjectKey();
    const { project, workspace } = await seedProject(t, key, {
      teamId: `T${key}`,
      ...(o.projectChannel ? { slackChannelId: o.projectChannel } : {}),
    });
    for (const channelId of [o.milestoneChannel, o.projectChannel])
      if (channelId) await setChannelThreads(t, { workspaceId: workspace.id, channelId, threads: o.threads ?? false });
    const m = await seedMilestone(t, project.id, '1.0', { slackChannelId: o.milestoneChannel });
    await updateMilestone(
      { db: t.db, now: () => t0 },
      { milestoneId: m.id, patch: { gate: { passRateThreshold: 0.5 } }, actor: TEST_OPERATOR },
    );
    return { project, m };
  }

  it('waits while Slack is off, then goes once to the milestone channel; a failure is retried later', async () => {
    const { project } = await gateChange({ milestoneChannel: 'C-M', projectChannel: 'C-P' });
    expect(await tick(new LogNotifier(logger), at(1))).toMatchObject({ slackOff: true, claimed: 0 });
    const notifier = new RecordingNotifier();
    notifier.failNext('post', new Error('socket hang up'));
    expect(await tick(notifier, at(2))).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    // Not due again before its backoff (15 s for the first retry).
    expect(await tick(notifier, at(10))).toMatchObject({ claimed: 0 });
    expect(await tick(notifier, at(20))).toMatchObject({ claimed: 1, sent: 1 });
    expect(notifier.posts.map((p) => [p.channel, p.text])).toEqual([
      ['C-M', `:triangular_ruler: Gate of ${project.key}/1.0 changed by the shipgate CLI (test):\n• pass rate: inherited → 50%`],
    ]);
    expect(await tick(notifier, at(60))).toMatchObject({ claimed: 0 });
  });

  it("a 429 waits as long as Slack asks; a project's change goes to the project's channel", async () => {
    const { project } = await gateChange({ milestoneChannel: null, projectChannel: 'C-P2' });
    await updateProject({ db: t.db, now: () => t0 }, { projectId: project.id, patch: { gate: { minExecuted: 10 } }, actor: TEST_OPERATOR });
    const notifier = new RecordingNotifier();
    notifier.failNext('post', new RateLimitedError(120_000));
    // The rate limit stops the tick: the second notice waits for the next one.
    expect(await tick(notifier, at(1))).toMatchObject({ claimed: 1, retried: 1 });
    expect(await tick(notifier, at(60))).toMatchObject({ claimed: 1, sent: 1 });
    expect(await tick(notifier, at(122))).toMatchObject({ claimed: 1, sent: 1 });
    expect(notifier.posts.map((p) => p.channel)).toEqual(['C-P2', 'C-P2']);
    expect(notifier.posts.some((p) => p.text.includes(`Gate defaults of ${project.key} changed`))).toBe(true);
  });

  it("with threads on (the default), a milestone's change is a reply in the thread of its living message", async () => {
    const { project, m } = await gateChange({ milestoneChannel: 'C-LIVE', projectChannel: null, threads: true });
    const notifier = new RecordingNotifier();
    expect(await tick(notifier, at(1))).toMatchObject({ claimed: 1, sent: 1 });
    expect(notifier.posts).toEqual([]);
    expect(await runLivingTick({ db: t.db, notifier, logger, config }, at(2))).toMatchObject({ cardsPosted: 1, replies: 1 });
    const [card, reply] = notifier.postsTo('C-LIVE');
    expect(card!.threadTs).toBeUndefined();
    expect(reply).toMatchObject({
      threadTs: '1.000100',
      text: `:triangular_ruler: Gate of ${project.key}/1.0 changed by the shipgate CLI (test):\n• pass rate: inherited → 50%`,
    });
    expect(await t.prisma.livingMessage.count({ where: { milestoneId: m.id } })).toBe(1);
  });

  it('with no channel, or a day late, there is nothing to send', async () => {
    await gateChange({ milestoneChannel: null, projectChannel: null });
    const notifier = new RecordingNotifier();
    expect(await tick(notifier, at(1))).toMatchObject({ claimed: 1, skipped: 1, sent: 0 });
    await gateChange({ milestoneChannel: 'C-LATE', projectChannel: null });
    const late = new Date(t0.getTime() + NOTICE_MAX_AGE_MS + 60_000);
    expect(await tick(notifier, late)).toMatchObject({ claimed: 1, skipped: 1, sent: 0 });
    expect(notifier.posts).toEqual([]);
  });
});
