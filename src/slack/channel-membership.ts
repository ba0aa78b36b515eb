// Whether the bot can share files in a channel, and making it so where Slack
// allows: files (the digest's trend picture) need the bot to be a member, while
// chat:write.public covers messages only. A public channel is joined
// (conversations.join, channels:join); a private one needs someone in it to
// `/invite` the bot, which only people can do. Slack answers a private channel
// the bot is not in as `channel_not_found`.
import type { webApi } from '@slack/bolt';
import type { ChannelAccess } from '../notify/notifier.js';

function slackError(err: unknown): string | undefined {
  return (err as { data?: { error?: string } }).data?.error;
}

export async function ensureMember(client: webApi.WebClient, channel: string): Promise<ChannelAccess> {
  let info: { is_member?: boolean; is_private?: boolean; is_im?: boolean } | undefined;
  try {
    info = (await client.conversations.info({ channel })).channel;
  } catch (err) {
    const code = slackError(err);
    if (code === 'channel_not_found') return 'needs-invite';
    // An installation from before these scopes (missing_scope) or a Slack hiccup: try the upload anyway.
    if (code) return 'unknown';
    throw err;
  }
  if (!info || info.is_member || info.is_im) return 'member';
  if (info.is_private) return 'needs-invite';
  try {
    await client.conversations.join({ channel });
    return 'joined';
  } catch (err) {
    const code = slackError(err);
    if (code === 'method_not_supported_for_channel_type' || code === 'channel_not_found') return 'needs-invite';
    if (code) return 'unknown';
    throw err;
  }
}
