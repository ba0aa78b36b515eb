// Applies the committed SQL migrations (Prisma's folder layout) at server start
// and in `shipgate migrate`. Prisma's own `migrate deploy` needs a native engine
// these machines cannot download, so this small migrator does the same job and
// records each migration in `_prisma_migrations` as Prisma would. Each migration
// runs in its own transaction (a failure leaves nothing half-applied), and a
// database-wide lock makes concurrent starts safe: the second waits, then finds
// the work done.
import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { describeTarget, type DatabaseTarget } from './database-url.js';
import { loadMigrations, type Migration } from './migrations-folder.js';
import { DatabaseError, ensureSqliteDirectory } from './open-database.js';

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends DatabaseError {}

// Arbitrary constant: the advisory-lock id Shipgate's migrator holds in PostgreSQL.
const PG_LOCK_ID = 7_420_117;

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const PG_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function migrate(target: DatabaseTarget, migrations?: Migration[]): Promise<MigrationReport> {
  const list = migrations ?? loadMigrations(target.provider);
  return target.provider === 'sqlite' ? migrateSqlite(target.file, list) : migratePostgres(target.url, list);
}

function checkUnchanged(m: Migration, recorded: string): void {
  if (recorded !== m.checksum) {
    throw new MigrationError(
      `Migration ${m.name} was changed after it was applied to this database. Restore the original file; put new changes in a new migration.`,
    );
  }
}

function migrateSqlite(file: string, list: Migration[]): MigrationReport {
  ensureSqliteDirectory(file);
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { timeout: 30_000 });
  } catch (err) {
    throw new MigrationError(`Cannot open the SQLite database ${file}: ${(err as Error).message}`);
  }
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  try {
    db.pragma('journal_mode = WAL');
    db.exec(SQLITE_TABLE);
    const find = db.prepare(
      `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const record = db.prepare(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
    );
    // A migration that redefines a table (Prisma's RedefineTables: create the new
    // table, copy, DROP the old, rename) turns foreign keys off around the DROP, but
    // that PRAGMA does nothing inside a transaction: with the keys on, dropping a
    // table others reference (Project) would cascade and delete their rows. So the
    // keys are off while migrations run (outside the transaction, where the PRAGMA
    // works), each migration is checked for broken references before it commits,
    // and they are on again afterwards, as SQLite's own procedure for this says.
    db.pragma('foreign_keys = OFF');
    for (const m of list) {
      // IMMEDIATE takes the write lock now, so two starts cannot both decide to apply.
      db.exec('BEGIN IMMEDIATE');
      try {
        const row = find.get(m.name) as { checksum: string } | undefined;
        if (row) {
          checkUnchanged(m, row.checksum);
          report.alreadyApplied++;
        } else {
          const started = Date.now();
          db.exec(m.sql);
          const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
          if (broken.length)
            throw new Error(
              `it would leave ${broken.length} row(s) referring to rows that do not exist (first: ${broken[0]!.table} → ${broken[0]!.parent})`,
            );
          record.run(randomUUID(), m.checksum, Date.now(), m.name, started);
          report.applied.push(m.name);
        }
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw wrap(err, m, `SQLite at ${file}`);
      }
    }
    db.pragma('foreign_keys = ON');
  } catch (err) {
    throw err instanceof MigrationError ? err : new MigrationError(`Cannot migrate SQLite at ${file}: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  return report;
}

async function migratePostgres(url: string, list: Migration[]): Promise<MigrationReport> {
  const where = describeTarget({ provider: 'postgresql', url });
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    throw new MigrationError(`Cannot connect to ${where}: ${connectionProblem(err)}`);
  }
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_ID]);
    await client.query(PG_TABLE);
    for (const m of list) {
      const { rows } = await client.query<{ checksum: string }>(
        `SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [m.name],
      );
      if (rows[0]) {
        checkUnchanged(m, rows[0].checksum);
        report.alreadyApplied++;
        continue;
      }
      await client.query('BEGIN');
      try {
        const started = new Date();
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), m.checksum, m.name, started],
        );
        await client.query('COMMIT');
        report.applied.push(m.name);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw wrap(err, m, where);
      }
    }
  } catch (err) {
    throw err instanceof MigrationError ? err : new MigrationError(`Cannot migrate ${where}: ${(err as Error).message}`);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_ID]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
  return report;
}

function wrap(err: unknown, m: Migration, where: string): MigrationError {
  if (err instanceof MigrationError) return err;
  return new MigrationError(
    `Migration ${m.name} failed on ${where} and was rolled back (nothing of it was applied): ${(err as Error).message}`,
  );
}

function connectionProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] };
  const code = e.code ?? e.errors?.[0]?.code;
  if (code === 'ECONNREFUSED') return 'connection refused. Is the server running, and are host and port right?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found. Check the host name in DATABASE_URL.';
  if (code === '28P01' || code === '28000') return 'authentication failed. Check the user and password in DATABASE_URL.';
  if (code === '3D000') return `${e.message}. Create the database first (createdb), or name an existing one.`;
  return e.message || String(err);
}
