// OAuth mode, many workspaces: one workspace never sees or acts on another's
// data, through commands, App Home and buttons. (In single-workspace mode every
// request belongs to the bot token's team: shared-channels.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpened, blockAction, TEAM_A, TEAM_B } from '../helpers/slack-payloads.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { startOAuthHarness, textOf, type OAuthHarness } from './slack-harness.js';

let h: OAuthHarness;
let pay: { id: string };
let m: { id: string };

beforeAll(async () => {
  h = await startOAuthHarness();
  expect((await h.install(TEAM_A)).done.status).toBe(200);
  expect((await h.install(TEAM_B)).done.status).toBe(200);
  pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments' })).project;
  m = await seedMilestone(h.db, pay.id, '2.4');
  await seedRun(h.db, { projectId: pay.id, milestoneId: m.id, passed: 3 });
});
afterAll(async () => h?.stop());

describe('commands and App Home', () => {
  it("team B cannot see team A's milestone", async () => {
    const status = await h.command(TEAM_B, 'status PAY/2.4');
    expect(textOf(await status.reply())).toContain('There is no project PAY');
    const byName = await h.command(TEAM_B, 'status 2.4');
    expect(textOf(await byName.reply())).toContain('No milestone named');
    const list = await h.command(TEAM_B, 'list all');
    expect(textOf(await list.reply())).toContain('None yet');
    h.slack.reset();
    await h.send(appHomeOpened(TEAM_B, 'Ev0HOMEB'));
    const home = await h.slack.waitFor('views.publish');
    expect(home.token).toBe(`xoxb-oauth-${TEAM_B.teamId}`);
    expect(textOf(home.body.view)).not.toContain('PAY/2.4');
    expect(textOf(home.body.view)).toContain('No active milestones');
  });

  it('the same project key can exist in both workspaces, each seeing its own', async () => {
    const b = (await seedProject(h.db, 'PAY', { teamId: TEAM_B.teamId, name: 'B payments' })).project;
    await seedMilestone(h.db, b.id, '2.4', { description: 'team B' });
    h.slack.reset();
    await h.command(TEAM_B, 'status PAY/2.4');
    const post = await h.slack.waitFor('chat.postMessage');
    expect(post.body.channel).toBe(TEAM_B.channelId);
    expect(textOf(post.body.blocks)).toContain('0 executed');
    expect(textOf(post.body.blocks)).not.toContain('3/3');
  });
});

describe('buttons carrying another workspace’s ids', () => {
  it("a card button with team A's milestone id, pressed in team B, gets an error, not a modal", async () => {
    h.slack.reset();
    const responseUrl = h.slack.responseUrl('cross');
    await h.send(
      blockAction(
        TEAM_B,
        { actionId: 'card_signoff', value: m.id },
        { channel: TEAM_B.channelId, messageTs: '1700000000.000100', responseUrl },
      ),
    );
    const reply = await h.slack.waitFor('response_url', (c) => c.body.__responseId === 'cross');
    expect(textOf(reply.body)).toContain('no longer exists in this workspace');
    await h.idle();
    expect(h.slack.callsTo('views.open')).toHaveLength(0);
  });

  it("a nudge button with team A's run id, pressed in team B, leaves the run running", async () => {
    const run = await seedRun(h.db, {
      projectId: pay.id,
      milestoneId: m.id,
      name: 'not yours',
      status: 'IN_PROGRESS',
      owner: TEAM_A.userId,
    });
    h.slack.reset();
    await h.send(
      blockAction(
        TEAM_B,
        { actionId: 'nudge_abort', value: run.id, blockId: 'nudge' },
        { channel: 'D0NUDGE', messageTs: '1700000099.000100', responseUrl: h.slack.responseUrl('nudge-x') },
      ),
    );
    expect(textOf((await h.slack.waitFor('response_url')).body)).toContain('no longer exists in this workspace');
    expect((await h.db.prisma.testRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe('IN_PROGRESS');
  });
});
