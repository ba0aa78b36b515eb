// Every button: the readiness card's, the Home tab's, the scope preview and the
// stale-run nudge's, through the real Bolt app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockAction, TEAM_A } from '../helpers/slack-payloads.js';
import { ingestResults } from '../../src/services/ingest-results.js';
import { resultRows, seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;
let pay: { id: string };
let m: { id: string };
let cardTs = '';

beforeAll(async () => {
  h = await startSlackHarness();
  pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments' })).project;
  m = await seedMilestone(h.db, pay.id, '2.4');
  await seedRun(h.db, { projectId: pay.id, milestoneId: m.id, passed: 8, failed: 2 });
  await h.command(TEAM_A, 'status PAY/2.4');
  await h.slack.waitFor('chat.postMessage');
  // The stand-in numbers messages from 1700000000: the card is the first one posted.
  cardTs = '1700000000.000100';
});
afterAll(async () => h?.stop());

function onCard(actionId: string, value: string, team = TEAM_A, responseUrl?: string) {
  return h.send(
    blockAction(
      team,
      { actionId, value },
      { channel: team.channelId, messageTs: cardTs, responseUrl: responseUrl ?? h.slack.responseUrl() },
    ),
  );
}

describe('readiness card buttons', () => {
  it('Refresh re-renders the same message with the new readiness', async () => {
    const run = await h.db.prisma.testRun.findFirstOrThrow({ where: { milestoneId: m.id } });
    // The two failures are fixed: re-posting them as passed.
    await ingestResults(h.db, { projectId: pay.id, runId: run.id, results: resultRows(10, 0) });
    h.slack.reset();
    const res = await onCard('card_refresh', m.id);
    expect(res.status).toBe(200);
    const update = await h.slack.waitFor('chat.update');
    expect(update.body).toMatchObject({ channel: TEAM_A.channelId, ts: cardTs });
    expect(textOf(update.body.blocks)).toContain('100% (10/10)');
    expect(textOf(update.body.blocks)).not.toContain('NO-GO');
  });

  it.each([
    ['card_signoff', 'sign_off'],
    ['card_defect', 'report_defect'],
    ['card_link', 'link_run'],
    ['card_complete', 'complete_milestone'],
  ])('%s opens the %s modal carrying the card to update', async (actionId, callbackId) => {
    h.slack.reset();
    await onCard(actionId, m.id);
    const view = (await h.slack.waitFor('views.open')).body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(callbackId);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ m: m.id, c: TEAM_A.channelId, t: cardTs });
  });

  it('Waive on a blocker opens the waiver modal for that defect', async () => {
    const d = await h.db.prisma.defect.create({
      data: { projectId: pay.id, milestoneId: m.id, title: 'Crash on pay', severity: 'CRITICAL' },
    });
    h.slack.reset();
    await onCard('card_refresh', m.id);
    const blocks = textOf((await h.slack.waitFor('chat.update')).body.blocks);
    expect(blocks).toContain('Crash on pay');
    expect(blocks).toContain(`"action_id":"defect_waive","text":{"type":"plain_text","text":"Waive","emoji":true},"value":"${d.id}"`);
    await onCard('defect_waive', d.id);
    const view = (await h.slack.waitFor('views.open')).body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('waive_defect');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ d: d.id, c: TEAM_A.channelId, t: cardTs });
  });
});

describe('App Home and scope preview buttons', () => {
  it("Home's Card button sends the card to the person", async () => {
    h.slack.reset();
    await h.send(blockAction(TEAM_A, { actionId: 'home_open_card', value: m.id, blockId: 'home' }));
    const post = await h.slack.waitFor('chat.postMessage');
    expect(post.body.channel).toBe(TEAM_A.userId);
    expect(textOf(post.body.blocks)).toContain('PAY/2.4');
  });

  it('typing patterns re-counts the matching cases in the open modal', async () => {
    h.slack.reset();
    const view = { id: 'V0SCOPE', hash: 'h.1', callbackId: 'scope_milestone', privateMetadata: JSON.stringify({ m: m.id, p: pay.id }) };
    await h.send(blockAction(TEAM_A, { actionId: 'scope_preview', value: 'case::t1*\ncase::t2', blockId: 'patterns' }, { view }));
    const update = await h.slack.waitFor('views.update');
    expect(update.body).toMatchObject({ view_id: 'V0SCOPE', hash: 'h.1' });
    // case::t1 and case::t2 … and no others among t0…t9.
    expect(textOf(update.body.view)).toContain('2 of 10 test cases match');
  });
});

describe('stale-run nudge buttons', () => {
  async function nudgedRun(name: string) {
    return seedRun(h.db, { projectId: pay.id, milestoneId: m.id, name, status: 'IN_PROGRESS', owner: TEAM_A.userId });
  }
  const dm = { channel: 'D0NUDGE', messageTs: '1700000099.000100' };

  it('Complete completes the run and replaces the message', async () => {
    const run = await nudgedRun('manual pass');
    h.slack.reset();
    await h.send(blockAction(TEAM_A, { actionId: 'nudge_complete', value: run.id, blockId: 'nudge' }, dm));
    const update = await h.slack.waitFor('chat.update');
    expect(update.body).toMatchObject({ channel: 'D0NUDGE', ts: dm.messageTs });
    expect(textOf(update.body)).toContain('marked complete');
    expect((await h.db.prisma.testRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('COMPLETED');
  });

  it('Abort aborts it', async () => {
    const run = await nudgedRun('abandoned');
    h.slack.reset();
    await h.send(blockAction(TEAM_A, { actionId: 'nudge_abort', value: run.id, blockId: 'nudge' }, dm));
    expect(textOf((await h.slack.waitFor('chat.update')).body)).toContain('aborted');
    expect((await h.db.prisma.testRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('ABORTED');
  });

  it('Snooze sets snoozedUntil 24 hours from now and leaves the run running', async () => {
    const run = await nudgedRun('long soak');
    h.now.value = new Date('2030-05-01T10:00:00Z');
    h.slack.reset();
    await h.send(blockAction(TEAM_A, { actionId: 'nudge_snooze', value: run.id, blockId: 'nudge' }, dm));
    expect(textOf((await h.slack.waitFor('chat.update')).body)).toContain('snoozed');
    const after = await h.db.prisma.testRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.status).toBe('IN_PROGRESS');
    expect(after.snoozedUntil?.toISOString()).toBe('2030-05-02T10:00:00.000Z');
    h.now.value = new Date();
  });

  it('Complete on a run aborted meanwhile is refused: an aborted run stays aborted', async () => {
    const run = await nudgedRun('aborted elsewhere');
    await h.db.prisma.testRun.update({ where: { id: run.id }, data: { status: 'ABORTED', completedAt: new Date() } });
    h.slack.reset();
    await h.send(
      blockAction(
        TEAM_A,
        { actionId: 'nudge_complete', value: run.id, blockId: 'nudge' },
        { ...dm, responseUrl: h.slack.responseUrl('nudge-aborted') },
      ),
    );
    const reply = await h.slack.waitFor('response_url', (c) => c.body.__responseId === 'nudge-aborted');
    expect(textOf(reply.body)).toContain('was aborted; it stays aborted');
    await h.idle();
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
    expect((await h.db.prisma.testRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('ABORTED');
  });
});
