// `shipgate apikey create <KEY>`: a CI key for one project, printed once.
import type { Command } from 'commander';
import { createApiKey } from '../../services/create-api-key.js';
import { resolveWorkspace } from '../../services/resolve-workspace.js';
import { withDatabase } from '../run-command.js';

export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('Manage REST API keys for CI.');
  apikey
    .command('create')
    .description('Create an API key for a project. The key is printed once; only its hash is stored.')
    .argument('<KEY>', 'project key, e.g. PAY')
    .option('--name <label>', 'a label to tell keys apart, e.g. "github-actions"')
    .option('--workspace <teamId>', 'Slack team id of the workspace (needed only when the database holds several)')
    .action(async (projectKey: string, opts: { name?: string; workspace?: string }) => {
      await withDatabase(async (deps) => {
        const workspace = await resolveWorkspace(deps, opts.workspace);
        const created = await createApiKey(deps, { workspaceId: workspace.id, projectKey, name: opts.name ?? null, createdBy: 'cli' });
        if (process.stdout.isTTY) {
          console.log(`API key for ${created.project.key} (shown once; store it as SHIPGATE_API_KEY in your CI secrets):`);
        }
        console.log(created.key);
      });
    });
}
