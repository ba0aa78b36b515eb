// Requests Slack did not sign are refused; retried events act once; one
// workspace never sees another's data; the CLI's placeholder workspace is adopted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpened, sign, slashCommand, TEAM_A, TEAM_B } from '../helpers/slack-payloads.js';
import { LOCAL_TEAM_ID, resolveWorkspace } from '../../src/services/resolve-workspace.js';
import { createProject } from '../../src/services/create-project.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;
let m: { id: string };

beforeAll(async () => {
  h = await startSlackHarness();
  const pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments' })).project;
  m = await seedMilestone(h.db, pay.id, '2.4');
  await seedRun(h.db, { projectId: pay.id, milestoneId: m.id, passed: 3 });
});
afterAll(async () => h?.stop());

describe('request signatures', () => {
  it('refuses an unsigned request, a wrong signature and a stale timestamp with 401, doing nothing', async () => {
    const request = slashCommand(TEAM_A, 'project create EVIL Evil', h.slack.responseUrl());
    h.slack.reset();
    expect((await h.send(request, { unsigned: true })).status).toBe(401);
    expect((await h.send(request, { secret: 'not-the-secret' })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await h.send(request, { timestamp: sixMinutesAgo })).status).toBe(401);
    // A valid signature of an old timestamp is still refused (replay).
    const headers = { 'x-slack-request-timestamp': String(sixMinutesAgo), 'x-slack-signature': sign(request.body, sixMinutesAgo) };
    expect((await h.send(request, { unsigned: true, headers })).status).toBe(401);
    await h.idle();
    expect(h.slack.calls).toHaveLength(0);
    expect(await h.db.prisma.project.count({ where: { key: 'EVIL' } })).toBe(0);
  });

  it('accepts the same request properly signed', async () => {
    const res = await h.send(slashCommand(TEAM_A, 'help', h.slack.responseUrl()));
    expect(res.status).toBe(200);
  });
});

describe('App Home and event retries', () => {
  it('publishes the active milestones with verdicts; a retried event (X-Slack-Retry-Num) does not repeat it', async () => {
    h.slack.reset();
    const event = appHomeOpened(TEAM_A, 'Ev0HOME1');
    expect((await h.send(event)).status).toBe(200);
    const publish = await h.slack.waitFor('views.publish');
    expect(publish.body.user_id).toBe(TEAM_A.userId);
    expect(textOf(publish.body.view)).toContain('PAY/2.4');
    expect(textOf(publish.body.view)).toContain('100% (3/3)');

    for (const n of ['1', '2']) {
      expect((await h.send(event, { headers: { 'x-slack-retry-num': n, 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    }
    // Bolt answers an event before its listener runs: wait for the listeners and their follow-up work.
    await h.idle();
    expect(h.slack.callsTo('views.publish')).toHaveLength(1);
    expect(await h.db.prisma.claim.count({ where: { kind: 'slack.event', key: 'Ev0HOME1' } })).toBe(1);

    // A new opening is a new event and publishes again.
    await h.send(appHomeOpened(TEAM_A, 'Ev0HOME2'));
    await h.slack.waitFor('views.publish', (c) => c !== publish);
    expect(h.slack.callsTo('views.publish')).toHaveLength(2);
  });
});

describe('workspace isolation', () => {
  it("team B cannot see or act on team A's milestone", async () => {
    const status = await h.command(TEAM_B, 'status PAY/2.4');
    expect(textOf(await status.reply())).toContain('There is no project PAY');
    const byName = await h.command(TEAM_B, 'status 2.4');
    expect(textOf(await byName.reply())).toContain('No milestone named');
    const list = await h.command(TEAM_B, 'list all');
    expect(textOf(await list.reply())).toContain('None yet');
    h.slack.reset();
    await h.send(appHomeOpened(TEAM_B, 'Ev0HOMEB'));
    const home = await h.slack.waitFor('views.publish');
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

describe("adopting the CLI's placeholder workspace", () => {
  it('the first team to connect in single-workspace mode takes over the "local" workspace and its projects', async () => {
    const fresh = await startSlackHarness();
    try {
      // What the CLI does on an empty database: a placeholder workspace for its projects.
      const local = await resolveWorkspace(fresh.db);
      expect(local.slackTeamId).toBe(LOCAL_TEAM_ID);
      await createProject(fresh.db, { workspaceId: local.id, key: 'CLI', name: 'Made by the CLI' });
      const list = await fresh.command(TEAM_A, 'apikey list CLI');
      expect(textOf(await list.reply())).toContain('no active CI keys');
      const ws = await fresh.db.prisma.workspace.findUniqueOrThrow({ where: { id: local.id } });
      expect(ws.slackTeamId).toBe(TEAM_A.teamId);
      // A second team gets a workspace of its own, without the CLI's project.
      const other = await fresh.command(TEAM_B, 'apikey list CLI');
      expect(textOf(await other.reply())).toContain('There is no project CLI');
      expect(await fresh.db.prisma.workspace.count()).toBe(2);
    } finally {
      await fresh.stop();
    }
  });
});
