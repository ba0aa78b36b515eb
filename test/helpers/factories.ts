// Test data, made through the use cases the app itself uses (src/services), so
// what a test seeds is what the app would have stored: workspaces, projects
// (with an API key when the test talks to the REST API), milestones, and runs
// with results. Every factory takes the use cases' dependencies ({ db, now });
// a TestDatabase is one, and its clock is the real one.
import type { ApiKeyScope } from '../../src/domain/api-key-scopes.js';
import type { Actor } from '../../src/domain/audit.js';
import { randomBytes } from 'node:crypto';
import { createApiKey } from '../../src/services/create-api-key.js';
import { createMilestone, type CreateMilestoneOptions } from '../../src/services/create-milestone.js';
import { createProject } from '../../src/services/create-project.js';
import { ingestResults, type ResultRow, type ResultStatus } from '../../src/services/ingest-results.js';
import { openTestRun, type OpenTestRunOptions } from '../../src/services/open-test-run.js';
import type { ServiceDeps } from '../../src/services/service-deps.js';
import { updateTestRun } from '../../src/services/update-test-run.js';

/** Who seeds test data, as the audit trail names them: the local operator, as the CLI would. */
export const TEST_OPERATOR: Actor = Object.freeze({ type: 'local', name: 'test' });

/** The workspace of a Slack team, created on first use (as the Slack app does for a team it has not seen). */
export async function seedWorkspace(deps: ServiceDeps, teamId = 'T1') {
  return deps.db.prisma.workspace.upsert({ where: { slackTeamId: teamId }, update: {}, create: { slackTeamId: teamId, name: teamId } });
}

export interface SeedProjectOptions {
  /** The Slack team whose workspace holds it (T1 unless said). */
  teamId?: string;
  name?: string;
  slackChannelId?: string;
}

/** A project in its team's workspace. */
export async function seedProject(deps: ServiceDeps, key: string, o: SeedProjectOptions = {}) {
  const workspace = await seedWorkspace(deps, o.teamId);
  const project = await createProject(deps, {
    workspaceId: workspace.id,
    key,
    name: o.name ?? `${key} project`,
    slackChannelId: o.slackChannelId,
  });
  return { workspace, project };
}

/**
 * A project and an API key for it: `apiKey` as a client sends it, `apiKeyId` its row.
 * The key is an admin key unless `scope` says otherwise: tests of what an endpoint
 * does use it; key-scopes.test.ts covers what each scope may call.
 */
export async function seedProjectWithApiKey(deps: ServiceDeps, key: string, o: SeedProjectOptions & { scope?: ApiKeyScope } = {}) {
  const seeded = await seedProject(deps, key, o);
  const created = await createApiKey(deps, { workspaceId: seeded.workspace.id, projectKey: key, scope: o.scope ?? 'admin' });
  return { ...seeded, apiKey: created.key, apiKeyId: created.id };
}

/** A project key (and team) no other call has used, for tests that share one database between cases. */
export function uniqueProjectKey(): string {
  return `P${randomBytes(4).toString('hex').toUpperCase()}`;
}

export type SeedMilestoneOptions = Omit<CreateMilestoneOptions, 'projectId' | 'name' | 'actor'> & { actor?: Actor };

export async function seedMilestone(deps: ServiceDeps, projectId: string, name: string, o: SeedMilestoneOptions = {}) {
  return createMilestone(deps, { projectId, name, ...o, actor: o.actor ?? TEST_OPERATOR });
}

/** One result row as a CI upload would carry it. */
export function resultRow(key: string, status: ResultStatus = 'PASSED', over: Partial<ResultRow> = {}): ResultRow {
  const suite = key.includes('::') ? key.slice(0, key.indexOf('::')) : null;
  return {
    key,
    title: key.slice(key.lastIndexOf(':') + 1),
    suite,
    status,
    durationMs: 5,
    message: null,
    attempts: 1,
    flaky: false,
    critical: false,
    ...over,
  };
}

/**
 * `passed` passing then `failed` failing results, keyed `<suite>::t<i>`: a later
 * call with the same suite reports on the same cases (t0 first).
 */
export function resultRows(passed: number, failed = 0, suite = 'case'): ResultRow[] {
  return Array.from({ length: passed + failed }, (_, i) => resultRow(`${suite}::t${i}`, i < passed ? 'PASSED' : 'FAILED'));
}

export interface SeedRunOptions {
  projectId: string;
  milestoneId?: string;
  name?: string;
  environment?: string;
  /** How the run ends up; COMPLETED unless said. */
  status?: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED';
  source?: OpenTestRunOptions['source'];
  /** Who runs it (a Slack user id), for nudges. */
  owner?: string;
  /** When it started (the clock openTestRun sees); now unless said. */
  startedAt?: Date;
  /** Its results: counts (resultRows), or the rows themselves. */
  passed?: number;
  failed?: number;
  suite?: string;
  results?: ResultRow[];
}

/**
 * A test run as CI makes one: opened, its results posted, then completed or
 * aborted (results cannot be posted to an aborted run, so they come first).
 */
export async function seedRun(deps: ServiceDeps, o: SeedRunOptions) {
  const opened = await openTestRun(o.startedAt ? { db: deps.db, now: () => o.startedAt! } : deps, {
    projectId: o.projectId,
    name: o.name ?? 'CI',
    milestoneId: o.milestoneId,
    environment: o.environment,
    source: o.source ?? 'CI',
    status: 'IN_PROGRESS',
    ownerSlackUserId: o.owner ?? null,
    actor: TEST_OPERATOR,
  });
  const rows = o.results ?? resultRows(o.passed ?? 0, o.failed ?? 0, o.suite);
  if (rows.length > 0) await ingestResults(deps, { projectId: o.projectId, runId: opened.run.id, results: rows });
  const status = o.status ?? 'COMPLETED';
  if (status === 'IN_PROGRESS') return opened.run;
  return updateTestRun(deps, { projectId: o.projectId, runId: opened.run.id, status, actor: TEST_OPERATOR });
}

/** A project of its own (unique key and team) with an open run: for tests that share one database between cases. */
export async function seedProjectWithRun(deps: ServiceDeps, status: 'IN_PROGRESS' | 'COMPLETED' | 'ABORTED' = 'IN_PROGRESS') {
  const key = uniqueProjectKey();
  const { workspace, project } = await seedProject(deps, key, { teamId: `T${key}` });
  const run = await seedRun(deps, { projectId: project.id, name: 'nightly', status });
  return { workspace, project, run };
}
