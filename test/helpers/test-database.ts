// A real database per test file: SQLite (a copy of a migrated template file) by
// default, or PostgreSQL (a database cloned from a migrated template) when
// TEST_DATABASE_URL names a PostgreSQL server. Built once in global-setup.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DatabaseOptions } from '../../src/db/open-database.js';
import { parseDatabaseUrl, type DatabaseTarget } from '../../src/db/database-url.js';
import type { ServiceDeps } from '../../src/services/service-deps.js';

// Unique per test run (global-setup sets them), so concurrent runs never share a template.
export function templateSqlite(): string {
  return process.env.SHIPGATE_TEST_TEMPLATE_FILE ?? join(tmpdir(), `shipgate-test-${process.pid}`, 'template.db');
}
export function pgTemplateName(): string {
  return process.env.SHIPGATE_TEST_TEMPLATE_DB ?? `shipgate_test_template_${process.pid}`;
}

export type TestProvider = 'sqlite' | 'postgresql';

export function testProvider(): TestProvider {
  return (process.env.TEST_DATABASE_URL ?? '').startsWith('postgres') ? 'postgresql' : 'sqlite';
}

export function pgServerUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL ?? process.env.SHIPGATE_TEST_PG_URL;
  return url?.startsWith('postgres') ? url : undefined;
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A test's database; it is also the dependencies a use case takes (the database and the real clock). */
export interface TestDatabase extends ServiceDeps {
  target: DatabaseTarget;
  prisma: Database['prisma'];
  url: string;
  cleanup(): Promise<void>;
}

/** A fresh, migrated database for one test file (pool and busy timeouts as a server given `options` would have them). */
export async function createTestDatabase(options: DatabaseOptions = {}): Promise<TestDatabase> {
  const { target, drop } = await freshTarget(true);
  const db = openDatabase(target, options);
  return {
    target,
    db,
    prisma: db.prisma,
    now: () => new Date(),
    url: target.url,
    async cleanup() {
      await db.close();
      await drop();
    },
  };
}

/** A fresh database target, migrated from the template or empty. */
export async function freshTarget(migrated: boolean): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (testProvider() === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-test-'));
    const file = join(dir, 'test.db');
    if (migrated) copyFileSync(templateSqlite(), file);
    return {
      target: parseDatabaseUrl(`file:${file}`),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = pgServerUrl()!;
  const name = `shipgate_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(migrated ? `CREATE DATABASE "${name}" TEMPLATE "${pgTemplateName()}"` : `CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    target: parseDatabaseUrl(withDatabaseName(server, name)),
    drop: async () => {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
