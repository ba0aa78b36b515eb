// `shipgate project create|list|set-approvers|owners|badge|rotate-link-secret`: administration straight against the database.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { createProject } from '../../services/create-project.js';
import { listProjects } from '../../services/list-projects.js';
import { listWorkspaceMilestones } from '../../services/list-workspace-milestones.js';
import { badgeUrls, rotateLinkSecret } from '../../services/milestone-link.js';
import { resolveProject } from '../../services/resolve-project.js';
import { findWorkspace, resolveWorkspace } from '../../services/resolve-workspace.js';
import { updateProject } from '../../services/update-project.js';
import { CLI_HINTS } from '../lookup-hints.js';
import { withDatabaseOption } from '../database-choice.js';
import { projectsText } from '../format-admin.js';
import { exitCodeOf, fail, withDatabase } from '../run-command.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { adminWorkspace, localOperator, printJson, WORKSPACE_OPTION } from './admin-common.js';
import { parseApprovers } from '../../domain/approvers.js';
import { formatOwnersFile, parseOwnersFile } from '../../domain/owners-file.js';
import { AppError } from '../../domain/errors.js';
import type { OwnerRule } from '../../domain/owners.js';
import { listOwnerRules } from '../../services/list-owner-rules.js';
import { setOwnerRules } from '../../services/set-owner-rules.js';

const LISTED = 1000;
/** Active milestones a badge snippet is printed for. */
const SNIPPETS = 5;

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

  withDatabaseOption(
    project
      .command('owners')
      .description(
        "List who owns which tests of the project, as a CODEOWNERS-style file (one rule a line: pattern then @ids; the LAST matching rule wins, as in GitHub's CODEOWNERS). --set-file replaces every rule with a file's; --clear removes them. Changes are recorded on the audit trail.",
      )
      .argument('<KEY>', 'project key, e.g. PAY')
      .option(
        '--set-file <FILE>',
        'replace the rules with this file\'s: lines "pattern @U… @S…", # comments, "\\ " for a space in a pattern',
      )
      .option('--clear', 'remove every owner rule')
      .option('--json', 'print JSON: { rules: [{ pattern, owners }] }')
      .option(...WORKSPACE_OPTION),
  )
    .addHelpText(
      'after',
      [
        '',
        'File format (the last matching line wins; a pattern matches like a milestone scope: no * or ? → one case key, else key or suite):',
        '  # payments team owns checkout, Ann the card payments',
        '  checkout*                 @S0614TZR7',
        '  checkout::pays-by-card    @U024BE7LH',
        '',
        'Example: shipgate project owners PAY --set-file OWNERS',
      ].join('\n'),
    )
    .action(async (key: string, opts: { workspace?: string; setFile?: string; clear?: boolean; json?: boolean; database?: string }) => {
      if (opts.setFile !== undefined && opts.clear)
        fail('--set-file and --clear cannot go together: --clear removes every rule.', EXIT_USAGE);
      // The file is read and checked before the database is opened: a bad line changes nothing.
      let rules: OwnerRule[] | null = null;
      try {
        rules = opts.clear ? [] : opts.setFile !== undefined ? readOwnersFile(opts.setFile) : null;
      } catch (err) {
        if (err instanceof AppError) fail(err.message, exitCodeOf(err));
        throw err;
      }
      await withDatabase(async (deps) => {
        const workspace = await adminWorkspace(deps, opts.workspace);
        const found = await resolveProject(deps, { workspaceId: workspace.id, key, hints: CLI_HINTS });
        const shown = rules
          ? (
              await setOwnerRules(deps, {
                projectId: found.id,
                rules,
                actor: localOperator(),
              })
            ).rules
          : await listOwnerRules(deps, { projectId: found.id });
        if (opts.json) {
          printJson({ rules: shown });
          return;
        }
        if (rules)
          console.error(shown.length ? `Owner rules of ${found.key} set: ${shown.length}.` : `${found.key} has no owner rules now.`);
        if (shown.length) process.stdout.write(formatOwnersFile(shown));
        else if (!rules)
          console.log(`${found.key} has no owner rules. Set them with: shipgate project owners ${found.key} --set-file FILE`);
      }, opts);
    });

  withDatabaseOption(
    project
      .command('badge')
      .description(
        'Turn the public badge of a project on or off (off by default). When on, anyone can read each milestone’s verdict and pass rate at GET /badge/KEY/<milestone>.svg and .json (shields.io endpoint).',
      )
      .argument('<KEY>', 'project key, e.g. PAY')
      .argument('<on|off>', 'on serves the badge, off stops it', onOff)
      .option(...WORKSPACE_OPTION),
  )
    .addHelpText('after', '\nExample: shipgate project badge PAY on')
    .action(async (key: string, on: boolean, opts: { workspace?: string; database?: string }) => {
      await withDatabase(async (deps, config) => {
        const workspace = await adminWorkspace(deps, opts.workspace);
        const found = await resolveProject(deps, { workspaceId: workspace.id, key, hints: CLI_HINTS });
        await updateProject(deps, { projectId: found.id, patch: { badgeEnabled: on }, actor: localOperator() });
        if (!on) {
          console.log(`The badge of ${found.key} is off: /badge/${found.key}/… answers 404.`);
          return;
        }
        console.log(
          `The badge of ${found.key} is on: each milestone's verdict and pass rate are public at /badge/${found.key}/<milestone>.svg and .json.`,
        );
        const base = config.pages.publicUrl;
        if (!base) {
          console.log('Set PUBLIC_URL (the address the server is reached at) to have the full addresses printed here.');
          return;
        }
        const { items } = await listWorkspaceMilestones(deps, {
          workspaceId: workspace.id,
          projectId: found.id,
          statuses: ['ACTIVE'],
          limit: SNIPPETS,
        });
        const names = items.length ? items.map((m) => m.name) : ['MILESTONE'];
        console.log(`Markdown for a README${items.length ? '' : ' (MILESTONE: the milestone’s name, URL-encoded)'}:`);
        for (const name of names) {
          const svg = badgeUrls(base, found.key, name).svg;
          console.log(`  ![${found.key}/${name}](${svg})`);
        }
        const json = badgeUrls(base, found.key, names[0]!).json;
        console.log(
          `Or styled by shields.io: ![${found.key}/${names[0]!}](https://img.shields.io/endpoint?url=${encodeURIComponent(json)})`,
        );
      }, opts);
    });

  withDatabaseOption(
    project
      .command('rotate-link-secret')
      .description(
        "Revoke every link to a readiness page of the project: its link secret is replaced, so links issued before stop working (new ones from the card's Open report button or `shipgate milestone show --link` work).",
      )
      .argument('<KEY>', 'project key, e.g. PAY')
      .option(...WORKSPACE_OPTION),
  ).action(async (key: string, opts: { workspace?: string; database?: string }) => {
    await withDatabase(async (deps) => {
      const workspace = await adminWorkspace(deps, opts.workspace);
      const found = await resolveProject(deps, { workspaceId: workspace.id, key, hints: CLI_HINTS });
      await rotateLinkSecret(deps, { projectId: found.id });
      console.log(`Every link to a readiness page of ${found.key} issued before now stops working; new links work.`);
    }, opts);
  });
}

/** The rules of a CODEOWNERS-style file; a file that cannot be read or a bad line is an error naming it. */
function readOwnersFile(path: string) {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `Cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return parseOwnersFile(text);
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `${path}: ${err.message} Nothing was changed.`);
    throw err;
  }
}

function onOff(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new InvalidArgumentError('expected on or off');
}
