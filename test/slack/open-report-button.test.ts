// The card's Open report button, through the real Bolt app: with PUBLIC_URL the
// card carries a link button to a signed link that opens that milestone's
// readiness page; its click is acked and does nothing else; without PUBLIC_URL
// the button is left out rather than sent broken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockAction, TEAM_A } from '../helpers/slack-payloads.js';
import { openMilestoneLink } from '../../src/services/milestone-link.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { startSlackHarness, type SlackHarness } from './slack-harness.js';

const PUBLIC_URL = 'https://shipgate.example.com';

interface Button {
  action_id: string;
  url?: string;
  text: { text: string };
}

async function postedCard(h: SlackHarness, milestone: string): Promise<Button[]> {
  h.slack.reset();
  await h.command(TEAM_A, `status ${milestone}`);
  const posted = await h.slack.waitFor('chat.postMessage');
  const blocks = posted.body.blocks as { block_id?: string; elements?: Button[] }[];
  return blocks.find((b) => b.block_id === 'card_actions')!.elements!;
}

describe('Open report on the card, with PUBLIC_URL', () => {
  let h: SlackHarness;
  let m: { id: string };

  beforeAll(async () => {
    h = await startSlackHarness({ PUBLIC_URL });
    const pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId })).project;
    m = await seedMilestone(h.db, pay.id, '2.4');
    await seedRun(h.db, { projectId: pay.id, milestoneId: m.id, passed: 8, failed: 2 });
  });
  afterAll(async () => h?.stop());

  it('is a link button to a signed link that opens this milestone for 7 days', async () => {
    const buttons = await postedCard(h, 'PAY/2.4');
    const report = buttons.at(-1)!;
    expect(report).toMatchObject({ action_id: 'card_open_report', text: { text: 'Open report' } });
    expect(report.url).toMatch(new RegExp(`^${PUBLIC_URL}/m/${m.id}\\.`));
    const opened = await openMilestoneLink(h.db, report.url!.slice(`${PUBLIC_URL}/m/`.length));
    expect(opened.milestoneId).toBe(m.id);
    expect(Date.parse(opened.expiresAt) - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
  });

  it('a click on it is acked and changes nothing', async () => {
    await postedCard(h, 'PAY/2.4');
    h.slack.reset();
    const res = await h.send(
      blockAction(TEAM_A, { actionId: 'card_open_report', value: '' }, { channel: TEAM_A.channelId, messageTs: '1700000000.000100' }),
    );
    expect(res.status).toBe(200);
    await h.idle();
    expect(h.slack.calls).toEqual([]);
  });
});

describe('Open report on the card, without PUBLIC_URL', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness();
    const pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId })).project;
    await seedMilestone(h.db, pay.id, '2.4');
  });
  afterAll(async () => h?.stop());

  it('is left out: no link the server could not make good', async () => {
    const buttons = await postedCard(h, 'PAY/2.4');
    expect(buttons.map((b) => b.action_id)).toEqual(['card_refresh', 'card_signoff', 'card_defect', 'card_link', 'card_complete']);
  });
});
