// `shipgate quarantine add|list|remove`: a project's quarantined tests (SPEC
// §10), straight against the database like the other administration commands.
// The operator is the actor on the audit trail (local, with the OS user).
import type { Command } from 'commander';
import { endQuarantine } from '../../services/end-quarantine.js';
import { listQuarantines } from '../../services/list-quarantines.js';
import { quarantineTest } from '../../services/quarantine-test.js';
import type { QuarantineView } from '../../services/quarantine-view.js';
import { resolveProject } from '../../services/resolve-project.js';
import { withDatabaseOption } from '../database-choice.js';
import { CLI_HINTS } from '../lookup-hints.js';
import { withDatabase } from '../run-command.js';
import { adminWorkspace, localOperator, printJson, WORKSPACE_OPTION } from './admin-common.js';

interface DbOptions {
  database?: string;
  workspace?: string;
}

export function registerQuarantine(program: Command): void {
  const quarantine = program
    .command('quarantine')
    .description("Quarantine tests: a non-critical test's failures leave the pass rate until a date (add, list, remove).");
  withDatabaseOption(
    quarantine
      .command('add')
      .description(
        "Quarantine a project's non-critical test case: its failures leave every milestone's pass rate until --until, and show as the risk QUARANTINED_TESTS. A critical case is refused.",
      )
      .argument('<KEY>', 'project key, e.g. PAY')
      .argument('<caseKey>', 'the test case key, exactly as results name it (quote it when it has spaces)')
      .requiredOption('--until <date>', "when it ends: YYYY-MM-DD (the end of that day in the project's time zone) or an ISO-8601 instant")
      .requiredOption('--reason <text>', 'why its failures may be left out for now')
      .option('--json', 'print the quarantine as JSON')
      .option(...WORKSPACE_OPTION),
  ).action(async (projectKey: string, caseKey: string, opts: DbOptions & { until: string; reason: string; json?: boolean }) => {
    await withDatabase(async (deps) => {
      const workspace = await adminWorkspace(deps, opts.workspace);
      const project = await resolveProject(deps, { workspaceId: workspace.id, key: projectKey, hints: CLI_HINTS });
      const q = await quarantineTest(deps, {
        projectId: project.id,
        caseKey,
        until: opts.until,
        reason: opts.reason,
        actor: localOperator(),
      });
      if (opts.json) printJson(q);
      else console.log(`Quarantined ${q.caseKey} of ${project.key} until ${q.until}: its failures are left out of the pass rate.`);
    }, opts);
  });
  withDatabaseOption(
    quarantine
      .command('list')
      .description("List a project's quarantined tests, soonest to end first; ended ones (or made critical) are marked.")
      .argument('<KEY>', 'project key, e.g. PAY')
      .option('--json', 'print JSON: { project, quarantines: [...] }')
      .option(...WORKSPACE_OPTION),
  ).action(async (projectKey: string, opts: DbOptions & { json?: boolean }) => {
    await withDatabase(async (deps) => {
      const workspace = await adminWorkspace(deps, opts.workspace);
      const project = await resolveProject(deps, { workspaceId: workspace.id, key: projectKey, hints: CLI_HINTS });
      const list = await listQuarantines(deps, { projectId: project.id });
      if (opts.json) printJson({ project: project.key, quarantines: list });
      else console.log(quarantinesText(project.key, list));
    }, opts);
  });
  withDatabaseOption(
    quarantine
      .command('remove')
      .description("End a test's quarantine now: its failures count again.")
      .argument('<KEY>', 'project key, e.g. PAY')
      .argument('<caseKeyOrId>', "the test case key, or the quarantine's id")
      .option(...WORKSPACE_OPTION),
  ).action(async (projectKey: string, ref: string, opts: DbOptions) => {
    await withDatabase(async (deps) => {
      const workspace = await adminWorkspace(deps, opts.workspace);
      const project = await resolveProject(deps, { workspaceId: workspace.id, key: projectKey, hints: CLI_HINTS });
      const q = await endQuarantine(deps, { projectId: project.id, ref, actor: localOperator() });
      console.log(`Removed the quarantine of ${q.caseKey} of ${project.key}: its failures count again.`);
    }, opts);
  });
}

function quarantinesText(projectKey: string, list: QuarantineView[]): string {
  if (!list.length) return `${projectKey} has no quarantined tests.`;
  const lines = list.map((q) => {
    const state = q.critical ? '  (critical now: its failures count)' : q.inForce ? '' : '  (ended: its failures count again)';
    return `${q.id}  ${q.caseKey}  until ${q.until}  by ${q.by}  ${q.reason}${state}`;
  });
  return [`Quarantined tests of ${projectKey}:`, ...lines].join('\n');
}
