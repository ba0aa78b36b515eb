// `/milestone subscribe|unsubscribe <PROJECT or milestone> [HH:MM] [time zone]`:
// this channel's go/no-go digest. Time and zone default from DIGEST_TIME/DIGEST_TZ.
// `/milestone subscribe` alone lists what this channel is subscribed to.
import { PROJECT_KEY_PATTERN } from '../../../../domain/project-key.js';
import type { Prisma } from '../../../../db/open-database.js';
import { subscribeChannel } from '../../../../services/subscribe-channel.js';
import { unsubscribeChannel } from '../../../../services/unsubscribe-channel.js';
import { parseMilestoneRef } from '../../../command-parser.js';
import { resolveMilestone } from '../../../milestone-resolver.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { noticeMessage } from '../../../../messages/help-message.js';
import { escape } from '../../../../messages/format.js';
import { reply, type CommandRequest } from '../command-request.js';

async function resolveTarget(prisma: Prisma, req: CommandRequest, text: string) {
  // A bare project key wins over a milestone of the same name: `subscribe PAY` means the project.
  if (PROJECT_KEY_PATTERN.test(text.toUpperCase())) {
    const project = await prisma.project.findUnique({
      where: { workspaceId_key: { workspaceId: req.workspaceId, key: text.toUpperCase() } },
    });
    if (project) return { target: { projectId: project.id }, label: `project ${project.key}` };
  }
  const m = await resolveMilestone(prisma, { workspaceId: req.workspaceId, channelId: req.channelId }, parseMilestoneRef(text));
  return { target: { milestoneId: m.id }, label: `${m.project.key}/${m.name}` };
}

export async function subscribeCommand(
  deps: SlackDeps,
  req: CommandRequest<{
    kind: 'subscribe';
    target: string;
    time: string | null;
    timeZone: string | null;
    days: 'daily' | 'weekdays' | null;
  }>,
): Promise<void> {
  const { target, label } = await resolveTarget(deps.db.prisma, req, req.command.target);
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
  const when = s.weekdaysOnly ? 'on weekdays' : 'every day';
  const other = s.weekdaysOnly ? '`daily`' : '`weekdays`';
  await reply(
    req,
    noticeMessage(
      `:calendar: ${created ? 'Subscribed' : 'Updated'}: this channel gets the go/no-go digest of *${label}* ${when} at *${s.digestTime} ${s.timeZone}*. ` +
        `Add ${other} to the command to change the days.`,
    ),
  );
}

export async function unsubscribeCommand(deps: SlackDeps, req: CommandRequest<{ kind: 'unsubscribe'; target: string }>): Promise<void> {
  const { target, label } = await resolveTarget(deps.db.prisma, req, req.command.target);
  await unsubscribeChannel(deps, { workspaceId: req.workspaceId, channelId: req.channelId, target, label });
  await reply(req, noticeMessage(`:no_bell: Unsubscribed: no more digests of *${label}* in this channel.`));
}

export async function subscriptionsCommand(deps: SlackDeps, req: CommandRequest<{ kind: 'subscriptions' }>): Promise<void> {
  const subs = await deps.db.prisma.subscription.findMany({
    where: { workspaceId: req.workspaceId, channelId: req.channelId },
    include: {
      project: { select: { key: true } },
      milestone: { select: { name: true, status: true, project: { select: { key: true } } } },
    },
    orderBy: { createdAt: 'asc' },
  });
  if (subs.length === 0) {
    await reply(
      req,
      noticeMessage(
        'This channel gets no go/no-go digest yet. `/milestone subscribe PAY 09:00 Europe/Berlin` adds one (a project, or a milestone such as `PAY/2.4`).',
      ),
    );
    return;
  }
  const lines = subs.map((s) => {
    const label = s.milestone ? `${s.milestone.project.key}/${s.milestone.name}` : (s.project?.key ?? '?');
    const paused = s.milestone && s.milestone.status !== 'ACTIVE' ? ` (paused: the milestone is ${s.milestone.status.toLowerCase()})` : '';
    return `• *${escape(label)}* ${s.weekdaysOnly ? 'on weekdays' : 'every day'} at ${s.digestTime} ${s.timeZone}${paused}`;
  });
  await reply(
    req,
    noticeMessage(
      `:calendar: Go/no-go digests in this channel:\n${lines.join('\n')}\n\`/milestone unsubscribe <PROJECT or milestone>\` stops one.`,
    ),
  );
}
