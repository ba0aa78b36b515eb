// The migration that gives projects an approvers list keeps every project and
// everything that refers to one (milestones, runs, defects, keys): a project
// table redefined by drop-and-copy would have cascaded its deletion to them.
// Existing projects get an empty list: anyone may approve, as before.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { loadMigrations } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';

const provider = testProvider();
const MIGRATION = 'project_approvers';
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (drops.length) await drops.pop()!();
});

describe(`migration ${MIGRATION} (${provider})`, () => {
  it('keeps projects and the rows that refer to them; approvers start empty', async () => {
    const fresh = await freshTarget(false);
    drops.push(fresh.drop);
    const all = loadMigrations(fresh.target.provider);
    const at = all.findIndex((m) => m.name.endsWith(`_${MIGRATION}`));
    expect(at).toBeGreaterThan(0);
    await migrate(fresh.target, all.slice(0, at));

    const db = openDatabase(fresh.target);
    try {
      // Raw SQL: the generated client already knows the new column, the database does not yet.
      const sql = (text: string) => db.prisma.$executeRawUnsafe(text);
      await sql(`INSERT INTO "Workspace" ("id", "slackTeamId", "updatedAt") VALUES ('w', 'T1', CURRENT_TIMESTAMP)`);
      await sql(
        `INSERT INTO "Project" ("id", "workspaceId", "key", "name", "updatedAt") VALUES ('p', 'w', 'PAY', 'Payments', CURRENT_TIMESTAMP)`,
      );
      await sql(
        `INSERT INTO "Milestone" ("id", "projectId", "name", "nameKey", "updatedAt") VALUES ('m', 'p', '2.4', '2.4', CURRENT_TIMESTAMP)`,
      );
      await sql(
        `INSERT INTO "Defect" ("id", "projectId", "milestoneId", "title", "severity", "updatedAt") VALUES ('d', 'p', 'm', 'Crash', 'HIGH', CURRENT_TIMESTAMP)`,
      );
      await sql(`INSERT INTO "ApiKey" ("id", "projectId", "prefix", "hash") VALUES ('k', 'p', 'sg_abc', 'h1')`);
    } finally {
      await db.close();
    }

    expect((await migrate(fresh.target)).applied).toEqual(all.slice(at).map((m) => m.name));
    const after = openDatabase(fresh.target);
    try {
      expect(await after.prisma.project.findMany({ select: { id: true, approvers: true } })).toEqual([{ id: 'p', approvers: '[]' }]);
      expect(await after.prisma.milestone.count()).toBe(1);
      expect(await after.prisma.defect.count()).toBe(1);
      expect(await after.prisma.apiKey.count()).toBe(1);
    } finally {
      await after.close();
    }
  });
});
