// On SQLite the Prisma client has one connection. A plain query issued while
// another request's transaction is open must not run inside it: it waits for
// the transaction to end, so a rollback never takes it along and no reader sees
// uncommitted rows. Waiting is bounded: past the busy timeout the caller is told
// the database is busy. (On PostgreSQL each request has its own connection;
// the same expectations hold.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/open-database.js';
import { isDatabaseBusy } from '../../src/db/overload.js';
import { seedProject } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { signal, within } from '../helpers/wait.js';

describe('a transaction in progress and the requests beside it', () => {
  let t: TestDatabase;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    projectId = (await seedProject(t, 'ISO')).project.id;
  });
  afterAll(async () => t.cleanup());

  it('a write beside a transaction that rolls back is kept, and a reader never sees the uncommitted row', async () => {
    const inside = signal();
    const release = signal();
    const tx = t.prisma.$transaction(
      async (tx) => {
        await tx.milestone.create({ data: { projectId, name: 'uncommitted', nameKey: 'uncommitted' } });
        inside.resolve();
        await release.promise;
        throw new Error('the upload turned out malformed');
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    const failed = tx.then(
      () => null,
      (e: unknown) => e,
    );
    await within(inside.promise, 10_000, 'the transaction writes its row');

    // Issued while the transaction is open (a Prisma query runs once awaited, so start both now).
    const read = Promise.resolve(t.prisma.milestone.findMany({ where: { projectId }, select: { name: true } }));
    const write = Promise.resolve(t.prisma.milestone.create({ data: { projectId, name: 'acknowledged', nameKey: 'acknowledged' } }));
    // Were they to run inside the transaction, they would finish now; waiting for the transaction, they cannot.
    // Either way the transaction is then let go; the outcome, not this wait, is what is checked.
    await Promise.race([Promise.all([read, write]), new Promise((resolve) => setTimeout(resolve, 200))]);
    release.resolve();
    expect(await failed).toBeInstanceOf(Error);
    const seen = await within(read, 10_000, 'the read beside the transaction');
    await within(write, 10_000, 'the write beside the transaction');

    expect(seen.map((m) => m.name)).not.toContain('uncommitted');
    const kept = await t.prisma.milestone.findMany({ where: { projectId }, select: { name: true } });
    expect(kept.map((m) => m.name)).toEqual(['acknowledged']);
  });

  it('a request that waits past the busy timeout is told the database is busy, and changes nothing', async () => {
    const db: Database = openDatabase(t.target, { busyTimeoutMs: 300, poolSize: 1 });
    try {
      const inside = signal();
      const release = signal();
      const tx = db.prisma.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe('SELECT 1');
          inside.resolve();
          await release.promise;
        },
        { timeout: 30_000, maxWait: 10_000 },
      );
      await within(inside.promise, 10_000, 'the transaction holds the connection');
      const err = await db.prisma.milestone.create({ data: { projectId, name: 'too late', nameKey: 'too late' } }).then(
        () => null,
        (e: unknown) => e,
      );
      release.resolve();
      await tx;
      expect(isDatabaseBusy(err)).toBe(true);
      expect(await t.prisma.milestone.count({ where: { projectId, name: 'too late' } })).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('reads and writes find their connection', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('a WITH … UPDATE sent as a query writes (it is not taken for a read), and the next read sees it', async () => {
    const { project } = await seedProject(t, 'RW');
    await t.prisma.milestone.create({ data: { projectId: project.id, name: 'before', nameKey: 'before' } });
    const rows = await t.prisma.$queryRawUnsafe<Array<{ name: string }>>(
      `WITH target AS (SELECT "id" FROM "Milestone" WHERE "name" = 'before') UPDATE "Milestone" SET "name" = 'after' WHERE "id" IN (SELECT "id" FROM target) RETURNING "name"`,
    );
    expect(rows).toEqual([{ name: 'after' }]);
    expect((await t.prisma.milestone.findMany({ where: { projectId: project.id } })).map((m) => m.name)).toEqual(['after']);
  });
});

describe.runIf(testProvider() === 'sqlite')('the read connection', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('keeps 64 MiB of pages, room for a large milestone state and what readiness reads after it; the writer keeps the default', async () => {
    // A SELECT goes to the read connection, a PRAGMA statement to the writer.
    const read = await t.prisma.$queryRawUnsafe<{ cache_size: number | bigint }[]>('SELECT cache_size FROM pragma_cache_size()');
    const written = await t.prisma.$queryRawUnsafe<{ cache_size: number | bigint }[]>('PRAGMA cache_size');
    expect(Number(read[0]!.cache_size)).toBe(-64 * 1024);
    expect(Number(written[0]!.cache_size)).toBe(-16_000);
  });
});
