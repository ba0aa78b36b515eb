// `shipgate doctor`: recomputes milestones' current state from their result
// history, and their scope's cases from the scope, and reports (or, with
// --repair, rebuilds) any drift in what is kept at ingest. Straight against the database, like the other admin commands.
import type { Command } from 'commander';
import { checkCurrentState, hasDrift } from '../../services/check-current-state.js';
import { findMilestone } from '../../services/resolve-milestone.js';
import { resolveProject } from '../../services/resolve-project.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import { withDatabaseOption } from '../database-choice.js';
import { CLI_HINTS } from '../lookup-hints.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { fail, withDatabase } from '../run-command.js';
import { adminWorkspace } from './admin-common.js';

interface DoctorOptions {
  project?: string;
  milestone?: string;
  workspace?: string;
  repair?: boolean;
  database?: string;
}

async function milestonesToCheck(deps: ServiceDeps, opts: DoctorOptions) {
  const select = { id: true, name: true, project: { select: { key: true } } } as const;
  if (!opts.project) return deps.db.prisma.milestone.findMany({ select, orderBy: [{ projectId: 'asc' }, { createdAt: 'asc' }] });
  const workspace = await adminWorkspace(deps, opts.workspace);
  const project = await resolveProject(deps, { workspaceId: workspace.id, key: opts.project, hints: CLI_HINTS });
  if (opts.milestone) {
    const m = await findMilestone(deps, { projectId: project.id, idOrName: opts.milestone, hints: CLI_HINTS });
    return [{ id: m.id, name: m.name, project: { key: project.key } }];
  }
  return deps.db.prisma.milestone.findMany({ where: { projectId: project.id }, select, orderBy: { createdAt: 'asc' } });
}

export function registerDoctor(program: Command): void {
  withDatabaseOption(program.command('doctor'))
    .description(
      "Check that each milestone's current state (kept at ingest) equals the state its result history derives, and its scope's kept cases the scope matched afresh; report drift, or rebuild both with --repair. Exits 1 when drift is left unrepaired.",
    )
    .option('--project <KEY>', 'only the milestones of this project')
    .option('--milestone <name>', 'only this milestone of --project')
    .option('--workspace <teamId>', 'Slack team id of the workspace (needed only when the database holds several)')
    .option('--repair', "rebuild a drifted milestone's current state from its history")
    .action(async (opts: DoctorOptions) => {
      if (opts.milestone && !opts.project) fail('--milestone needs --project <KEY> (milestone names are unique per project).', EXIT_USAGE);
      const drifted = await withDatabase(async (deps) => {
        const milestones = await milestonesToCheck(deps, opts);
        let left = 0;
        for (const m of milestones) {
          const drift = await checkCurrentState(deps, { milestoneId: m.id, repair: opts.repair ?? false });
          if (!hasDrift(drift)) continue;
          if (!drift.repaired) left++;
          const differ = drift.missing + drift.extra + drift.changed;
          const scope = drift.scope;
          const scopeDiffer = scope.missing + scope.extra + scope.changed;
          const flaky = drift.flaky;
          const flakyDiffer = flaky.missing + flaky.extra + flaky.changed;
          const parts = [
            differ
              ? `${differ} of ${drift.expected} rows differ from the result history ` +
                `(${drift.missing} missing, ${drift.extra} extra, ${drift.changed} with another result)`
              : null,
            scopeDiffer
              ? `${scopeDiffer} of ${scope.expected} scope cases differ from the scope and the result history ` +
                `(${scope.missing} missing, ${scope.extra} extra, ${scope.changed} with another coverage)`
              : null,
            flakyDiffer
              ? `${flakyDiffer} of ${flaky.expected} flaky tests differ from the result history ` +
                `(${flaky.missing} missing, ${flaky.extra} extra, ${flaky.changed} with other counts)`
              : null,
          ].filter(Boolean);
          console.log(`${m.project.key} / ${m.name}: ${parts.join('; ')}${drift.repaired ? ': repaired' : ''}`);
        }
        const n = `${milestones.length} milestone${milestones.length === 1 ? '' : 's'}`;
        if (left) console.log(`Checked ${n}: ${left} drifted. Run again with --repair to rebuild them from their history.`);
        else console.log(`Checked ${n}: the current state of every one agrees with its result history.`);
        return left;
      }, opts);
      if (drifted) process.exitCode = 1;
    });
}
