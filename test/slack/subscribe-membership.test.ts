// `/milestone subscribe` settles where the digest's picture can go, at once:
// in a public channel the bot was never invited to it joins (so the picture
// arrives); in a private one it is not in, the reply asks, in words, for
// `/invite @Shipgate`. Through the real Bolt app and the Web API stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMilestone, seedProject } from '../helpers/factories.js';
import { TEAM_A, type Team } from '../helpers/slack-payloads.js';
import { testProvider } from '../helpers/test-database.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  const { project } = await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId });
  await seedMilestone(h.db, project.id, '2.4');
});
afterAll(async () => h?.stop());

async function subscribeIn(channelId: string) {
  const team: Team = { ...TEAM_A, channelId };
  const r = await h.command(team, 'subscribe PAY 09:00 UTC');
  expect(r.ack.status).toBe(200);
  return textOf(await r.reply());
}

describe(`subscribe checks channel membership (${testProvider()})`, () => {
  it('a public channel the bot is not in: it joins right away and says so', async () => {
    const reply = await subscribeIn('C0PUBLIC1');
    expect(reply).toContain('Subscribed');
    expect(reply).toContain('Shipgate joined this channel');
    expect(h.slack.members.has('C0PUBLIC1')).toBe(true);
    expect(h.slack.callsTo('conversations.join').map((c) => c.body.channel)).toEqual(['C0PUBLIC1']);
  });

  it('a private channel the bot is not in: the reply asks for /invite @Shipgate', async () => {
    h.slack.privateChannels.add('G0SECRET1');
    const reply = await subscribeIn('G0SECRET1');
    expect(reply).toContain('Subscribed');
    expect(reply).toContain('/invite @Shipgate');
    expect(h.slack.members.has('G0SECRET1')).toBe(false);
  });

  it('a channel the bot is already in: no join, no request', async () => {
    h.slack.members.add('C0MEMBER1');
    const joins = h.slack.callsTo('conversations.join').length;
    const reply = await subscribeIn('C0MEMBER1');
    expect(reply).not.toContain('/invite');
    expect(reply).not.toContain('joined');
    expect(h.slack.callsTo('conversations.join')).toHaveLength(joins);
  });
});
