// The migrator against a real database of the configured provider.
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MigrationError } from '../../src/db/migrator.js';
import { loadMigrations, type Migration } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';

const provider = testProvider();
const drops: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (drops.length) await drops.pop()!();
});

async function emptyTarget() {
  const fresh = await freshTarget(false);
  drops.push(fresh.drop);
  return fresh.target;
}

async function tableNames(target: Awaited<ReturnType<typeof emptyTarget>>): Promise<string[]> {
  const db = openDatabase(target);
  try {
    const sql =
      provider === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`;
    const rows = await db.prisma.$queryRawUnsafe<{ name: string }[]>(sql);
    return rows.map((r) => r.name);
  } finally {
    await db.close();
  }
}

async function appliedCount(target: Awaited<ReturnType<typeof emptyTarget>>): Promise<number> {
  const db = openDatabase(target);
  try {
    const rows = await db.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM "_prisma_migrations"`);
    return Number(rows[0]!.n);
  } finally {
    await db.close();
  }
}

describe(`migrator on ${provider}`, () => {
  it('applies every migration to an empty database, then finds nothing to do', async () => {
    const target = await emptyTarget();
    const all = loadMigrations(target.provider);
    const first = await migrate(target);
    expect(first.applied).toEqual(all.map((m) => m.name));
    expect(await tableNames(target)).toEqual(
      expect.arrayContaining(['Milestone', 'TestResult', 'Claim', 'OutboxItem', '_prisma_migrations']),
    );
    const second = await migrate(target);
    expect(second).toEqual({ applied: [], alreadyApplied: all.length });
    expect(await appliedCount(target)).toBe(all.length);
  });

  it('rolls back a migration that fails half-way and records nothing of it', async () => {
    const target = await emptyTarget();
    const all = loadMigrations(target.provider);
    const broken: Migration = {
      name: '99990101000000_broken',
      sql: 'CREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);\nCREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);',
      checksum: 'x'.repeat(64),
    };
    const error = await migrate(target, [...all, broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/99990101000000_broken failed .* rolled back/);
    expect(await tableNames(target)).not.toContain('HalfDone');
    expect(await appliedCount(target)).toBe(all.length);
  });

  it('refuses a migration edited after it was applied', async () => {
    const target = await emptyTarget();
    const all = loadMigrations(target.provider);
    await migrate(target);
    const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: '0'.repeat(64) } : m));
    await expect(migrate(target, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('two `shipgate migrate` processes at the same moment both succeed and apply the schema once', async () => {
    const target = await emptyTarget();
    const env = { DATABASE_URL: target.url };
    const [a, b] = await Promise.all([runCli(['migrate'], env), runCli(['migrate'], env)]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const outputs = [a.stdout, b.stdout].sort();
    const all = loadMigrations(target.provider);
    // One applied everything; the other found it done.
    expect(outputs.join('\n')).toMatch(new RegExp(`Applied ${all.length} migration`));
    expect(outputs.join('\n')).toMatch(/is up to date/);
    expect(await appliedCount(target)).toBe(all.length);
  });
});

describe('migrator errors', () => {
  it('says clearly when PostgreSQL cannot be reached', async () => {
    const result = await runCli(['migrate'], { DATABASE_URL: 'postgresql://nobody:pw@127.0.0.1:1/none' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot connect to PostgreSQL at postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: connection refused/);
  });

  it('says clearly when the SQLite directory is not writable', async () => {
    if (process.getuid?.() === 0) {
      // root writes everywhere; a path under a regular file is unusable for anyone.
      const result = await runCli(['migrate'], { DATABASE_URL: 'file:/etc/hostname/sub/shipgate.db' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Cannot use the SQLite directory \/etc\/hostname\/sub/);
      return;
    }
    const result = await runCli(['migrate'], { DATABASE_URL: 'file:/proc/shipgate/shipgate.db' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot use the SQLite directory/);
  });
});
