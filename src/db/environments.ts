// Environments are created on first use, often by several CI shards at once.
// INSERT … ON CONFLICT DO NOTHING, then a read: concurrent callers all get the
// one row, on both databases. (Prisma's upsert raises P2002 on PostgreSQL when
// two of them insert at once, and the SQLite client has no skipDuplicates.)
import { newId, timestamp } from './bulk-results.js';
import type { Database } from './open-database.js';

const INSERT = {
  sqlite: `INSERT INTO "Environment" ("id", "projectId", "name", "createdAt") VALUES (?, ?, ?, ?) ON CONFLICT ("projectId", "name") DO NOTHING`,
  postgresql:
    `INSERT INTO "Environment" ("id", "projectId", "name", "createdAt") VALUES ($1, $2, $3, $4::timestamp(3)) ` +
    `ON CONFLICT ("projectId", "name") DO NOTHING`,
} as const;

/** The id of the project's environment with this name, created when it does not exist. */
export async function ensureEnvironment(db: Database, projectId: string, name: string, now: Date): Promise<string> {
  const found = await db.prisma.environment.findUnique({ where: { projectId_name: { projectId, name } }, select: { id: true } });
  if (found) return found.id;
  await db.prisma.$executeRawUnsafe(INSERT[db.provider], newId(), projectId, name, timestamp(db.provider, now));
  const env = await db.prisma.environment.findUniqueOrThrow({ where: { projectId_name: { projectId, name } }, select: { id: true } });
  return env.id;
}
