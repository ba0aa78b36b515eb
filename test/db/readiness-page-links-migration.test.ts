// The migration that gives projects a link secret and a badge switch keeps every
// project (and what hangs off it) as it was: no secret until the first link, badge off.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { loadMigrations } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';

const provider = testProvider();
const MIGRATION = 'readiness_page_links';
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (drops.length) await drops.pop()!();
});

describe(`migration ${MIGRATION} (${provider})`, () => {
  it('keeps every project and its milestones; none has a link secret yet, every badge is off', async () => {
    const fresh = await freshTarget(false);
    drops.push(fresh.drop);
    const all = loadMigrations(fresh.target.provider);
    const at = all.findIndex((m) => m.name.endsWith(`_${MIGRATION}`));
    expect(at).toBeGreaterThan(0);
    await migrate(fresh.target, all.slice(0, at));

    const db = openDatabase(fresh.target);
    try {
      // Raw SQL: the generated client already knows the new columns, the database does not yet.
      const sql = (text: string) => db.prisma.$executeRawUnsafe(text);
      await sql(`INSERT INTO "Workspace" ("id", "slackTeamId", "updatedAt") VALUES ('w', 'T1', CURRENT_TIMESTAMP)`);
      await sql(
        `INSERT INTO "Project" ("id", "workspaceId", "key", "name", "gatePolicy", "updatedAt") VALUES ('p', 'w', 'PAY', 'Payments', '{"requiredSignoffs":2}', CURRENT_TIMESTAMP)`,
      );
      await sql(
        `INSERT INTO "Milestone" ("id", "projectId", "name", "nameKey", "updatedAt") VALUES ('m', 'p', '2.4', '2.4', CURRENT_TIMESTAMP)`,
      );
    } finally {
      await db.close();
    }

    expect((await migrate(fresh.target)).applied).toEqual(all.slice(at).map((m) => m.name));
    const after = openDatabase(fresh.target);
    try {
      const project = await after.prisma.project.findUniqueOrThrow({ where: { id: 'p' }, include: { milestones: true } });
      expect(project).toMatchObject({ key: 'PAY', gatePolicy: '{"requiredSignoffs":2}', linkSecret: null, badgeEnabled: false });
      expect(project.milestones.map((m) => m.name)).toEqual(['2.4']);
    } finally {
      await after.close();
    }
  });
});
