// Slack Connect in single-workspace mode: a channel shared with another
// organisation carries requests from people of another team. The bot token
// belongs to one workspace (the one auth.test names), so every request is that
// workspace's: an external person sees its milestones and never gets a new,
// empty workspace row of their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockAction, TEAM_A, type Team } from '../helpers/slack-payloads.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

// Someone from a partner organisation, in the installing team's shared channel.
const EXTERNAL: Team = { teamId: 'T0EXTERNAL', userId: 'U0EXTERNAL', channelId: TEAM_A.channelId };

let h: SlackHarness;
let m: { id: string };

beforeAll(async () => {
  h = await startSlackHarness();
  // The stand-in's auth.test names TEAM_A as the bot token's team.
  const pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments' })).project;
  m = await seedMilestone(h.db, pay.id, '2.4');
  await seedRun(h.db, { projectId: pay.id, milestoneId: m.id, passed: 3 });
});
afterAll(async () => h?.stop());

describe('a shared (Slack Connect) channel in single-workspace mode', () => {
  it("an external person's command answers from the installing workspace and creates no workspace", async () => {
    const list = await h.command(EXTERNAL, 'list all');
    expect(textOf(await list.reply())).toContain('PAY/2.4');
    h.slack.reset();
    await h.command(EXTERNAL, 'status PAY/2.4');
    const post = await h.slack.waitFor('chat.postMessage');
    expect(post.body.channel).toBe(TEAM_A.channelId);
    expect(textOf(post.body.blocks)).toContain('3/3');
    expect(await h.db.prisma.workspace.findMany({ select: { slackTeamId: true } })).toEqual([{ slackTeamId: TEAM_A.teamId }]);
  });

  it("an external person's button acts on the installing workspace's milestone", async () => {
    h.slack.reset();
    const responseUrl = h.slack.responseUrl('ext-refresh');
    await h.send(
      blockAction(
        EXTERNAL,
        { actionId: 'card_refresh', value: m.id },
        { channel: TEAM_A.channelId, messageTs: '1700000000.000100', responseUrl },
      ),
    );
    const update = await h.slack.waitFor('chat.update');
    expect(textOf(update.body.blocks)).toContain('PAY/2.4');
    expect(await h.db.prisma.workspace.count()).toBe(1);
  });
});
