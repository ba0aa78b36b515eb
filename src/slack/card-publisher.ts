// Posts the readiness card and updates it in place after someone acts on it;
// each rendering carries a fresh link to the readiness page (Open report).
import type { webApi } from '@slack/bolt';
import { getChannelCard } from '../services/get-milestone-card.js';
import type { SlackDeps } from './slack-deps.js';
import { readinessCard } from '../messages/readiness-card.js';

type Client = webApi.WebClient;

export async function buildCard(deps: SlackDeps, milestoneId: string) {
  return readinessCard(await getChannelCard(deps, milestoneId));
}

/**
 * Posts the card to a channel. When the bot cannot post there (a private channel
 * it was not invited to), `fallback` (the command's response_url) shows it instead.
 */
export async function postCard(
  deps: SlackDeps,
  client: Client,
  channel: string,
  milestoneId: string,
  fallback?: (message: { text: string; blocks: unknown[] }) => Promise<unknown>,
): Promise<void> {
  const card = await buildCard(deps, milestoneId);
  try {
    await client.chat.postMessage({ channel, text: card.text, blocks: card.blocks });
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (fallback && (code === 'not_in_channel' || code === 'channel_not_found')) {
      await fallback({ ...card, response_type: 'in_channel' } as { text: string; blocks: unknown[] });
      return;
    }
    throw err;
  }
}

/** Re-renders the card in the message it lives in (channel + ts), if it is known. */
export async function refreshCard(
  deps: SlackDeps,
  client: Client,
  where: { channel?: string; ts?: string },
  milestoneId: string,
): Promise<void> {
  if (!where.channel || !where.ts) return;
  const card = await buildCard(deps, milestoneId);
  try {
    await client.chat.update({ channel: where.channel, ts: where.ts, text: card.text, blocks: card.blocks });
  } catch (err) {
    // The card may have been deleted meanwhile; the action itself succeeded.
    deps.logger.warn({ err, channel: where.channel, ts: where.ts }, 'could not update the readiness card in place');
  }
}
