// The migration that adds CurrentResult fills it from the results already
// stored: a database holding history from before it ends up with the state the
// history derives (deriveCurrentState), for every milestone.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { loadMigrations } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { deriveCurrentState, readCurrentState } from '../../src/db/derive-current-state.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (drops.length) await drops.pop()!();
});

const T0 = Date.parse('2030-01-01T00:00:00Z');
const STATUSES = ['PASSED', 'FAILED', 'SKIPPED', 'BLOCKED'] as const;

describe(`the current-state migration (${testProvider()})`, () => {
  it('gives results stored before it their current-state rows', async () => {
    const fresh = await freshTarget(false);
    drops.push(fresh.drop);
    const all = loadMigrations(fresh.target.provider);
    const index = all.findIndex((m) => m.name.endsWith('_current_state_kept_at_ingest'));
    expect(index).toBeGreaterThan(0);
    await migrate(fresh.target, all.slice(0, index));

    // History written as the code before the migration wrote it: runs and results only.
    const db = openDatabase(fresh.target);
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TMIG' } });
    // Raw SQL: the generated client writes every column it knows, and later migrations add some to Project.
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "Project" ("id", "workspaceId", "key", "name", "updatedAt") VALUES ('pmig', '${ws.id}', 'MIG', 'Mig', CURRENT_TIMESTAMP)`,
    );
    const project = { id: 'pmig' };
    const staging = await db.prisma.environment.create({ data: { projectId: project.id, name: 'staging' } });
    const named = await db.prisma.environment.create({ data: { projectId: project.id, name: 'default' } });
    const cases = await Promise.all(
      Array.from({ length: 6 }, (_, i) => db.prisma.testCase.create({ data: { projectId: project.id, key: `c${i}`, title: `c${i}` } })),
    );
    const milestones = await Promise.all(
      ['a', 'b'].map((n) => db.prisma.milestone.create({ data: { projectId: project.id, name: n, nameKey: n } })),
    );
    const envs = [staging.id, named.id, null];
    for (let i = 0; i < 12; i++) {
      const run = await db.prisma.testRun.create({
        data: {
          projectId: project.id,
          milestoneId: i % 5 === 4 ? null : milestones[i % 2]!.id,
          environmentId: envs[i % 3]!,
          name: `r${i}`,
          status: i % 4 === 3 ? 'ABORTED' : 'COMPLETED',
          // Out of order, with ties.
          startedAt: new Date(T0 + ((i * 7) % 5) * 60_000),
        },
      });
      await db.prisma.testResult.createMany({
        data: cases
          .filter((_, c) => (c + i) % 3 !== 0)
          .map((c, k) => ({ runId: run.id, caseId: c.id, status: STATUSES[(i + k) % 4]!, flaky: (i + k) % 5 === 0 })),
      });
    }
    await db.close();

    await migrate(fresh.target);
    const after = openDatabase(fresh.target);
    try {
      for (const m of milestones) {
        const kept = await readCurrentState(after, m.id);
        expect(kept.length).toBeGreaterThan(0);
        const key = (r: { caseId: string; environment: string }) => `${r.caseId}|${r.environment}`;
        const sort = <T extends { caseId: string; environment: string }>(rows: T[]) => rows.sort((x, y) => key(x).localeCompare(key(y)));
        expect(sort(kept)).toEqual(sort(await deriveCurrentState(after, m.id)));
      }
    } finally {
      await after.close();
    }
  });
});
