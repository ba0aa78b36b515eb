// `/milestone threads [on|off]`: this channel's living message (SPEC §11). On
// (the default), a milestone's day is one card edited in place with the day's
// events in its thread; off, each event is a message of its own.
import { getChannelThreads, setChannelThreads } from '../../../../services/set-channel-threads.js';
import type { CommandOf } from '../../../command-parser.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { reply, type CommandRequest } from '../command-request.js';

const ON =
  'on: one card a day per milestone in this channel, updated in place, with the day’s runs, defects, sign-offs and reminders in its thread.';
const OFF = 'off: each run, defect, sign-off and reminder is a message of its own in this channel.';

export async function threadsCommand(deps: SlackDeps, req: CommandRequest<CommandOf<'threads'>>): Promise<void> {
  const { setting } = req.command;
  if (setting === 'show') {
    const on = await getChannelThreads(deps, { workspaceId: req.workspaceId, channelId: req.channelId });
    await reply(req, { text: `Threads are ${on ? ON : OFF} Change it with \`/milestone threads ${on ? 'off' : 'on'}\`.` });
    return;
  }
  await setChannelThreads(deps, { workspaceId: req.workspaceId, channelId: req.channelId, threads: setting === 'on' });
  await reply(req, { text: `Threads are now ${setting === 'on' ? ON : OFF}` });
}
