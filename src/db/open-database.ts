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
import { bulkWriteSlots, type BulkWriteSlots } from './bulk-write-slots.js';
import { serialisedSqlite } from './serialised-sqlite.js';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

export type Prisma = SqliteClient;

export interface Database {
  provider: DatabaseTarget['provider'];
  target: DatabaseTarget;
  prisma: Prisma;
  /** Turns for big writes (an upload's results), so they never take every connection. */
  bulkWrites: BulkWriteSlots;
  /** Resolves when the database answers a trivial statement on the path writes take. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How much of the database one server may take, and how long a request waits for it. */
export interface DatabaseOptions {
  /** PostgreSQL connections in the pool (default 10). */
  poolSize?: number;
  /** How long a request waits for a connection (PostgreSQL) or the connection's lock (SQLite) before "busy" (default 5 s). */
  busyTimeoutMs?: number;
  /** Uploads written at once (default 1 on SQLite, a quarter of the pool on PostgreSQL). */
  bulkWriteConcurrency?: number;
  /** How long a received upload waits for its turn before "busy" (default 2 min). */
  bulkWriteQueueMs?: number;
}

export const DATABASE_DEFAULTS = { poolSize: 10, busyTimeoutMs: 5_000, bulkWriteQueueMs: 120_000 } as const;

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

export function openDatabase(target: DatabaseTarget, options: DatabaseOptions = {}): Database {
  const poolSize = options.poolSize ?? DATABASE_DEFAULTS.poolSize;
  const busyTimeoutMs = options.busyTimeoutMs ?? DATABASE_DEFAULTS.busyTimeoutMs;
  let prisma: Prisma;
  let concurrency: number;
  if (target.provider === 'sqlite') {
    ensureSqliteDirectory(target.file);
    // timeout = SQLite's own busy timeout, for other processes (the CLI) holding the file's write lock.
    const adapter = serialisedSqlite(
      new PrismaBetterSqlite3({ url: target.url, timeout: 10_000 }),
      withPageCache(new PrismaBetterSqlite3({ url: target.url, timeout: 10_000, readonly: true }), READ_CACHE_KIB),
      busyTimeoutMs,
    );
    prisma = new SqliteClient({ adapter });
    // One writer: one upload written at a time, so another write waits for at most one.
    concurrency = options.bulkWriteConcurrency ?? 1;
  } else {
    const adapter = new PrismaPg({ connectionString: target.url, connectionTimeoutMillis: busyTimeoutMs, max: poolSize });
    prisma = new PostgresClient({ adapter }) as unknown as Prisma;
    // Uploads take at most a quarter of the pool; the rest stays for everything else.
    concurrency = options.bulkWriteConcurrency ?? Math.max(1, Math.floor(poolSize / 4));
  }
  return {
    provider: target.provider,
    target,
    prisma,
    bulkWrites: bulkWriteSlots(concurrency, options.bulkWriteQueueMs ?? DATABASE_DEFAULTS.bulkWriteQueueMs),
    async ping() {
      // Through the writer's path (executeRaw takes SQLite's write lock): "ready" means a write would be taken too.
      await prisma.$executeRawUnsafe('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
    },
  };
}

/**
 * The pages the SQLite read connection keeps between statements, in KiB
 * (better-sqlite3's default is 16,000). A readiness request reads a milestone's
 * whole current state through the status index (12 MiB of pages at 150,000 rows)
 * and then the critical cases, the flaky pairs and the rest: more than the default
 * holds, so each request pushed out the pages the next one starts with and read
 * them from the file again. With room for all of it a request takes about a quarter
 * less (23.8 ms against 17.5 ms of statements on the bench database). Pages are
 * taken only as read, and dropped whenever another connection has written.
 */
const READ_CACHE_KIB = 64 * 1024;

/** A connection factory whose connections keep up to `kib` KiB of pages. */
function withPageCache(factory: SqlDriverAdapterFactory, kib: number): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connection = await factory.connect();
      await connection.executeScript(`PRAGMA cache_size = -${Math.floor(kib)}`);
      return connection;
    },
  };
}

export function describeDatabase(db: Database): string {
  return describeTarget(db.target);
}
