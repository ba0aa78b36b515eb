// `shipgate jira retry` as a real process straight against the database: it
// puts FAILED Jira work back in the queue (all of it, or one project's) and
// says how many; an unknown project is an error that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX } from '../../src/db/outbox.js';
import { seedProject } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';
import { describeTarget } from '../../src/db/database-url.js';

describe('shipgate jira retry', () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};
  const statuses = async () =>
    Object.fromEntries(
      (await t.prisma.outboxItem.findMany({ orderBy: { dedupeKey: 'asc' } })).map((i) => [
        i.dedupeKey.replace(/:[^:]+/, `:${nameOf(i.dedupeKey)}`),
        i.status,
      ]),
    );
  const nameOf = (dedupeKey: string) => Object.entries(ids).find(([, id]) => dedupeKey.includes(id))?.[0] ?? '?';

  beforeAll(async () => {
    t = await createTestDatabase();
    env = { DATABASE_URL: t.url };
    const { project: pay } = await seedProject(t, 'PAY', { name: 'Payments' });
    const { project: ops } = await seedProject(t, 'OPS', { name: 'Operations' });
    const failed = {
      status: 'FAILED' as const,
      attempts: 1,
      lastError: 'Jira answered 401',
      nextAttemptAt: new Date('2026-01-01T00:00:00Z'),
    };
    for (const [name, projectId] of [
      ['pay1', pay.id],
      ['pay2', pay.id],
      ['ops1', ops.id],
    ] as const) {
      const d = await t.prisma.defect.create({ data: { projectId, title: name, severity: 'HIGH' } });
      ids[name] = d.id;
      const work = name === 'pay2' ? OUTBOX.jiraLinkIssue(d.id, 'PAYJ-9') : OUTBOX.jiraCreateIssue(d.id);
      await t.prisma.outboxItem.create({
        data: { kind: work.kind, dedupeKey: work.dedupeKey, payload: JSON.stringify(work.payload), ...failed },
      });
    }
    // Work that did not fail is left alone.
    const done = await t.prisma.defect.create({ data: { projectId: pay.id, title: 'done', severity: 'LOW' } });
    ids.done = done.id;
    await t.prisma.outboxItem.create({
      data: { ...OUTBOX.jiraCreateIssue(done.id), payload: JSON.stringify({ defectId: done.id }), status: 'DONE', attempts: 1 },
    });
  });
  afterAll(async () => t.cleanup());

  it('has --help', async () => {
    for (const args of [
      ['jira', '--help'],
      ['jira', 'retry', '--help'],
    ]) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: shipgate jira/);
    }
    expect((await runCli(['jira', 'retry', '--help'], env)).stdout).toContain('shipgate tick outbox');
  });

  it('an unknown project exits 2 (a usage error) with a clear line and changes nothing', async () => {
    const before = await statuses();
    const result = await runCli(['jira', 'retry', '--project', 'NOPE'], env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Using database: .*\nshipgate: No project NOPE\. .*leave --project out/);
    expect(await statuses()).toEqual(before);
  });

  it('--project requeues only that project’s failed work (create and link), due now, and says how many', async () => {
    const started = Date.now();
    const result = await runCli(['jira', 'retry', '--project', 'PAY'], env);
    expect(result.stderr).toBe(`Using database: ${describeTarget(t.target)}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Requeued 2 failed Jira items of project PAY.');
    expect(result.stdout).toContain('shipgate tick outbox');
    expect(await statuses()).toEqual({
      'jira.createIssue:done': 'DONE',
      'jira.createIssue:ops1': 'FAILED',
      'jira.createIssue:pay1': 'PENDING',
      'jira.linkIssue:pay2:PAYJ-9': 'PENDING',
    });
    const item = await t.prisma.outboxItem.findUniqueOrThrow({ where: { dedupeKey: `jira.createIssue:${ids.pay1}` } });
    expect(item.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(item.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(item).toMatchObject({ lockedBy: null, lockedUntil: null });
  });

  it('without --project requeues the rest; a second run finds nothing', async () => {
    const result = await runCli(['jira', 'retry'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Requeued 1 failed Jira item.');
    expect(await t.prisma.outboxItem.count({ where: { status: 'FAILED' } })).toBe(0);

    const again = await runCli(['jira', 'retry', '--project', 'pay'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No failed Jira work of project PAY to retry.');
  });
});
