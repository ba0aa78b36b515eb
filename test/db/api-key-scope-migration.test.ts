// The migration that gives API keys a scope makes every existing key a report
// key: pipelines keep reporting, and none of them can move a gate any more.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { loadMigrations } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';

const provider = testProvider();
const MIGRATION = 'api_key_scope';
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (drops.length) await drops.pop()!();
});

describe(`migration ${MIGRATION} (${provider})`, () => {
  it('keeps every existing key, active or revoked, and makes it a report key', async () => {
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
      await sql(`INSERT INTO "ApiKey" ("id", "projectId", "name", "prefix", "hash") VALUES ('k1', 'p', 'ci', 'sg_abc', 'h1')`);
      await sql(
        `INSERT INTO "ApiKey" ("id", "projectId", "name", "prefix", "hash", "revokedAt") VALUES ('k2', 'p', 'old', 'sg_def', 'h2', CURRENT_TIMESTAMP)`,
      );
    } finally {
      await db.close();
    }

    expect((await migrate(fresh.target)).applied).toEqual(all.slice(at).map((m) => m.name));
    const after = openDatabase(fresh.target);
    try {
      const rows = await after.prisma.apiKey.findMany({ select: { id: true, name: true, scope: true }, orderBy: { id: 'asc' } });
      expect(rows).toEqual([
        { id: 'k1', name: 'ci', scope: 'report' },
        { id: 'k2', name: 'old', scope: 'report' },
      ]);
    } finally {
      await after.close();
    }
  });
});
