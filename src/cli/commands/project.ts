// `shipgate project create|list`: administration straight against the database.
import type { Command } from 'commander';
import { createProject } from '../../services/create-project.js';
import { listProjects } from '../../services/list-projects.js';
import { findWorkspace, resolveWorkspace } from '../../services/resolve-workspace.js';
import { withDatabaseOption } from '../database-choice.js';
import { projectsText } from '../format-admin.js';
import { withDatabase } from '../run-command.js';
import { printJson, WORKSPACE_OPTION } from './admin-common.js';

const LISTED = 1000;

export function registerProject(program: Command): void {
  const project = program.command('project').description('Manage projects (straight against the database, for set-up without Slack).');
  withDatabaseOption(
    project
      .command('create')
      .description('Create a project. KEY: 2–10 characters, upper-case letter then letters/digits (e.g. PAY).')
      .argument('<KEY>', 'project key, e.g. PAY')
      .argument('<name...>', 'project name, e.g. "Payments"')
      .option(...WORKSPACE_OPTION)
      .option('--channel <channelId>', 'default Slack channel id for the project'),
  ).action(async (key: string, nameParts: string[], opts: { workspace?: string; channel?: string; database?: string }) => {
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
    }, opts);
  });

  withDatabaseOption(
    project
      .command('list')
      .description('List the projects of the workspace by key.')
      .option('--json', 'print JSON: { projects: [...] }')
      .option(...WORKSPACE_OPTION),
  ).action(async (opts: { workspace?: string; json?: boolean; database?: string }) => {
    await withDatabase(async (deps) => {
      const workspace = await findWorkspace(deps, opts.workspace);
      const projects = workspace ? await listProjects(deps, { workspaceId: workspace.id, limit: LISTED }) : [];
      const rows = projects.map((p) => ({ id: p.id, key: p.key, name: p.name, slackChannelId: p.slackChannelId, createdAt: p.createdAt }));
      if (opts.json) printJson({ projects: rows });
      else console.log(projectsText(rows));
    }, opts);
  });
}
