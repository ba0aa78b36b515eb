// The migration that adds Defect.jiraSync fills it in for defects that exist:
// a key is LINKED, a creation still queued is PENDING, one that failed is FAILED with why.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { loadMigrations } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';

const provider = testProvider();
const MIGRATION = 'defect_jira_sync';
const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (drops.length) await drops.pop()!();
});

describe(`migration ${MIGRATION} (${provider})`, () => {
  it('marks defects with a Jira key LINKED, a queued creation PENDING and a failed one FAILED with its reason', async () => {
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
        `INSERT INTO "Project" ("id", "workspaceId", "key", "name", "updatedAt") VALUES ('p', 'w', 'PAY', 'Payments', CURRENT_TIMESTAMP)`,
      );
      for (const [id, key] of [
        ['linked', `'PAY-1'`],
        ['queued', 'NULL'],
        ['failed', 'NULL'],
        ['plain', 'NULL'],
      ])
        await sql(
          `INSERT INTO "Defect" ("id", "projectId", "title", "severity", "jiraKey", "updatedAt") VALUES ('${id}', 'p', '${id}', 'LOW', ${key}, CURRENT_TIMESTAMP)`,
        );
      await sql(
        `INSERT INTO "OutboxItem" ("id", "kind", "dedupeKey", "payload", "status", "updatedAt") VALUES ('o1', 'jira.createIssue', 'jira.createIssue:queued', '{}', 'PENDING', CURRENT_TIMESTAMP)`,
      );
      await sql(
        `INSERT INTO "OutboxItem" ("id", "kind", "dedupeKey", "payload", "status", "lastError", "updatedAt") VALUES ('o2', 'jira.createIssue', 'jira.createIssue:failed', '{}', 'FAILED', 'Jira refused the request (403)', CURRENT_TIMESTAMP)`,
      );
    } finally {
      await db.close();
    }

    expect((await migrate(fresh.target)).applied).toEqual(all.slice(at).map((m) => m.name));
    const after = openDatabase(fresh.target);
    try {
      const rows = await after.prisma.defect.findMany({
        select: { id: true, jiraSync: true, jiraSyncError: true },
        orderBy: { id: 'asc' },
      });
      expect(rows).toEqual([
        { id: 'failed', jiraSync: 'FAILED', jiraSyncError: 'Jira refused the request (403)' },
        { id: 'linked', jiraSync: 'LINKED', jiraSyncError: null },
        { id: 'plain', jiraSync: null, jiraSyncError: null },
        { id: 'queued', jiraSync: 'PENDING', jiraSyncError: null },
      ]);
    } finally {
      await after.close();
    }
  });
});
