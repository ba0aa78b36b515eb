// Which database an administration command works on, and whether it may create
// it. The server (`serve`, `migrate`) creates its embedded SQLite file on first
// start; an administration command run from the wrong directory must not
// quietly create an empty one there (DATABASE_URL's default is relative to the
// current directory), so it creates a new SQLite file only inside the server's
// own data directory, or when asked with --database.
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { DEFAULT_DATABASE_URL, describeTarget, parseDatabaseUrl, type DatabaseTarget } from '../db/database-url.js';

/** The data directory of this installation (`<package>/data`), where `npm start` keeps the default database. */
export const SERVER_DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));

export interface DatabaseRequest {
  /** From DATABASE_URL (or its default). */
  configured: DatabaseTarget;
  /** Whether DATABASE_URL was set (the default is relative to the current directory). */
  configuredExplicitly: boolean;
  /** --database, as typed: a file: or postgresql:// URL, or a path to an SQLite file. */
  option?: string;
}

export type DatabaseDecision = { ok: true; target: DatabaseTarget; creates: boolean } | { ok: false; message: string };

/** A --database value: a URL, or a plain path taken as an SQLite file. */
export function parseDatabaseOption(value: string, cwd = process.cwd()): DatabaseTarget {
  const v = value.trim();
  return parseDatabaseUrl(/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^[a-z]:[\\/]/i.test(v) ? v : `file:${v}`, cwd);
}

/** Pure: which database to use, given what exists. `exists` and the data directory are parameters so tests can say. */
export function decideDatabase(
  request: DatabaseRequest,
  cwd = process.cwd(),
  exists: (file: string) => boolean = existsSync,
  dataDir = SERVER_DATA_DIR,
): DatabaseDecision {
  if (request.option !== undefined) {
    const target = parseDatabaseOption(request.option, cwd);
    return { ok: true, target, creates: target.provider === 'sqlite' && !exists(target.file) };
  }
  const target = request.configured;
  if (target.provider !== 'sqlite' || exists(target.file)) return { ok: true, target, creates: false };
  if (isInside(target.file, dataDir)) return { ok: true, target, creates: true };
  const why = request.configuredExplicitly
    ? `DATABASE_URL names ${target.file}, which does not exist yet.`
    : `DATABASE_URL is not set, so the default ${DEFAULT_DATABASE_URL} is taken relative to the current directory (${cwd}), where there is no database.`;
  return {
    ok: false,
    message: [
      `No Shipgate database at ${target.file}; this command does not create one outside the server's data directory (${dataDir}).`,
      `  ${why}`,
      `  Run it where the server runs, set DATABASE_URL to the server's database (file:/path/to/shipgate.db or postgresql://…),`,
      `  or pass --database <file or URL> to use (or create) that database on purpose.`,
    ].join('\n'),
  };
}

export function isInside(file: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(file));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export function usingLine(target: DatabaseTarget, creates: boolean): string {
  return `Using database: ${describeTarget(target)}${creates ? ' (new: creating it)' : ''}`;
}

/** Adds --database to an administration command; its action reads `opts.database`. */
export function withDatabaseOption(command: Command): Command {
  return command
    .option(
      '--database <url-or-path>',
      'the database to use instead of DATABASE_URL: file:/path/shipgate.db, a path to an SQLite file, or postgresql://…; a new SQLite file is created only when named here',
    )
    .addHelpText(
      'after',
      "\nUses DATABASE_URL (default file:./data/shipgate.db, relative to the current directory) unless --database is given, and says which on stderr. It does not create a new SQLite file outside the server's data directory unless --database names it.",
    );
}
