// One writer at a time, readers beside it. The better-sqlite3 adapter gives the
// Prisma client a single connection and locks only transactions against each
// other: a plain query issued while another request's transaction is open runs
// *inside* it, is rolled back with it, and a reader sees its uncommitted rows.
// This wrapper makes every write outside a transaction wait for the transaction
// to end, and every transaction wait for the write, so no request ever runs
// inside another's. Reads outside a transaction go to a second, read-only
// connection: in WAL mode (the migrator sets it) a reader sees what was
// committed when its statement began and neither waits for the writer nor
// holds it up. Waiting is bounded: past busyTimeoutMs the caller gets a
// DatabaseBusyError (an edge answers 503), never a hang.
//
// Transactions are kept short by the code (nothing waits on the network or a
// request body inside one; see docs/concurrency.md), so the wait is short.
import { E_TIMEOUT, Mutex, withTimeout, type MutexInterface } from 'async-mutex';
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import { DatabaseBusyError } from './overload.js';

/**
 * The writer's factory, wrapped: its connection is serialised by one lock, and
 * reads outside transactions go to a connection from `readers` (read-only).
 */
export function serialisedSqlite(
  writer: SqlMigrationAwareDriverAdapterFactory,
  readers: SqlDriverAdapterFactory,
  busyTimeoutMs: number,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: writer.provider,
    adapterName: writer.adapterName,
    connect: async () => {
      const write = await writer.connect(); // first: it creates the WAL files a read-only connection needs
      return new SerialisedAdapter(write, await readers.connect(), busyTimeoutMs);
    },
    connectToShadowDb: async () => {
      const shadow = await writer.connectToShadowDb();
      return new SerialisedAdapter(shadow, shadow, busyTimeoutMs);
    },
  };
}

// Statements that only read: a SELECT, or a WITH that ends in one (a WITH that
// writes is refused by the read-only connection and goes to the writer).
const READ = /^\s*(SELECT|WITH)\b/i;

function isReadOnlyRefusal(err: unknown): boolean {
  const e = err as { cause?: { originalCode?: string; originalMessage?: string }; message?: string } | null;
  return /SQLITE_READONLY|readonly database/i.test(
    `${e?.cause?.originalCode ?? ''} ${e?.cause?.originalMessage ?? ''} ${e?.message ?? ''}`,
  );
}

class SerialisedAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter['provider'];
  readonly adapterName: string;
  readonly getConnectionInfo?: () => ConnectionInfo;
  private readonly lock: MutexInterface;

  constructor(
    private readonly inner: SqlDriverAdapter,
    private readonly reader: SqlDriverAdapter,
    private readonly busyTimeoutMs: number,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.lock = withTimeout(new Mutex(), busyTimeoutMs);
    // Offered only when the wrapped adapter offers it: Prisma reads its absence as the defaults.
    const info = inner.getConnectionInfo?.bind(inner);
    if (info) this.getConnectionInfo = info;
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    if (this.reader !== this.inner && READ.test(query.sql)) {
      try {
        return await this.reader.queryRaw(query);
      } catch (err) {
        if (!isReadOnlyRefusal(err)) throw err;
      }
    }
    return this.exclusive(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.exclusive(() => this.inner.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.exclusive(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.acquire();
    try {
      return new ReleasingTransaction(await this.inner.startTransaction(isolationLevel), release);
    } catch (err) {
      release();
      throw err;
    }
  }

  async dispose(): Promise<void> {
    if (this.reader !== this.inner) await this.reader.dispose();
    await this.inner.dispose();
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private async acquire(): Promise<() => void> {
    try {
      return await this.lock.acquire();
    } catch (err) {
      if (err === E_TIMEOUT) {
        throw new DatabaseBusyError(
          `The database stayed busy for ${this.busyTimeoutMs} ms (DATABASE_BUSY_TIMEOUT_MS); nothing was changed. Try again shortly.`,
        );
      }
      throw err;
    }
  }
}

/** A transaction that gives the connection back once it has committed or rolled back. */
class ReleasingTransaction implements Transaction {
  readonly provider: Transaction['provider'];
  readonly adapterName: string;
  readonly options: Transaction['options'];
  private released = false;

  constructor(
    private readonly inner: Transaction,
    private readonly release: () => void,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.options = inner.options;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.inner.queryRaw(query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  async commit(): Promise<void> {
    try {
      await this.inner.commit();
    } finally {
      this.done();
    }
  }

  async rollback(): Promise<void> {
    try {
      await this.inner.rollback();
    } finally {
      this.done();
    }
  }

  createSavepoint(name: string): Promise<void> {
    return this.inner.createSavepoint?.(name) ?? this.unsupported('savepoints');
  }

  rollbackToSavepoint(name: string): Promise<void> {
    return this.inner.rollbackToSavepoint?.(name) ?? this.unsupported('savepoints');
  }

  releaseSavepoint(name: string): Promise<void> {
    return this.inner.releaseSavepoint?.(name) ?? this.unsupported('savepoints');
  }

  private unsupported(what: string): Promise<never> {
    return Promise.reject(new Error(`The SQLite adapter does not support ${what}.`));
  }

  private done(): void {
    if (this.released) return;
    this.released = true;
    this.release();
  }
}
