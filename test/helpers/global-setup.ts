// Runs once before the suite: migrates a template database that each test file
// copies (SQLite) or clones (PostgreSQL), so files never share data. The
// template is named after this run's process, so concurrent runs stay apart.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/db/migrator.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { pgServerUrl, pgTemplateName, templateSqlite, testProvider, withDatabaseName } from './test-database.js';

export default async function setup(): Promise<() => Promise<void>> {
  // Workers are forked after this runs and inherit these.
  process.env.SHIPGATE_TEST_TEMPLATE_FILE = templateSqlite();
  process.env.SHIPGATE_TEST_TEMPLATE_DB = pgTemplateName();
  if (testProvider() === 'sqlite') {
    const file = templateSqlite();
    rmSync(dirname(file), { recursive: true, force: true });
    mkdirSync(dirname(file), { recursive: true });
    await migrate(parseDatabaseUrl(`file:${file}`));
    // Fold the WAL into the main file so a plain copy carries everything.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    console.log(`[test] database: SQLite (template ${file})`);
    return async () => rmSync(dirname(file), { recursive: true, force: true });
  }
  const server = pgServerUrl()!;
  const name = pgTemplateName();
  await adminQuery(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(server, `CREATE DATABASE "${name}"`);
  await migrate(parseDatabaseUrl(withDatabaseName(server, name)));
  console.log(`[test] database: PostgreSQL (template ${name} on ${new URL(server).host})`);
  return async () => adminQuery(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

async function adminQuery(server: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
