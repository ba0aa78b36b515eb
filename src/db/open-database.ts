// Opens the Prisma client for the configured provider. Both generated clients
// expose the same model API; the SQLite client's type is the common one, so the
// code base uses only what both databases support.
import { mkdirSync, accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.js';
import { describeTarget, type DatabaseTarget } from './database-url.js';

export type Prisma = SqliteClient;

export interface Database {
  provider: DatabaseTarget['provider'];
  target: DatabaseTarget;
  prisma: Prisma;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseError extends Error {}

export function ensureSqliteDirectory(file: string): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new DatabaseError(
      `Cannot use the SQLite directory ${dir}: ${reason}. Make it writable, or point DATABASE_URL at a writable place (file:/path/to/shipgate.db).`,
    );
  }
}

export function openDatabase(target: DatabaseTarget): Database {
  let prisma: Prisma;
  if (target.provider === 'sqlite') {
    ensureSqliteDirectory(target.file);
    // timeout = SQLite's busy timeout: writers queue instead of failing at once.
    prisma = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: target.url, timeout: 10_000 }) });
  } else {
    const adapter = new PrismaPg({ connectionString: target.url, connectionTimeoutMillis: 5_000, max: 10 });
    prisma = new PostgresClient({ adapter }) as unknown as Prisma;
  }
  return {
    provider: target.provider,
    target,
    prisma,
    async ping() {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
    },
  };
}

export function describeDatabase(db: Database): string {
  return describeTarget(db.target);
}
