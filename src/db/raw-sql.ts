// Raw SQL through a Prisma client or interactive transaction, written once for
// both databases with PostgreSQL's numbered parameters.
import type { Database } from './open-database.js';

/** What a Prisma client or interactive transaction offers for raw SQL. */
export interface RawSql {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export type Provider = Database['provider'];

/** A parameter: text, or a moment as bulk-results.ts `timestamp` gives it for the provider. */
export type SqlValue = string | Date;

/**
 * Runs a statement written with PostgreSQL's numbered parameters ($1, $2, each
 * usable more than once). better-sqlite3 binds only plain ? in text order, so on
 * SQLite each $n becomes a ? and its value is repeated as often as it appears.
 */
export function execute(sql: RawSql, provider: Provider, text: string, ...values: SqlValue[]): Promise<number> {
  if (provider === 'postgresql') return sql.$executeRawUnsafe(text, ...values);
  const [plain, args] = positional(text, values);
  return sql.$executeRawUnsafe(plain, ...args);
}

/** A query written as for `execute`, its rows. */
export function select<T>(sql: RawSql, provider: Provider, text: string, ...values: SqlValue[]): Promise<T[]> {
  if (provider === 'postgresql') return sql.$queryRawUnsafe<T[]>(text, ...values);
  const [plain, args] = positional(text, values);
  return sql.$queryRawUnsafe<T[]>(plain, ...args);
}

function positional(text: string, values: SqlValue[]): [string, SqlValue[]] {
  const args: SqlValue[] = [];
  const plain = text.replace(/\$(\d+)/g, (_, n: string) => {
    args.push(values[Number(n) - 1]!);
    return '?';
  });
  return [plain, args];
}

/**
 * CurrentResult, to be searched by (milestoneId, caseId). Without statistics
 * (no ANALYZE) SQLite prefers the covering index on (milestoneId, status, …)
 * with milestoneId alone over the primary key with both columns, and then reads
 * a milestone's whole state for each case looked up; INDEXED BY names the
 * primary key's index (SQLite names it after the table). PostgreSQL picks the
 * primary key by itself.
 */
export function currentResultByCase(provider: Provider, alias: string): string {
  return provider === 'sqlite' ? `"CurrentResult" ${alias} INDEXED BY "sqlite_autoindex_CurrentResult_1"` : `"CurrentResult" ${alias}`;
}

/** A subquery over the strings of the JSON array in parameter $n: `x IN (${jsonTextList(provider, 2)})`. */
export function jsonTextList(provider: Provider, n: number): string {
  return provider === 'postgresql' ? `SELECT json_array_elements_text($${n}::json)` : `SELECT j.value FROM json_each($${n}) j`;
}
