// Scratch databases for the benchmarks, of either provider, and bulk seeding
// through the drivers directly (fast, in chunks), never by the code under test:
// for volume. The few rows a bench needs as the app would make them (a project,
// its API key, a run) come from the tests' factories (test/helpers/factories.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl, type DatabaseTarget } from '../src/db/database-url.js';
import { migrate } from '../src/db/migrator.js';

export interface Scratch {
  target: DatabaseTarget;
  /** Inserts rows (arrays of column values) into a table, in chunks. */
  insert(table: string, columns: string[], rows: unknown[][]): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement that returns no rows (DDL). */
  exec(sql: string): Promise<void>;
  /** Runs a statement that returns no rows, with parameters ($1… on PostgreSQL, ? on SQLite). */
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export interface ScratchOptions {
  /** The PostgreSQL server to create the database on, or null for SQLite; DATABASE_URL when not given. */
  server?: string | null;
  /** Apply Shipgate's migrations (true unless said): false gives an empty database. */
  migrated?: boolean;
}

export async function scratchDatabase(label: string, options: ScratchOptions = {}): Promise<Scratch> {
  const url = options.server === undefined ? process.env.DATABASE_URL : options.server;
  const migrated = options.migrated ?? true;
  if (url?.startsWith('postgres')) {
    const name = `shipgate_bench_${label}_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const target = parseDatabaseUrl(u.toString());
    if (migrated) await migrate(target);
    const client = new pg.Client({ connectionString: u.toString() });
    await client.connect();
    return {
      target,
      async insert(table, columns, rows) {
        for (let i = 0; i < rows.length; i += 5000) {
          const chunk = rows.slice(i, i + 5000);
          const values: unknown[] = [];
          const tuples = chunk.map(
            (row) =>
              `(${row
                .map((v) => {
                  values.push(v);
                  return `$${values.length}`;
                })
                .join(',')})`,
          );
          await client.query(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES ${tuples.join(',')}`, values);
        }
      },
      query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
      async exec(sql) {
        await client.query(sql);
      },
      async run(sql, params = []) {
        await client.query(sql, params);
      },
      async close() {
        await client.end();
        if (process.env.BENCH_KEEP) console.log(`kept database ${name}`);
        else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `shipgate-bench-${label}-`));
  const target = parseDatabaseUrl(`file:${join(dir, 'bench.db')}`);
  if (migrated) await migrate(target);
  const db = new BetterSqlite3(join(dir, 'bench.db'));
  db.pragma('journal_mode = WAL');
  return {
    target,
    async insert(table, columns, rows) {
      const stmt = db.prepare(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES (${columns.map(() => '?').join(',')})`,
      );
      const all = db.transaction((batch: unknown[][]) => {
        for (const row of batch)
          stmt.run(
            ...row.map((v) => (v instanceof Date ? v.toISOString().replace('Z', '+00:00') : typeof v === 'boolean' ? (v ? 1 : 0) : v)),
          );
      });
      all(rows);
    },
    query: async (sql, params = []) => db.prepare(sql).all(...params) as never[],
    async exec(sql) {
      db.exec(sql);
    },
    async run(sql, params = []) {
      db.prepare(sql).run(...params);
    },
    async close() {
      db.close();
      if (process.env.BENCH_KEEP) console.log(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const id = () => randomUUID().replace(/-/g, '').slice(0, 25);

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const out = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, out];
}

/** A process's peak resident set size (VmHWM) in MB, from /proc (Linux). */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}
