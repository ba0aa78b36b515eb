// Overload, told apart from failure: a database that is busy (every pooled
// connection taken, the SQLite write lock held, an upload queue full) answers
// later; one that is down or a query that is wrong does not. Edges answer the
// first with "try again" (HTTP 503 with Retry-After), never with a 500 that
// may or may not have stored the data.

/** Thrown when a request waited its allowed time for the database and did not get it. */
export class DatabaseBusyError extends Error {
  constructor(
    message: string,
    /** A fair guess, in seconds, of when to try again. */
    public readonly retryAfterSeconds = 5,
  ) {
    super(message);
    this.name = 'DatabaseBusyError';
  }
}

const BUSY_MESSAGES = [
  /timeout exceeded when trying to connect/i, // pg-pool: no connection free within connectionTimeoutMillis
  /Unable to start a transaction in the given time/i, // Prisma P2028: maxWait passed
  /database is locked|SQLITE_BUSY/i, // SQLite: another process holds the write lock past busy_timeout
  /sorry, too many clients already/i, // PostgreSQL 53300
];

/** True when `err` means "busy, try again", on either database. */
export function isDatabaseBusy(err: unknown): boolean {
  if (err instanceof DatabaseBusyError) return true;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  // P2024: pool timeout; P1008: operation timed out (the SQLite adapter reports SQLITE_BUSY so).
  if (e.code === 'P2024' || e.code === 'P1008' || e.code === '53300') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (BUSY_MESSAGES.some((re) => re.test(message))) return true;
  return e.cause !== undefined && e.cause !== err && isDatabaseBusy(e.cause);
}
