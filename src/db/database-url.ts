// Reads DATABASE_URL into the provider it names. SQLite is the embedded default.
import { isAbsolute, resolve } from 'node:path';

export type DatabaseTarget = { provider: 'sqlite'; file: string; url: string } | { provider: 'postgresql'; url: string };

export const DEFAULT_DATABASE_URL = 'file:./data/shipgate.db';

export class DatabaseUrlError extends Error {}

export function parseDatabaseUrl(raw: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const value = (raw ?? '').trim() || DEFAULT_DATABASE_URL;
  if (value.startsWith('file:')) {
    const path =
      value
        .slice('file:'.length)
        .replace(/^\/\/(?=\/)/, '')
        .split('?')[0] ?? '';
    if (!path || path === '/') {
      throw new DatabaseUrlError(`DATABASE_URL "${value}" names no file; use e.g. file:./data/shipgate.db`);
    }
    const file = isAbsolute(path) ? path : resolve(cwd, path);
    return { provider: 'sqlite', file, url: `file:${file}` };
  }
  if (value.startsWith('postgresql://') || value.startsWith('postgres://')) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new DatabaseUrlError(`DATABASE_URL is not a valid PostgreSQL URL; expected postgresql://user:password@host:5432/database`);
    }
    if (!parsed.hostname) {
      throw new DatabaseUrlError(`DATABASE_URL has no host; expected postgresql://user:password@host:5432/database`);
    }
    return { provider: 'postgresql', url: value };
  }
  throw new DatabaseUrlError(
    `DATABASE_URL must start with file: (SQLite, e.g. file:./data/shipgate.db) or postgresql:// (PostgreSQL), got "${redact(value)}"`,
  );
}

/** The URL without its password, safe for logs and error messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

export function describeTarget(target: DatabaseTarget): string {
  return target.provider === 'sqlite' ? `SQLite at ${target.file}` : `PostgreSQL at ${redact(target.url)}`;
}
