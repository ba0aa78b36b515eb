// `/milestone project create <KEY> <name>`, `project jira <KEY> <JIRA-KEY>`,
// `project use <KEY>` (the channel's default project).
import { createProject } from '../../../../services/create-project.js';
import { getChannelProject } from '../../../../services/get-channel-project.js';
import { resolveProject } from '../../../../services/resolve-project.js';
import { setChannelProject } from '../../../../services/set-channel-project.js';
import type { CommandOf } from '../../../command-parser.js';
import { SLACK_HINTS } from '../../../lookup-hints.js';
import type { SlackDeps } from '../../../slack-deps.js';
import { projectCreatedReply, projectJiraReply, projectUseReply } from '../../../../messages/command-replies.js';
import { reply, type CommandRequest } from '../command-request.js';
import { setProjectJira } from './set-project-jira.js';

export async function projectCommand(
  deps: SlackDeps,
  req: CommandRequest<CommandOf<'project-create' | 'project-jira' | 'project-use'>>,
): Promise<void> {
  const c = req.command;
  if (c.kind === 'project-create') {
    const project = await createProject(deps, { workspaceId: req.workspaceId, key: c.key, name: c.name, slackChannelId: req.channelId });
    // The channel a project is created in is where it lives, unless it already has one.
    const existing = await getChannelProject(deps, { workspaceId: req.workspaceId, channelId: req.channelId });
    if (!existing) await setChannelProject(deps, { workspaceId: req.workspaceId, channelId: req.channelId, projectId: project.id });
    await reply(req, projectCreatedReply({ key: project.key, name: project.name, channelDefault: !existing }));
    return;
  }
  const project = await resolveProject(deps, { workspaceId: req.workspaceId, key: c.key, hints: SLACK_HINTS });
  if (c.kind === 'project-jira') {
    const requeued = await setProjectJira(deps, { projectId: project.id, jiraProjectKey: c.jiraKey, actor: req.actor });
    await reply(req, projectJiraReply({ key: project.key, jiraKey: c.jiraKey, requeued }));
    return;
  }
  await setChannelProject(deps, { workspaceId: req.workspaceId, channelId: req.channelId, projectId: project.id });
  await reply(req, projectUseReply(project.key));
}
