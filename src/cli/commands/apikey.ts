// `shipgate apikey create|list|revoke`: CI keys for the REST API, straight
// against the database. A new key is printed once; only its hash is stored.
// Each subcommand is its own small registration, so a later property of a key
// (a scope) is one option on `create` and one column in format-admin.ts.
import { InvalidArgumentError, type Command } from 'commander';
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPE, isApiKeyScope, type ApiKeyScope } from '../../domain/api-key-scopes.js';
import { createApiKey } from '../../services/create-api-key.js';
import { listApiKeys } from '../../services/list-api-keys.js';
import { resolveProject } from '../../services/resolve-project.js';
import { resolveWorkspace } from '../../services/resolve-workspace.js';
import { revokeApiKey } from '../../services/revoke-api-key.js';
import { withDatabaseOption } from '../database-choice.js';
import { apiKeysText } from '../format-admin.js';
import { CLI_HINTS } from '../lookup-hints.js';
import { withDatabase } from '../run-command.js';
import { adminWorkspace, printJson, WORKSPACE_OPTION } from './admin-common.js';

interface DbOptions {
  database?: string;
  workspace?: string;
}

export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('Manage REST API keys for CI: create, list, revoke.');
  registerCreate(apikey);
  registerList(apikey);
  registerRevoke(apikey);
}

function registerCreate(apikey: Command): void {
  withDatabaseOption(
    apikey
      .command('create')
      .description('Create an API key for a project. The key is printed once; only its hash is stored.')
      .argument('<KEY>', 'project key, e.g. PAY')
      .option('--name <label>', 'a label to tell keys apart, e.g. "github-actions"')
      .option(
        '--scope <scope>',
        `what the key may do: ${API_KEY_SCOPES.join(', ')} (default ${DEFAULT_API_KEY_SCOPE}: post results and report defects, not move a gate)`,
        scopeOption,
      )
      .option(...WORKSPACE_OPTION),
  ).action(async (projectKey: string, opts: DbOptions & { name?: string; scope?: ApiKeyScope }) => {
    await withDatabase(async (deps) => {
      const workspace = await resolveWorkspace(deps, opts.workspace);
      const created = await createApiKey(deps, {
        workspaceId: workspace.id,
        projectKey,
        name: opts.name ?? null,
        scope: opts.scope,
        createdBy: 'cli',
      });
      if (process.stdout.isTTY) {
        console.log(`API key for ${created.project.key} (shown once; store it as SHIPGATE_API_KEY in your CI secrets):`);
      }
      console.log(created.key);
    }, opts);
  });
}

function scopeOption(value: string): ApiKeyScope {
  const v = value.trim().toLowerCase();
  if (!isApiKeyScope(v)) throw new InvalidArgumentError(`expected one of ${API_KEY_SCOPES.join(', ')}, got "${value}"`);
  return v;
}

function registerList(apikey: Command): void {
  withDatabaseOption(
    apikey
      .command('list')
      .description("List a project's API keys: id, the key's first characters, name, created, last used. Never the key itself.")
      .argument('<KEY>', 'project key, e.g. PAY')
      .option('--all', 'include revoked keys')
      .option('--json', 'print JSON: { project, keys: [...] }')
      .option(...WORKSPACE_OPTION),
  ).action(async (projectKey: string, opts: DbOptions & { all?: boolean; json?: boolean }) => {
    await withDatabase(async (deps) => {
      const workspace = await adminWorkspace(deps, opts.workspace);
      const project = await resolveProject(deps, { workspaceId: workspace.id, key: projectKey, hints: CLI_HINTS });
      const keys = await listApiKeys(deps, { projectId: project.id, includeRevoked: opts.all });
      if (opts.json) printJson({ project: project.key, keys });
      else console.log(apiKeysText(project.key, keys, Boolean(opts.all)));
    }, opts);
  });
}

function registerRevoke(apikey: Command): void {
  withDatabaseOption(
    apikey
      .command('revoke')
      .description('Revoke an API key at once: every request with it is refused (401) from now on. Revoking it again changes nothing.')
      .argument('<id>', "the key's id, as `shipgate apikey list <KEY>` shows it")
      .option(...WORKSPACE_OPTION),
  ).action(async (id: string, opts: DbOptions) => {
    await withDatabase(async (deps) => {
      const workspace = await adminWorkspace(deps, opts.workspace);
      const { key, alreadyRevoked } = await revokeApiKey(deps, { workspaceId: workspace.id, id: id.trim(), hints: CLI_HINTS });
      const label = `${key.prefix}… of ${key.project.key}${key.name ? ` (${key.name})` : ''}`;
      console.log(alreadyRevoked ? `Key ${label} was already revoked; nothing changed.` : `Revoked key ${label}.`);
    }, opts);
  });
}
