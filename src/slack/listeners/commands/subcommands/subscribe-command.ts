// `/milestone subscribe|unsubscribe <PROJECT or milestone> [HH:MM] [time zone]`:
// this channel's go/no-go digest. Time and zone default from DIGEST_TIME/DIGEST_TZ.
// `/milestone subscribe` alone lists what this channel is subscribed to.
import { listChannelSubscriptions } from '../../../../services/list-channel-subscriptions.js';
import { resolveSubscriptionTarget } from '../../../../services/resolve-subscription-target.js';
import { subscribeChannel } from '../../../../services/subscribe-channel.js';
import { unsubscribeChannel } from '../../../../services/unsubscribe-channel.js';
import { ensureMember } from '../../../channel-membership.js';
import { parseMilestoneRef, type CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { subscribedReply, subscriptionsReply, unsubscribedReply } from '../../../../messages/command-replies.js';
import { reply, type CommandRequest } from '../command-request.js';

function resolveTarget(deps: SlackDeps, req: Pick<CommandRequest, 'workspaceId' | 'channelId'>, text: string) {
  return resolveSubscriptionTarget(deps, {
    workspaceId: req.workspaceId,
    channelId: req.channelId,
    ref: parseMilestoneRef(text),
    hints: SLACK_HINTS,
  });
}

export async function subscribeCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'subscribe'>>): Promise<void> {
  const { target, label } = await resolveTarget(deps, req, req.command.target);
  const { command } = req;
  // What is not named is kept on an existing subscription, and defaulted on a new one.
  const { subscription: s, created } = await subscribeChannel(deps, {
    workspaceId: req.workspaceId,
    channelId: req.channelId,
    target,
    ...(command.time ? { digestTime: command.time } : {}),
    ...(command.timeZone ? { timeZone: command.timeZone } : {}),
    ...(command.days ? { weekdaysOnly: command.days === 'weekdays' } : {}),
    defaults: { digestTime: deps.config.digest.time, timeZone: deps.config.digest.timeZone },
    createdBy: req.userId,
  });
  // The digest's picture needs the bot in the channel: join a public one now, or say at once that a private one needs an invite.
  const membership = await ensureMember(req.client, req.channelId).catch((err: unknown) => {
    deps.logger.warn({ err, channel: req.channelId }, 'could not check channel membership at subscribe');
    return null;
  });
  await reply(
    req,
    subscribedReply({ created, label, weekdaysOnly: s.weekdaysOnly, digestTime: s.digestTime, timeZone: s.timeZone, membership }),
  );
}

export async function unsubscribeCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'unsubscribe'>>): Promise<void> {
  const { target, label } = await resolveTarget(deps, req, req.command.target);
  await unsubscribeChannel(deps, { workspaceId: req.workspaceId, channelId: req.channelId, target, label });
  await reply(req, unsubscribedReply(label));
}

export async function subscriptionsCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'subscriptions'>>): Promise<void> {
  const subs = await listChannelSubscriptions(deps, { workspaceId: req.workspaceId, channelId: req.channelId });
  await reply(req, subscriptionsReply(subs));
}
