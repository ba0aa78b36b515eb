// Test data made through the same use cases the app uses.
import type { Database } from '../../../src/db/open-database.js';
import { createMilestone } from '../../../src/services/create-milestone.js';
import { createProject } from '../../../src/services/create-project.js';
import { ingestResults, type ResultRow } from '../../../src/services/ingest-results.js';
import { openTestRun } from '../../../src/services/open-test-run.js';

export async function workspaceFor(db: Database, teamId: string) {
  return db.prisma.workspace.upsert({ where: { slackTeamId: teamId }, update: {}, create: { slackTeamId: teamId, name: teamId } });
}

export async function seedProject(db: Database, teamId: string, key: string, name = `${key} project`) {
  const ws = await workspaceFor(db, teamId);
  return createProject({ db, now: () => new Date() }, { workspaceId: ws.id, key, name });
}

export async function seedMilestone(
  db: Database,
  projectId: string,
  name: string,
  extra: Parameters<typeof createMilestone>[1] extends infer O ? Partial<O> : never = {},
) {
  return createMilestone({ db, now: () => new Date() }, { projectId, name, ...extra });
}

export function results(passed: number, failed: number, prefix = 'case'): ResultRow[] {
  const rows: ResultRow[] = [];
  for (let i = 0; i < passed + failed; i++) {
    rows.push({
      key: `${prefix}::t${i}`,
      title: `t${i}`,
      suite: prefix,
      status: i < passed ? 'PASSED' : 'FAILED',
      durationMs: 5,
      message: null,
      attempts: 1,
      flaky: false,
      critical: false,
    });
  }
  return rows;
}

export async function seedRun(
  db: Database,
  o: {
    projectId: string;
    milestoneId: string;
    name?: string;
    environment?: string;
    passed?: number;
    failed?: number;
    status?: 'IN_PROGRESS' | 'COMPLETED';
    owner?: string;
  },
) {
  const { run } = await openTestRun(
    { db, now: () => new Date() },
    {
      projectId: o.projectId,
      name: o.name ?? 'CI',
      milestoneId: o.milestoneId,
      environment: o.environment,
      source: 'CI',
      status: o.status ?? 'COMPLETED',
      ownerSlackUserId: o.owner ?? null,
    },
  );
  if ((o.passed ?? 0) + (o.failed ?? 0) > 0) {
    await ingestResults(
      { db, now: () => new Date() },
      { projectId: o.projectId, runId: run.id, results: results(o.passed ?? 0, o.failed ?? 0) },
    );
  }
  return run;
}
