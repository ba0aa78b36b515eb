// SlackNotifier: what the schedules and the outbox post through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../src/notify/notifier.js';
import { TEAM_A } from '../helpers/slack-payloads.js';
import { seedWorkspace } from '../helpers/factories.js';
import { BOT_TOKEN, startSlackHarness, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;
let workspaceId: string;

beforeAll(async () => {
  h = await startSlackHarness();
  workspaceId = (await seedWorkspace(h.db, TEAM_A.teamId)).id;
});
afterAll(async () => h?.stop());

describe('SlackNotifier', () => {
  it('posts, threads and updates with the bot token', async () => {
    h.slack.reset();
    expect(h.notifier.enabled).toBe(true);
    const posted = await h.notifier.post({
      workspaceId,
      channel: 'C1',
      text: 'Digest',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
    });
    expect(posted.channel).toBe('C1');
    expect(posted.ts).toMatch(/^\d+\.\d+$/);
    await h.notifier.post({ workspaceId, channel: 'C1', text: 'reply', threadTs: posted.ts });
    await h.notifier.update({ workspaceId, channel: 'C1', ts: posted.ts, text: 'Digest (updated)' });
    const [first, reply] = h.slack.callsTo('chat.postMessage');
    expect(first).toMatchObject({ token: BOT_TOKEN, body: { channel: 'C1', text: 'Digest' } });
    expect(reply!.body.thread_ts).toBe(posted.ts);
    expect(h.slack.callsTo('chat.update')[0]!.body).toMatchObject({ channel: 'C1', ts: posted.ts, text: 'Digest (updated)' });
  });

  it('uploads a file with files.uploadV2 (get URL, upload bytes, complete)', async () => {
    h.slack.reset();
    await h.notifier.upload({
      workspaceId,
      channel: 'C1',
      filename: 'trend.png',
      title: 'Trend',
      content: Buffer.from('PNGDATA'),
      initialComment: 'Pass rate trend',
    });
    expect(h.slack.callsTo('files.getUploadURLExternal')[0]!.body).toMatchObject({ filename: 'trend.png', length: '7' });
    expect(h.slack.callsTo('upload')).toHaveLength(1);
    expect(h.slack.callsTo('files.completeUploadExternal')[0]!.body).toMatchObject({
      channel_id: 'C1',
      initial_comment: 'Pass rate trend',
    });
  });

  it("turns Slack's 429 into RateLimitedError with the wait, without retrying", async () => {
    h.slack.reset();
    h.slack.respond('chat.postMessage', () => ({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { ok: false, error: 'ratelimited' },
    }));
    const error = await h.notifier.post({ workspaceId, channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(30_000);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('reports a Slack error as an error', async () => {
    h.slack.reset();
    h.slack.respond('chat.postMessage', () => ({ body: { ok: false, error: 'channel_not_found' } }));
    await expect(h.notifier.post({ workspaceId, channel: 'C404', text: 'x' })).rejects.toThrow(/channel_not_found/);
  });
});
