#!/usr/bin/env node
// Development tool for the migration histories (needs --experimental-wasm-modules):
//   node --experimental-wasm-modules scripts/migrations.mjs new <name> [--provider sqlite|postgresql]
//   node --experimental-wasm-modules scripts/migrations.mjs check [--provider sqlite|postgresql]
// Both apply the committed migrations to a scratch database, then ask Prisma's
// schema engine (its WebAssembly build) for the SQL that takes that database to
// prisma/models.prisma. `new` writes that SQL as a new migration; `check` fails
// (exit 1) when it is not empty: the model and the migrations have drifted.
// PostgreSQL needs SHIPGATE_TEST_PG_URL (a server where a scratch database may be created).
import { readFileSync, readdirSync, mkdirSync, writeFileSync, existsSync, rmSync, mkdtempSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { schemaFor } from './generate-prisma.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const command = args[0];
const providerFlag = args.indexOf('--provider');
const providers = providerFlag >= 0 ? [args[providerFlag + 1]] : ['sqlite', 'postgresql'];
const filters = { externalTables: [], externalEnums: [] };
// --models <file> checks another model file against the committed migrations (used by the drift test).
const modelsFlag = args.indexOf('--models');
const modelsFile = modelsFlag >= 0 ? args[modelsFlag + 1] : join(root, 'prisma', 'models.prisma');

function migrationsDir(provider) {
  return join(root, 'prisma', provider, 'migrations');
}

function committedMigrations(provider) {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name, 'migration.sql'), 'utf8') }));
}

const PG_CATALOG = `
  SELECT 'column' AS kind, table_name || '.' || column_name AS name,
         data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS detail
    FROM information_schema.columns WHERE table_schema = 'public'
  UNION ALL
  SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL
  SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint
   WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'enum', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
  ORDER BY 1, 2, 3`;

async function scratchDatabase(provider) {
  if (provider === 'sqlite') {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    const { default: Database } = await import('better-sqlite3');
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-drift-'));
    const file = join(dir, 'drift.db');
    const db = new Database(file);
    return {
      adapter: new PrismaBetterSqlite3({ url: `file:${file}` }),
      apply: async (sql) => db.exec(sql),
      // The structure, not the CREATE TABLE text: a column added in place (ALTER TABLE … ADD COLUMN, which a
      // migration must use for a table others refer to) reads the same as one in a table created whole.
      catalog: async () => {
        const rows = [];
        const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all();
        for (const { name } of tables) {
          for (const c of db.prepare(`SELECT cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`).all(name))
            rows.push({ kind: 'column', table: name, ...c });
          for (const f of db
            .prepare(`SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY "from"`)
            .all(name))
            rows.push({ kind: 'foreign key', table: name, ...f });
        }
        const indexes = db.prepare(
          `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
        );
        for (const i of indexes.all()) rows.push({ kind: 'index', ...i });
        return rows;
      },
      close: async () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.SHIPGATE_TEST_PG_URL;
  if (!base) throw new Error('SHIPGATE_TEST_PG_URL is not set: PostgreSQL drift checks need a server to create a scratch database on.');
  const { default: pg } = await import('pg');
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const name = `shipgate_drift_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return {
    adapter: new PrismaPg({ connectionString: url.toString() }),
    apply: async (sql) => {
      await client.query(sql);
    },
    catalog: async () => (await client.query(PG_CATALOG)).rows,
    close: async () => {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

function snapshotPath(provider) {
  return join(migrationsDir(provider), 'model-snapshot.prisma');
}

async function withEngine(provider, adapter, fn) {
  const { SchemaEngine } = await import('@prisma/schema-engine-wasm');
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const path = join(root, 'prisma', provider, 'schema.prisma');
  const engine = await SchemaEngine.new(
    { datamodels: [[path, schemaFor(provider)]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  try {
    return await fn(engine, path);
  } finally {
    engine.free?.();
  }
}

const isEmptySql = (sql) => /^\s*(--[^\n]*\n?\s*)*$/.test(sql ?? '');

// The SQL that takes a database built from `fromModels` (or nothing) to `toModels`.
async function diffModels(provider, fromModels, toModels) {
  const scratch = await scratchDatabase(provider);
  try {
    return await withEngine(provider, scratch.adapter, async (engine, path) => {
      const target = (models) => ({ tag: 'schemaDatamodel', files: [{ path, content: schemaFor(provider, models) }] });
      const result = await engine.diff({
        from: fromModels === null ? { tag: 'empty' } : target(fromModels),
        to: target(toModels),
        script: true,
        exitCode: null,
        filters,
      });
      return isEmptySql(result.stdout) ? '' : result.stdout;
    });
  } finally {
    await scratch.close();
  }
}

// Builds one scratch database from the committed migrations and one straight from
// the model, and compares what they contain. Catches hand-edited migrations.
async function migrationsProduceModel(provider, models) {
  const fromMigrations = await scratchDatabase(provider);
  const fromModel = await scratchDatabase(provider);
  try {
    for (const m of committedMigrations(provider)) await fromMigrations.apply(m.sql);
    await fromModel.apply(await diffModels(provider, null, models));
    const [a, b] = [await fromMigrations.catalog(), await fromModel.catalog()];
    return JSON.stringify(a) === JSON.stringify(b) ? null : describeDifference(a, b);
  } finally {
    await fromMigrations.close();
    await fromModel.close();
  }
}

function describeDifference(a, b) {
  const sa = new Set(a.map((r) => JSON.stringify(r)));
  const sb = new Set(b.map((r) => JSON.stringify(r)));
  const onlyA = [...sa].filter((r) => !sb.has(r)).slice(0, 10);
  const onlyB = [...sb].filter((r) => !sa.has(r)).slice(0, 10);
  return `only in the migrated database:\n  ${onlyA.join('\n  ') || '(none)'}\nonly in the model:\n  ${onlyB.join('\n  ') || '(none)'}`;
}

function timestamp() {
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function main() {
  if (command === 'new') {
    const name = args[1];
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: migrations.mjs new <snake_case_name> [--provider P]');
    const stamp = timestamp();
    const models = readFileSync(modelsFile, 'utf8');
    for (const provider of providers) {
      const snapshot = existsSync(snapshotPath(provider)) ? readFileSync(snapshotPath(provider), 'utf8') : null;
      const sql = await diffModels(provider, snapshot, models);
      if (!sql) {
        console.log(`${provider}: no changes, no migration written`);
        continue;
      }
      const dir = join(migrationsDir(provider), `${stamp}_${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'migration.sql'), sql);
      writeFileSync(
        join(migrationsDir(provider), 'migration_lock.toml'),
        `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`,
      );
      writeFileSync(snapshotPath(provider), models);
      console.log(`${provider}: wrote ${dir}/migration.sql`);
    }
  } else if (command === 'check') {
    let drift = false;
    const models = readFileSync(modelsFile, 'utf8');
    for (const provider of providers) {
      const snapshot = existsSync(snapshotPath(provider)) ? readFileSync(snapshotPath(provider), 'utf8') : null;
      const missing = snapshot === models ? '' : await diffModels(provider, snapshot, models);
      if (snapshot !== models) {
        drift = true;
        console.error(
          `${provider}: DRIFT — prisma/models.prisma changed since the last migration in prisma/${provider}/migrations. ` +
            `Run \`npm run migrations:new -- <name>\` to write the missing migration:\n${missing || '(no SQL change; refresh the snapshot with a new migration)'}`,
        );
        continue;
      }
      const mismatch = await migrationsProduceModel(provider, models);
      if (mismatch) {
        drift = true;
        console.error(
          `${provider}: DRIFT — applying prisma/${provider}/migrations does not build the database the model describes (was a migration edited by hand?)\n${mismatch}`,
        );
      } else {
        console.log(`${provider}: migrations match the model`);
      }
    }
    process.exitCode = drift ? 1 : 0;
  } else {
    console.error('usage: migrations.mjs new <name> | check  [--provider sqlite|postgresql]');
    process.exitCode = 2;
  }
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exitCode = 2;
});
