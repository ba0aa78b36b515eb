// `shipgate project create <KEY> <name>`: administration straight against the database.
import type { Command } from 'commander';
import { createProject } from '../../services/create-project.js';
import { resolveWorkspace } from '../../services/resolve-workspace.js';
import { withDatabase } from '../run-command.js';

export function registerProject(program: Command): void {
  const project = program.command('project').description('Manage projects (straight against the database, for set-up without Slack).');
  project
    .command('create')
    .description('Create a project. KEY: 2–10 characters, upper-case letter then letters/digits (e.g. PAY).')
    .argument('<KEY>', 'project key, e.g. PAY')
    .argument('<name...>', 'project name, e.g. "Payments"')
    .option('--workspace <teamId>', 'Slack team id of the workspace (needed only when the database holds several)')
    .option('--channel <channelId>', 'default Slack channel id for the project')
    .action(async (key: string, nameParts: string[], opts: { workspace?: string; channel?: string }) => {
      await withDatabase(async (deps) => {
        const workspace = await resolveWorkspace(deps, opts.workspace);
        const created = await createProject(deps, {
          workspaceId: workspace.id,
          key,
          name: nameParts.join(' '),
          slackChannelId: opts.channel ?? null,
        });
        console.log(`Created project ${created.key} (${created.name}), id ${created.id}.`);
        console.log(`Next: shipgate apikey create ${created.key}`);
      });
    });
}
