// Runs once before the suite: migrates a template database that each test file
// copies (SQLite) or clones (PostgreSQL), so files never share data.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/db/migrator.js';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { PG_TEMPLATE_NAME, TEMPLATE_SQLITE, pgServerUrl, testProvider, withDatabaseName } from './test-database.js';

export default async function setup(): Promise<void> {
  if (testProvider() === 'sqlite') {
    rmSync(dirname(TEMPLATE_SQLITE), { recursive: true, force: true });
    mkdirSync(dirname(TEMPLATE_SQLITE), { recursive: true });
    await migrate(parseDatabaseUrl(`file:${TEMPLATE_SQLITE}`));
    // Fold the WAL into the main file so a plain copy carries everything.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(TEMPLATE_SQLITE);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    console.log(`[test] database: SQLite (template ${TEMPLATE_SQLITE})`);
    return;
  }
  const server = pgServerUrl()!;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${PG_TEMPLATE_NAME}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${PG_TEMPLATE_NAME}"`);
  } finally {
    await admin.end();
  }
  await migrate(parseDatabaseUrl(withDatabaseName(server, PG_TEMPLATE_NAME)));
  console.log(`[test] database: PostgreSQL (template ${PG_TEMPLATE_NAME} on ${new URL(server).host})`);
}
