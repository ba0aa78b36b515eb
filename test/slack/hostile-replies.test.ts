// What the real Bolt app answers over signed requests when names in the
// database are hostile: every reply, card, modal and Home view it sends to
// Slack's Web API (the stand-in) or a response_url carries no live mention or
// disguised link. Names are stored as typed, so this runs on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWS } from '../../src/messages/action-ids.js';
import { LINK_FIELDS } from '../../src/messages/modals/link-run-modal.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { appHomeOpened, select, TEAM_A, text, viewSubmission } from '../helpers/slack-payloads.js';
import { mrkdwnStrings, unexpectedMarkup } from '../helpers/slack-markup.js';
import { testProvider } from '../helpers/test-database.js';
import { startSlackHarness, type SlackHarness } from './slack-harness.js';

const HOSTILE = 'Checkout <!channel> <!here> <@U1> <https://evil.example|click> &';

let h: SlackHarness;
let milestoneId: string;

beforeAll(async () => {
  h = await startSlackHarness();
  const { project } = await seedProject(h.db, 'EVIL', { teamId: TEAM_A.teamId, name: HOSTILE });
  const m = await seedMilestone(h.db, project.id, HOSTILE, { slackChannelId: TEAM_A.channelId });
  milestoneId = m.id;
  await seedRun(h.db, { projectId: project.id, milestoneId, name: HOSTILE, passed: 1, failed: 1, status: 'IN_PROGRESS' });
});
afterAll(async () => h?.stop());

function live(message: unknown): string[] {
  return mrkdwnStrings(message).flatMap((t) => unexpectedMarkup(t));
}

describe(`hostile names stay text in what the app sends (${testProvider()})`, () => {
  it.each([
    ['subscribe', `subscribe EVIL/${HOSTILE} 09:00 UTC`],
    ['subscriptions', 'subscribe'],
    ['unsubscribe', `unsubscribe EVIL/${HOSTILE}`],
    ['list', 'list EVIL all'],
    ['project use', 'project use EVIL'],
    ['apikey list', 'apikey list EVIL'],
    ['archive', `archive EVIL/${HOSTILE}`],
    ['reopen', `reopen EVIL/${HOSTILE}`],
    ['status of an unknown name', `status EVIL/${HOSTILE} nope`],
  ])('/milestone %s', async (_what, command) => {
    const r = await h.command(TEAM_A, command);
    expect(r.ack.status).toBe(200);
    const reply = await r.reply();
    expect(JSON.stringify(reply)).not.toContain('Something went wrong');
    expect(live(reply)).toEqual([]);
    expect(live(r.ack.json)).toEqual([]);
  });

  it('/milestone status posts the card without live markup', async () => {
    h.slack.reset();
    // The name typed in Slack: its &, < and > arrive encoded (raw <…> in a command is Slack's own mention and link markup).
    const typed = HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const r = await h.command(TEAM_A, `status EVIL/${typed}`);
    expect(r.ack.status).toBe(200);
    const post = await h.slack.waitFor('chat.postMessage');
    expect(JSON.stringify(post.body)).toContain('&lt;!channel&gt;');
    expect(live(post.body)).toEqual([]);
  });

  it('linking a run from the modal tells the person without live markup', async () => {
    h.slack.reset();
    const res = await h.send(
      viewSubmission(
        TEAM_A,
        VIEWS.linkRun,
        { [LINK_FIELDS.name]: text(`manual ${HOSTILE}`), [LINK_FIELDS.environment]: text(null), [LINK_FIELDS.existing]: select(null) },
        JSON.stringify({ m: milestoneId }),
      ),
    );
    expect(res.status).toBe(200);
    const dm = await h.slack.waitFor('chat.postMessage', (c) => c.body.channel === TEAM_A.userId);
    expect(JSON.stringify(dm.body)).toContain('manual Checkout &lt;!channel&gt;');
    expect(live(dm.body)).toEqual([]);
  });

  it('the Home tab shows the names as text', async () => {
    h.slack.reset();
    await h.send(appHomeOpened(TEAM_A, 'Ev-hostile-1'));
    const publish = await h.slack.waitFor('views.publish');
    expect(live(publish.body)).toEqual([]);
  });
});
