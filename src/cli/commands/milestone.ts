// `shipgate milestone create|list|show|complete|reopen|archive`: milestones
// without Slack, straight against the database, through the same use cases as
// the REST API and Slack (names resolved with close-match hints, the lifecycle
// rules of update-milestone).
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../domain/errors.js';
import { MILESTONE_STATUSES, type MilestoneStatus } from '../../domain/types.js';
import type { GatePolicy } from '../../domain/gate-policy.js';
import { createMilestone } from '../../services/create-milestone.js';
import { getReadiness } from '../../services/get-readiness.js';
import { issueMilestoneLink, pageLinkSettings } from '../../services/milestone-link.js';
import { listWorkspaceMilestones } from '../../services/list-workspace-milestones.js';
import { toMilestoneView } from '../../services/milestone-view.js';
import { resolveMilestone, type MilestoneRef } from '../../services/resolve-milestone.js';
import { resolveProject } from '../../services/resolve-project.js';
import type { ServiceDeps } from '../../services/service-deps.js';
import { updateMilestone } from '../../services/update-milestone.js';
import { parseMilestoneRef } from '../../slack/command-parser.js';
import { withDatabaseOption } from '../database-choice.js';
import { milestonesText, milestoneText } from '../format-admin.js';
import { auditTrailText } from '../format-audit.js';
import { listAuditTrail } from '../../services/list-audit-trail.js';
import { CLI_HINTS } from '../lookup-hints.js';
import { EXIT_USAGE } from '../exit-codes.js';
import { fail, withDatabase } from '../run-command.js';
import { adminWorkspace, localOperator, printJson, WORKSPACE_OPTION } from './admin-common.js';

interface DbOptions {
  database?: string;
  workspace?: string;
}

interface CreateOptions extends DbOptions {
  due?: string;
  timeZone?: string;
  description?: string;
  scope: string[];
  channel?: string;
  passRate?: number;
  requireEnv: string[];
}

const collect = (v: string, acc: string[]) => [...acc, v];

function percentOption(value: string): number {
  const n = Number(value.replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(value.trim()) || n > 100)
    throw new InvalidArgumentError('expected a percentage from 0 to 100, e.g. 95 or 99.5');
  return n / 100;
}

function wholeNumberOption(value: string): number {
  if (!/^\d{1,6}$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number, e.g. 20');
  return Number(value);
}

function statusesOption(value: string): MilestoneStatus[] {
  const words = value
    .split(',')
    .map((w) => w.trim().toUpperCase())
    .filter(Boolean);
  if (words.includes('ALL')) return [...MILESTONE_STATUSES];
  const bad = words.filter((w) => !(MILESTONE_STATUSES as readonly string[]).includes(w));
  if (bad.length || !words.length)
    throw new InvalidArgumentError(
      `expected ${MILESTONE_STATUSES.map((s) => s.toLowerCase()).join(', ')} or all (comma-separated), got "${value}"`,
    );
  return words as MilestoneStatus[];
}

/** What was typed: `PROJECT/name`, or a name with --project, or a name alone (unique in the workspace). */
function refOf(typed: string, project: string | undefined): MilestoneRef {
  return project ? { project: project.toUpperCase(), name: typed.trim(), raw: typed.trim() } : parseMilestoneRef(typed);
}

async function findMilestone(deps: ServiceDeps, typed: string, opts: DbOptions & { project?: string }) {
  const workspace = await adminWorkspace(deps, opts.workspace);
  return resolveMilestone(deps, { workspaceId: workspace.id, ref: refOf(typed, opts.project), hints: CLI_HINTS });
}

const MILESTONE_ARG = ['<milestone>', 'PROJECT/name (e.g. PAY/2.4), a name unique across projects, or a name with --project'] as const;
const PROJECT_OPTION = ['--project <KEY>', 'the project the milestone belongs to, when the name alone is ambiguous'] as const;

/** How many entries `show --audit` prints; the API pages through the rest. */
const AUDIT_SHOWN = 100;

const LIFECYCLE = {
  complete: {
    to: 'COMPLETED',
    done: 'Completed',
    description:
      'Complete a milestone. Allowed when its verdict is GO or GO_WITH_RISKS; otherwise give the reason with --override. A completed milestone takes no new results.',
  },
  reopen: { to: 'ACTIVE', done: 'Reopened', description: 'Reopen a completed milestone (an archived one cannot be reopened).' },
  archive: {
    to: 'ARCHIVED',
    done: 'Archived',
    description: 'Archive a milestone: it leaves every list, digest and reminder, for good (it cannot be reopened).',
  },
} as const satisfies Record<string, { to: MilestoneStatus; done: string; description: string }>;

export function registerMilestone(program: Command): void {
  const milestone = program
    .command('milestone')
    .description('Manage milestones (straight against the database, without Slack): create, list, show, complete, reopen, archive.');

  withDatabaseOption(
    milestone
      .command('create')
      .description('Create a milestone (ACTIVE) of a project. Names are unique in a project regardless of case.')
      .argument('<KEY>', 'project key, e.g. PAY')
      .argument('<name...>', 'milestone name, e.g. 2.4 or "Spring release"')
      .option('--due <date>', 'due date, YYYY-MM-DD (the end of that day in the time zone) or an ISO-8601 instant')
      .option('--time-zone <IANA>', "time zone of the due date and reminders, e.g. Europe/Berlin (default: the project's)")
      .option('--description <text>', 'what the milestone is')
      .option(
        '--scope <pattern>',
        'a test key or glob in scope, e.g. "checkout::*"; repeat for more (default: every test reported)',
        collect,
        [],
      )
      .option('--pass-rate <percent>', 'the pass rate the gate needs, e.g. 98 (default: the project’s, else 95)', percentOption)
      .option('--require-env <name>', 'an environment that must have results, e.g. staging; repeat for more', collect, [])
      .option('--channel <channelId>', 'Slack channel id for its notifications (default: the project’s)')
      .option(...WORKSPACE_OPTION),
  )
    .addHelpText('after', '\nExample: shipgate milestone create PAY 2.4 --due 2026-12-18 --time-zone Europe/Berlin --require-env staging')
    .action(async (key: string, nameParts: string[], opts: CreateOptions) => {
      await withDatabase(async (deps) => {
        const workspace = await adminWorkspace(deps, opts.workspace);
        const project = await resolveProject(deps, { workspaceId: workspace.id, key, hints: CLI_HINTS });
        const gate: Partial<GatePolicy> = {
          ...(opts.passRate !== undefined ? { passRateThreshold: opts.passRate } : {}),
          ...(opts.requireEnv.length ? { requiredEnvironments: opts.requireEnv } : {}),
        };
        const m = await createMilestone(deps, {
          projectId: project.id,
          name: nameParts.join(' '),
          description: opts.description ?? null,
          dueDate: opts.due ?? null,
          timeZone: opts.timeZone ?? null,
          scope: opts.scope.length ? opts.scope : null,
          gate,
          slackChannelId: opts.channel ?? null,
          actor: localOperator(),
        });
        const view = toMilestoneView(m, project);
        console.log(`Created milestone ${project.key}/${view.name} (ACTIVE), id ${view.id}.`);
        console.log(`Next: shipgate report <files> --project ${project.key} --milestone ${JSON.stringify(view.name)} from CI.`);
      }, opts);
    });

  withDatabaseOption(
    milestone
      .command('list')
      .description('List milestones with their verdicts, soonest due first (active ones unless --status says otherwise).')
      .option('--project <KEY>', 'only the milestones of this project')
      .option('--status <statuses>', 'active, completed, archived or all; comma-separated (default: active)', statusesOption)
      .option('--limit <n>', 'at most this many (default 50)', wholeNumberOption, 50)
      .option('--json', 'print JSON: { milestones: [...], total }')
      .option(...WORKSPACE_OPTION),
  ).action(async (opts: DbOptions & { project?: string; status?: MilestoneStatus[]; limit: number; json?: boolean }) => {
    await withDatabase(async (deps) => {
      const workspace = await adminWorkspace(deps, opts.workspace);
      const project = opts.project ? await resolveProject(deps, { workspaceId: workspace.id, key: opts.project, hints: CLI_HINTS }) : null;
      const statuses = opts.status ?? ['ACTIVE'];
      const { items, total } = await listWorkspaceMilestones(deps, {
        workspaceId: workspace.id,
        projectId: project?.id,
        statuses,
        limit: opts.limit,
      });
      if (opts.json) printJson({ milestones: items, total });
      else console.log(milestonesText(items, total, statuses));
    }, opts);
  });

  withDatabaseOption(
    milestone
      .command('show')
      .description(
        'Show a milestone: status, due date, scope, gate, and its verdict with reasons; --audit adds who changed what, --link a signed link to its readiness page.',
      )
      .argument(...MILESTONE_ARG)
      .option(...PROJECT_OPTION)
      .option(
        '--audit',
        `also print its audit trail, newest first (the latest ${AUDIT_SHOWN}): gate, scope, due date, lifecycle, sign-offs, its defects`,
      )
      .option(
        '--link',
        'also print a signed link to its readiness page (expires after REPORT_LINK_DAYS, default 7; needs PUBLIC_URL, the address the server is reached at)',
      )
      .option('--json', 'print JSON: { milestone, readiness } (and audit: { entries, nextCursor } with --audit, link with --link)')
      .option(...WORKSPACE_OPTION),
  ).action(async (typed: string, opts: DbOptions & { project?: string; json?: boolean; audit?: boolean; link?: boolean }) => {
    await withDatabase(async (deps, config) => {
      const settings = opts.link ? pageLinkSettings(config) : null;
      if (opts.link && !settings)
        fail(
          '--link needs PUBLIC_URL: the address people reach the Shipgate server at, e.g. PUBLIC_URL=https://shipgate.example.com (the link is made from it).',
          EXIT_USAGE,
        );
      const m = await findMilestone(deps, typed, opts);
      const readiness = await getReadiness(deps, m.id);
      const audit = opts.audit ? await listAuditTrail(deps, { projectId: m.projectId, milestoneId: m.id, limit: AUDIT_SHOWN }) : null;
      const link = settings ? await issueMilestoneLink(deps, { milestoneId: m.id, settings }) : null;
      if (opts.json) printJson({ milestone: readiness.milestone, readiness, ...(audit ? { audit } : {}), ...(link ? { link } : {}) });
      else {
        console.log(milestoneText(readiness.milestone, readiness));
        if (link) console.log(`\nReadiness page: ${link.url}\n(works until ${link.expiresAt.slice(0, 16).replace('T', ' ')} UTC)`);
        if (audit) console.log(`\n${auditTrailText(audit.entries, audit.nextCursor !== null)}`);
      }
    }, opts);
  });

  for (const [verb, step] of Object.entries(LIFECYCLE)) {
    const command = withDatabaseOption(
      milestone
        .command(verb)
        .description(step.description)
        .argument(...MILESTONE_ARG)
        .option(...PROJECT_OPTION)
        .option(...WORKSPACE_OPTION),
    );
    if (verb === 'complete') command.option('--override <reason>', 'complete despite the verdict; the reason is recorded');
    command.action(async (typed: string, opts: DbOptions & { project?: string; override?: string }) => {
      await withDatabase(async (deps) => {
        const m = await findMilestone(deps, typed, opts);
        const title = `${m.project.key}/${m.name}`;
        if (m.status === step.to) {
          console.log(`${title} is already ${step.to.toLowerCase()}; nothing to do.`);
          return;
        }
        try {
          await updateMilestone(deps, {
            milestoneId: m.id,
            patch: { status: step.to, overrideReason: opts.override },
            actor: localOperator(),
          });
        } catch (err) {
          throw withOverrideHint(err);
        }
        const after = await getReadiness(deps, m.id);
        const why = after.milestone.completionOverrideReason ? `, override: ${after.milestone.completionOverrideReason}` : '';
        console.log(`${step.done} ${title} (verdict ${after.verdict}${why}).`);
      }, opts);
    });
  }
}

/** A completion refused for its verdict says how to override it here. */
function withOverrideHint(err: unknown): unknown {
  if (err instanceof AppError && err.code === 'CONFLICT' && /override reason/.test(err.message))
    return new AppError(err.code, `${err.message} To complete it anyway: --override "<the reason>".`, err.details);
  return err;
}
