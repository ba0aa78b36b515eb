// The living milestone message (SPEC §11) end to end: the real Bolt app over
// signed requests (defects and sign-offs from Slack), CI runs through the use
// cases, the `living` tick posting through the real Slack client to the Web
// API stand-in. One top-level card per milestone per channel per day, the rest
// in its thread; exactly once across racing ticks; a deleted card replaced; a
// worse verdict starting a new card; a 429 honoured; the owners of newly failing
// tests mentioned in the thread once per owner and day, across bursts and digests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runDigestsTick } from '../../src/jobs/digests-tick.js';
import { runLivingTick } from '../../src/jobs/living-tick.js';
import { OWNER_MENTION_CLAIM } from '../../src/services/owner-mentions.js';
import { setOwnerRules } from '../../src/services/set-owner-rules.js';
import { subscribeChannel } from '../../src/services/subscribe-channel.js';
import type { ResultStatus } from '../../src/services/ingest-results.js';
import { createLogger } from '../../src/logger.js';
import { openMilestoneLink } from '../../src/services/milestone-link.js';
import { reportDefect } from '../../src/services/report-defect.js';
import { radio, select, TEAM_A, text, viewSubmission } from '../helpers/slack-payloads.js';
import { resultRow, seedMilestone, seedProject, seedRun, TEST_OPERATOR, uniqueProjectKey } from '../helpers/factories.js';
import type { RecordedCall } from '../helpers/slack-api-stand-in.js';
import { startSlackHarness, type SlackHarness } from '../slack/slack-harness.js';
import { testProvider } from '../helpers/test-database.js';

let h: SlackHarness;
const logger = createLogger('silent');
const config = loadConfig({});
// The clock the ticks run on: real time (the outbox stamps events with the database's clock), plus seconds.
const t0 = new Date();
const at = (seconds: number) => new Date(t0.getTime() + 5_000 + seconds * 1000);
const tick = (now: Date) => runLivingTick({ db: h.db.db, notifier: h.notifier, logger, config }, now);

beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => h?.stop());

async function milestoneInItsChannel() {
  const key = uniqueProjectKey();
  const channel = `C${key}`;
  const { project } = await seedProject(h.db, key, { teamId: TEAM_A.teamId, slackChannelId: channel });
  const m = await seedMilestone(h.db, project.id, '1.0');
  return { project, m, channel };
}

const postsTo = (channel: string): RecordedCall[] => h.slack.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
const topLevel = (channel: string) => postsTo(channel).filter((c) => !c.body.thread_ts);
const replies = (channel: string) => postsTo(channel).filter((c) => c.body.thread_ts);

/** The ts the stand-in gave a top-level post (read back from the row the tick stored). */
async function cardTs(milestoneId: string, channel: string): Promise<string> {
  const row = await h.db.prisma.livingMessage.findFirstOrThrow({ where: { milestoneId, channel } });
  return row.ts!;
}

describe(`the living message (${testProvider()})`, () => {
  it('a scripted day: five runs, a defect and a sign-off from Slack make one card, the rest in its thread', async () => {
    const { project, m, channel } = await milestoneInItsChannel();
    const run = (name: string, environment = 'staging') =>
      seedRun(h.db, { projectId: project.id, milestoneId: m.id, name, environment, passed: 20 });

    await run('nightly');
    expect(await tick(at(0))).toMatchObject({ cardsPosted: 1, replies: 1, failed: 0 });
    const ts = await cardTs(m.id, channel);
    expect(replies(channel).at(-1)!.body).toMatchObject({
      thread_ts: ts,
      text: expect.stringContaining('Run completed: *nightly* (staging): 20 passed'),
    });

    // A burst of runs: one reply, summarised.
    await run('shard 1');
    await run('shard 2');
    await run('shard 3', 'production');
    expect(await tick(at(2))).toMatchObject({ cardsPosted: 0, cardsUpdated: 1, replies: 1 });
    expect(String(replies(channel).at(-1)!.body.text)).toMatch(
      /^:checkered_flag: 3 runs completed: \*shard 1\* \(staging\): 20 passed, 0 failed; \*shard 2\*/,
    );
    expect(h.slack.callsTo('chat.update').filter((c) => c.body.ts === ts)).toHaveLength(1);

    // A defect and a sign-off, from Slack, on the card.
    const meta = JSON.stringify({ m: m.id, c: channel, t: ts });
    await h.send(
      viewSubmission(
        TEAM_A,
        'report_defect',
        { title: text('Typo in the receipt'), severity: select('LOW'), test_key: text(''), jira: radio('none') },
        meta,
      ),
    );
    await h.idle();
    expect(await tick(at(4))).toMatchObject({ replies: 1, cardsPosted: 0 });
    expect(replies(channel).at(-1)!.body.text).toBe(':beetle: Defect reported (low): Typo in the receipt');
    await h.send(viewSubmission(TEAM_A, 'sign_off', { decision: radio('APPROVE'), comment: text('Ship it') }, meta));
    await h.idle();
    expect(await tick(at(6))).toMatchObject({ replies: 1, cardsPosted: 0 });
    expect(replies(channel).at(-1)!.body.text).toBe(`:thumbsup: <@${TEAM_A.userId}> signed off: Ship it`);

    await run('smoke', 'production');
    expect(await tick(at(8))).toMatchObject({ replies: 1, cardsPosted: 0 });
    // Nothing left: a tick with nothing due sends nothing.
    expect(await tick(at(10))).toMatchObject({ claimed: 0, replies: 0 });

    expect(topLevel(channel)).toHaveLength(1);
    expect(replies(channel).map((c) => c.body.thread_ts)).toEqual(Array(5).fill(ts));
  });

  it('says once a day that the milestone is ready to decide, when every required environment has completed a run that day', async () => {
    const key = uniqueProjectKey();
    const channel = `C${key}`;
    const { project } = await seedProject(h.db, key, { teamId: TEAM_A.teamId, slackChannelId: channel });
    const m = await seedMilestone(h.db, project.id, '2.0', { gate: { requiredEnvironments: ['staging', 'production'] } });
    const run = (name: string, environment: string) =>
      seedRun(h.db, { projectId: project.id, milestoneId: m.id, name, environment, passed: 20 });
    const ready = () => replies(channel).filter((c) => String(c.body.text).includes('ready to decide'));
    await run('api', 'staging');
    await tick(at(12));
    expect(ready()).toHaveLength(0);
    await run('e2e', 'production');
    await tick(at(14));
    expect(ready().map((c) => c.body.text)).toEqual([
      ':checkered_flag: Every required environment (staging, production) has completed a run today: the milestone is ready to decide.',
    ]);
    expect(ready()[0]!.body.thread_ts).toBe(await cardTs(m.id, channel));
    await run('e2e again', 'production');
    await tick(at(16));
    expect(ready()).toHaveLength(1);
    expect(topLevel(channel)).toHaveLength(1);
  });

  it('`/milestone threads off` in a channel: each event is a message of its own, no card; `on` brings the card back', async () => {
    const { project, m } = await milestoneInItsChannel();
    // The command acts on the channel it is typed in: the milestone posts to TEAM_A's channel here.
    await h.db.prisma.milestone.update({ where: { id: m.id }, data: { slackChannelId: TEAM_A.channelId } });
    const channel = TEAM_A.channelId;
    expect(String((await (await h.command(TEAM_A, 'threads')).reply()).text)).toMatch(/^Threads are on: /);
    expect(String((await (await h.command(TEAM_A, 'threads off')).reply()).text)).toMatch(/^Threads are now off: /);
    expect(String((await h.command(TEAM_A, 'threads sideways')).ack.body)).toContain('`threads` takes `on` or `off`');
    const before = postsTo(channel).length;
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'plain', passed: 3 });
    expect(await tick(at(100))).toMatchObject({ cardsPosted: 0, replies: 1 });
    const plain = postsTo(channel).slice(before);
    expect(plain.map((c) => [c.body.thread_ts, c.body.text])).toEqual([
      [undefined, ':checkered_flag: Run completed: *plain*: 3 passed, 0 failed'],
    ]);
    expect(await h.db.prisma.livingMessage.count({ where: { milestoneId: m.id } })).toBe(0);
    await (await h.command(TEAM_A, 'threads on')).reply();
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'threaded', passed: 3 });
    expect(await tick(at(102))).toMatchObject({ cardsPosted: 1, replies: 1 });
  });

  it('a worse verdict starts a new card and says so in the old thread', async () => {
    const { project, m, channel } = await milestoneInItsChannel();
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'nightly', passed: 20 });
    await tick(at(20));
    const first = await cardTs(m.id, channel);
    await reportDefect(h.db, { projectId: project.id, milestoneId: m.id, title: 'Checkout crashes', severity: 'CRITICAL' });
    expect(await tick(at(22))).toMatchObject({ cardsPosted: 1, replies: 1 });
    const second = await cardTs(m.id, channel);
    expect(second).not.toBe(first);
    expect(topLevel(channel)).toHaveLength(2);
    expect(replies(channel).map((c) => [c.body.thread_ts, String(c.body.text).split(':')[1]])).toEqual([
      [first, 'checkered_flag'],
      [first, 'arrow_down'],
      [second, 'beetle'],
    ]);
    expect(String(replies(channel)[1]!.body.text)).toContain('fell from');
  });

  it('a card deleted in Slack is replaced by a new one', async () => {
    const { project, m, channel } = await milestoneInItsChannel();
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'first', passed: 20 });
    await tick(at(30));
    const first = await cardTs(m.id, channel);
    h.slack.deleteMessage(first);
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'second', passed: 20 });
    expect(await tick(at(32))).toMatchObject({ cardsPosted: 1, cardsUpdated: 0, replies: 1, failed: 0 });
    const second = await cardTs(m.id, channel);
    expect(second).not.toBe(first);
    expect(replies(channel).at(-1)!.body.thread_ts).toBe(second);
    expect(h.slack.callsTo('chat.update').filter((c) => c.body.ts === first).length).toBe(1);
  });

  it('two replicas racing never post two cards or repeat a reply', async () => {
    const milestones = await Promise.all([1, 2, 3].map(() => milestoneInItsChannel()));
    for (const { project, m } of milestones)
      for (const name of ['a', 'b', 'c', 'd'])
        await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: `${name}-${m.id}`, passed: 5 });
    for (let i = 0; i < 10; i++) {
      const [x, y] = await Promise.all([tick(at(40 + i * 2)), tick(at(40 + i * 2))]);
      if (x.claimed + y.claimed + x.deferred + y.deferred === 0) break;
    }
    for (const { m, channel } of milestones) {
      expect(topLevel(channel)).toHaveLength(1);
      const told = replies(channel).flatMap((c) => [...String(c.body.text).matchAll(/\*([a-d])-/g)].map((x) => x[1]));
      expect(told.sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(await h.db.prisma.outboxItem.count({ where: { kind: 'living.event', status: 'PENDING', payload: { contains: m.id } } })).toBe(
        0,
      );
    }
  });

  it('a 429 waits as long as Slack asks, and the held-back events are told together', async () => {
    const { project, m, channel } = await milestoneInItsChannel();
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'one', passed: 5 });
    h.slack.rateLimitNext('chat.postMessage', 30);
    expect(await tick(at(60))).toMatchObject({ deferred: 1, cardsPosted: 0, failed: 0 });
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'two', passed: 5 });
    // The second event is due, but the first waits for Slack: only the new one is tried, and it posts the card.
    const early = await tick(at(70));
    expect(early).toMatchObject({ claimed: 1, cardsPosted: 1 });
    expect(await tick(at(91))).toMatchObject({ claimed: 1, replies: 1 });
    // Two card posts reached Slack: the first was answered 429 (and stored nothing), the second is the card.
    expect(topLevel(channel)).toHaveLength(2);
    expect(await h.db.prisma.livingMessage.count({ where: { milestoneId: m.id } })).toBe(1);
    expect(replies(channel).map((c) => c.body.thread_ts)).toEqual([await cardTs(m.id, channel), await cardTs(m.id, channel)]);
    expect(replies(channel).map((c) => String(c.body.text))).toEqual([expect.stringContaining('*two*'), expect.stringContaining('*one*')]);
  });

  it('the card is the one `/milestone status` posts: the checks line, and the Open report button with PUBLIC_URL', async () => {
    const { project, m } = await milestoneInItsChannel();
    await h.db.prisma.milestone.update({ where: { id: m.id }, data: { slackChannelId: TEAM_A.channelId } });
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'nightly', passed: 8, failed: 2 });
    expect(await tick(at(200))).toMatchObject({ cardsPosted: 1 });
    const living = topLevel(TEAM_A.channelId).at(-1)!.body;
    await h.command(TEAM_A, `status ${project.key}/1.0`);
    await h.idle();
    const status = topLevel(TEAM_A.channelId).at(-1)!.body;
    // The same card, but for when it was evaluated (the tick runs on its own clock).
    const evaluatedAside = (body: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify({ text: body.text, blocks: body.blocks }).replace(/Evaluated \d{4}-\d\d-\d\d \d\d:\d\d UTC/g, 'Evaluated …'),
      ) as unknown;
    expect(status).not.toBe(living);
    expect(JSON.stringify(living.blocks)).toMatch(/Evaluated \d{4}-/);
    expect(evaluatedAside(living)).toEqual(evaluatedAside(status));
    const context = (living.blocks as { type: string; elements?: { text?: string }[] }[]).filter((b) => b.type === 'context');
    expect(context.map((b) => b.elements?.[0]?.text ?? '').join('\n')).toMatch(/held/);

    // With a public address, the living card carries the Open report button, to a link that opens this milestone.
    const PUBLIC_URL = 'https://shipgate.example.com';
    const withUrl = loadConfig({ PUBLIC_URL });
    await seedRun(h.db, { projectId: project.id, milestoneId: m.id, name: 'again', passed: 10 });
    expect(await runLivingTick({ db: h.db.db, notifier: h.notifier, logger, config: withUrl }, at(202))).toMatchObject({
      cardsUpdated: 1,
    });
    const updated = h.slack.callsTo('chat.update').at(-1)!.body;
    const actions = (updated.blocks as { block_id?: string; elements?: { action_id: string; url?: string }[] }[]).find(
      (b) => b.block_id === 'card_actions',
    )!.elements!;
    const report = actions.find((b) => b.action_id === 'card_open_report')!;
    expect(report.url).toMatch(new RegExp(`^${PUBLIC_URL}/m/${m.id}\\.`));
    expect((await openMilestoneLink(h.db, report.url!.slice(`${PUBLIC_URL}/m/`.length))).milestoneId).toBe(m.id);
  });
  it('mentions the owners of newly failing tests in the thread, once per owner and day, across bursts and the digest', async () => {
    const { project, m, channel } = await milestoneInItsChannel();
    const workspaceId = project.workspaceId;
    await setOwnerRules(h.db, {
      projectId: project.id,
      actor: TEST_OPERATOR,
      rules: [
        { pattern: 'own::a', owners: ['U0ANN'] },
        { pattern: 'own::b', owners: ['U0ANN', 'U0BOB'] },
        { pattern: 'own::c', owners: ['S0CAT'] },
      ],
    });
    // A digest for this milestone in another channel, whose previous one went out before any of this.
    const { subscription } = await subscribeChannel(h.db, {
      workspaceId,
      channelId: `D${channel}`,
      target: { milestoneId: m.id },
      digestTime: '00:00',
      timeZone: 'UTC',
    });
    const yesterday = new Date(t0.getTime() - 24 * 3_600_000);
    await h.db.prisma.claim.create({
      data: { kind: 'digest', key: `${subscription.id}:${yesterday.toISOString().slice(0, 10)}`, claimedAt: yesterday, sentAt: yesterday },
    });
    const run = (name: string, results: Record<string, ResultStatus>) =>
      seedRun(h.db, {
        projectId: project.id,
        milestoneId: m.id,
        name,
        results: Object.entries(results).map(([key, status]) => resultRow(key, status)),
      });
    const lastReply = () => String(replies(channel).at(-1)!.body.text);
    const OWNERS = 'Owners of the newly failing tests';

    await run('first', { 'own::a': 'PASSED', 'own::b': 'PASSED', 'own::c': 'PASSED' });
    expect(await tick(at(300))).toMatchObject({ replies: 1, failed: 0 });
    expect(lastReply()).not.toContain(OWNERS);

    // Burst 1: a fails (Ann's).
    await run('second', { 'own::a': 'FAILED', 'own::b': 'PASSED', 'own::c': 'PASSED' });
    expect(await tick(at(302))).toMatchObject({ replies: 1, failed: 0 });
    expect(lastReply()).toMatch(/^:checkered_flag: Run completed: \*second\*: 2 passed, 1 failed/);
    expect(lastReply()).toContain(`${OWNERS}: <@U0ANN>`);

    // Burst 2, two runs: b fails too (Ann's and Bob's); Ann was mentioned today already.
    await run('third', { 'own::a': 'FAILED', 'own::b': 'FAILED', 'own::c': 'PASSED' });
    await run('fourth', { 'own::a': 'FAILED', 'own::b': 'FAILED' });
    expect(await tick(at(304))).toMatchObject({ replies: 1, failed: 0 });
    expect(lastReply()).toMatch(/^:checkered_flag: 2 runs completed: /);
    expect(lastReply()).toContain(`${OWNERS}: <@U0BOB>`);
    expect(lastReply()).not.toContain('U0ANN');

    // Burst 3's reply is answered 429: the group's mention is given back, and made by the retry, once.
    await run('fifth', { 'own::a': 'FAILED', 'own::b': 'FAILED', 'own::c': 'FAILED' });
    h.slack.rateLimitNext('chat.postMessage', 5);
    expect(await tick(at(306))).toMatchObject({ deferred: 1, replies: 0 });
    expect(String(replies(channel).at(-1)!.body.text)).toContain('<!subteam^S0CAT>');
    const day = (await h.db.prisma.livingMessage.findFirstOrThrow({ where: { milestoneId: m.id } })).day;
    const cat = () => h.db.prisma.claim.findUnique({ where: { kind_key: { kind: OWNER_MENTION_CLAIM, key: `${m.id}:${day}:S0CAT` } } });
    expect(await cat()).toBeNull();
    expect(await tick(at(312))).toMatchObject({ replies: 1, failed: 0 });
    expect(lastReply()).toContain(`${OWNERS}: <!subteam^S0CAT>`);
    expect((await cat())?.sentAt).toEqual(expect.any(Date));
    const told = replies(channel).filter((c) => String(c.body.text).includes(OWNERS));
    // Four replies carried owners: Ann, Bob, Cat answered 429, Cat again.
    expect(told.map((c) => String(c.body.text).split(`${OWNERS}: `)[1])).toEqual([
      '<@U0ANN>',
      '<@U0BOB>',
      '<!subteam^S0CAT>',
      '<!subteam^S0CAT>',
    ]);

    // The digest the same day names the newly failing tests, but mentions nobody again.
    const digest = await runDigestsTick({ db: h.db.db, notifier: h.notifier, logger, config }, at(314));
    // (The trend picture's upload is another delivery, not looked at here.)
    expect(digest).toMatchObject({ sent: 1 });
    const posted = JSON.stringify(postsTo(`D${channel}`).at(-1)!.body);
    expect(posted).toContain('newly failing');
    expect(posted).not.toContain(OWNERS);
  });
});
