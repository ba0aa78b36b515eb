// Raw SQL written once for both databases with PostgreSQL's numbered
// parameters ($1, each usable more than once). better-sqlite3 binds only plain
// ? in text order, so on SQLite each $n becomes a ? with its value repeated.
import type { Database } from './open-database.js';

export function query<T>(db: Database, text: string, values: unknown[]): Promise<T[]> {
  if (db.provider === 'postgresql') return db.prisma.$queryRawUnsafe<T[]>(text, ...values);
  const args: unknown[] = [];
  const plain = text.replace(/\$(\d+)/g, (_, n: string) => {
    args.push(values[Number(n) - 1]);
    return '?';
  });
  return db.prisma.$queryRawUnsafe<T[]>(plain, ...args);
}
