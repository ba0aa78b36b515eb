// Requests Slack did not sign are refused; retried events act once; one
// the CLI's placeholder workspace is adopted (isolation between workspaces:
// workspace-isolation.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appHomeOpened, sign, slashCommand, TEAM_A } from '../helpers/slack-payloads.js';
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

describe("adopting the CLI's placeholder workspace", () => {
  it('in single-workspace mode the bot token\'s team takes over the "local" workspace and its projects, whoever asks first', async () => {
    const fresh = await startSlackHarness();
    try {
      // What the CLI does on an empty database: a placeholder workspace for its projects.
      const local = await resolveWorkspace(fresh.db);
      expect(local.slackTeamId).toBe(LOCAL_TEAM_ID);
      await createProject(fresh.db, { workspaceId: local.id, key: 'CLI', name: 'Made by the CLI' });
      // The first request comes from a partner's team in a shared channel.
      const external = { teamId: 'T0EXTERNAL', userId: 'U0EXTERNAL', channelId: TEAM_A.channelId };
      const list = await fresh.command(external, 'apikey list CLI');
      expect(textOf(await list.reply())).toContain('no active CI keys');
      // The placeholder became the team auth.test names for the bot token (TEAM_A), not the asker's.
      const ws = await fresh.db.prisma.workspace.findUniqueOrThrow({ where: { id: local.id } });
      expect(ws.slackTeamId).toBe(TEAM_A.teamId);
      const own = await fresh.command(TEAM_A, 'apikey list CLI');
      expect(textOf(await own.reply())).toContain('no active CI keys');
      expect(await fresh.db.prisma.workspace.count()).toBe(1);
    } finally {
      await fresh.stop();
    }
  });
});
