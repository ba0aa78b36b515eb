// `shipgate project create|list|set-approvers`: administration straight against the database.
import type { Command } from 'commander';
import { createProject } from '../../services/create-project.js';
import { listProjects } from '../../services/list-projects.js';
import { findWorkspace, resolveWorkspace } from '../../services/resolve-workspace.js';
import { withDatabaseOption } from '../database-choice.js';
import { projectsText } from '../format-admin.js';
import { fail, withDatabase } from '../run-command.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { adminWorkspace, localOperator, printJson, WORKSPACE_OPTION } from './admin-common.js';
import { parseApprovers } from '../../domain/approvers.js';
import { resolveProject } from '../../services/resolve-project.js';
import { updateProject } from '../../services/update-project.js';
import { CLI_HINTS } from '../lookup-hints.js';

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

  withDatabaseOption(
    project
      .command('set-approvers')
      .description(
        "Set who alone may change the project's gate or scope, waive, complete against the gate and sign off in Slack: Slack user ids (U…, W…) and user group ids (S…). --clear: anyone may. Recorded on the audit trail.",
      )
      .argument('<KEY>', 'project key, e.g. PAY')
      .argument('[ids...]', 'Slack user ids (U024BE7LH) and user group ids (S0614TZR7)')
      .option('--clear', 'no approvers: anyone in the workspace may, as by default')
      .option(...WORKSPACE_OPTION),
  )
    .addHelpText('after', '\nExample: shipgate project set-approvers PAY U024BE7LH S0614TZR7')
    .action(async (key: string, ids: string[], opts: { workspace?: string; clear?: boolean; database?: string }) => {
      if (opts.clear ? ids.length > 0 : ids.length === 0)
        fail(
          opts.clear
            ? '--clear takes no ids: it removes every approver.'
            : 'name the approvers (Slack user ids U…, group ids S…), or --clear to let anyone approve.',
          EXIT_USAGE,
        );
      await withDatabase(async (deps) => {
        const workspace = await adminWorkspace(deps, opts.workspace);
        const found = await resolveProject(deps, { workspaceId: workspace.id, key, hints: CLI_HINTS });
        const { project: updated } = await updateProject(deps, {
          projectId: found.id,
          patch: { approvers: opts.clear ? [] : ids.map((id) => id.trim().toUpperCase()) },
          actor: localOperator(),
        });
        const approvers = parseApprovers(updated.approvers);
        console.log(
          approvers.length
            ? `Approvers of ${updated.key}: ${approvers.join(', ')}. Only they may change its gate or scope, waive, complete against the gate and sign off in Slack.`
            : `${updated.key} has no approvers: anyone in the workspace may approve in Slack.`,
        );
      }, opts);
    });
}
