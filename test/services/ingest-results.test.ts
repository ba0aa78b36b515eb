// JSON result ingestion against a real database: idempotent re-posts, one
// result per (run, case), whole-or-nothing batches, run state checks.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { ingestJUnit } from '../../src/services/ingest-junit.js';
import { ingestResults, type ResultRow } from '../../src/services/ingest-results.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { seedMilestone, seedProjectWithRun, seedRun } from '../helpers/factories.js';
import { stored } from './stored-counts.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.cleanup());

function row(i: number, over: Partial<ResultRow> = {}): ResultRow {
  return {
    key: `checkout::case ${i}`,
    title: `case ${i}`,
    suite: 'checkout',
    status: i % 10 === 0 ? 'FAILED' : 'PASSED',
    durationMs: i,
    message: i % 10 === 0 ? `failure ${i}` : null,
    attempts: 1,
    flaky: false,
    critical: false,
    ...over,
  };
}

describe('ingestResults', () => {
  it('stores a batch and counts it', async () => {
    const { project, run } = await seedProjectWithRun(t);
    const rows = Array.from({ length: 30 }, (_, i) => row(i + 1));
    const at = new Date('2026-03-04T05:06:07.089Z');
    const out = await ingestResults({ db: t.db, now: () => at }, { projectId: project.id, runId: run.id, results: rows });
    expect(out.counts).toMatchObject({ total: 30, passed: 27, failed: 3, skipped: 0, casesCreated: 30, resultsChanged: 30 });
    expect(await stored(t.prisma, project.id, run.id)).toEqual({ cases: 30, results: 30 });
    // Written by raw SQL, read back by Prisma: the same instants and values.
    const first = await t.prisma.testResult.findFirstOrThrow({
      where: { runId: run.id, testCase: { key: row(10).key } },
      include: { testCase: true },
    });
    expect(first).toMatchObject({ recordedAt: at, status: 'FAILED', message: 'failure 10', durationMs: 10, attempts: 1, flaky: false });
    expect(first.testCase).toMatchObject({ title: 'case 10', suite: 'checkout', critical: false, createdAt: at, updatedAt: at });
  });

  it('re-posting the same results changes nothing; a changed result replaces the old one', async () => {
    const { project, run } = await seedProjectWithRun(t);
    const rows = Array.from({ length: 1200 }, (_, i) => row(i + 1));
    await ingestResults(t, { projectId: project.id, runId: run.id, results: rows });
    const before = await t.prisma.testResult.findMany({ where: { runId: run.id }, orderBy: { id: 'asc' } });

    const again = await ingestResults(t, { projectId: project.id, runId: run.id, results: rows });
    expect(again.counts).toMatchObject({ total: 1200, casesCreated: 0, resultsChanged: 0 });
    const after = await t.prisma.testResult.findMany({ where: { runId: run.id }, orderBy: { id: 'asc' } });
    expect(after).toEqual(before);

    const changed = rows.map((r, i) => (i === 9 ? { ...r, status: 'PASSED' as const, message: null, attempts: 2, flaky: true } : r));
    const third = await ingestResults(t, { projectId: project.id, runId: run.id, results: changed });
    expect(third.counts).toMatchObject({ resultsChanged: 1, casesCreated: 0, flaky: 1 });
    expect(await stored(t.prisma, project.id, run.id)).toEqual({ cases: 1200, results: 1200 });
    const replaced = await t.prisma.testResult.findFirstOrThrow({ where: { runId: run.id, testCase: { key: rows[9]!.key } } });
    expect(replaced).toMatchObject({ status: 'PASSED', attempts: 2, flaky: true, message: null });
  });

  it('keeps one result per case when a key repeats in a batch: the later one wins', async () => {
    const { project, run } = await seedProjectWithRun(t);
    const out = await ingestResults(t, {
      projectId: project.id,
      runId: run.id,
      results: [row(1, { status: 'FAILED', message: 'first' }), row(2), row(1, { status: 'PASSED', message: null })],
    });
    expect(out.counts).toMatchObject({ casesCreated: 2, resultsChanged: 2 });
    const r = await t.prisma.testResult.findFirstOrThrow({ where: { runId: run.id, testCase: { key: row(1).key } } });
    expect(r.status).toBe('PASSED');
    expect(await stored(t.prisma, project.id, run.id)).toEqual({ cases: 2, results: 2 });
  });

  it('marks a case critical, and shares cases across runs of the project', async () => {
    const { project, run } = await seedProjectWithRun(t);
    await ingestResults(t, { projectId: project.id, runId: run.id, results: [row(1)] });
    const second = await seedRun(t, { projectId: project.id, name: 'second', status: 'IN_PROGRESS' });
    const out = await ingestResults(t, { projectId: project.id, runId: second.id, results: [row(1, { critical: true })] });
    expect(out.counts).toMatchObject({ casesCreated: 0, critical: 1, resultsChanged: 1 });
    const c = await t.prisma.testCase.findFirstOrThrow({ where: { projectId: project.id, key: row(1).key } });
    expect(c.critical).toBe(true);
    expect(await t.prisma.testResult.count({ where: { caseId: c.id } })).toBe(2);
  });

  it('stores nothing when one row of a large batch is invalid', async () => {
    const { project, run } = await seedProjectWithRun(t);
    const rows = Array.from({ length: 1500 }, (_, i) => row(i + 1));
    // Past the first chunk, so earlier chunks were already written inside the transaction.
    rows[1400] = { ...rows[1400]!, status: 'BOGUS' as ResultRow['status'] };
    await expect(ingestResults(t, { projectId: project.id, runId: run.id, results: rows })).rejects.toThrow();
    expect(await stored(t.prisma, project.id, run.id)).toEqual({ cases: 0, results: 0 });
  });

  it("refuses an aborted run (409), accepts a completed one, and hides other projects' runs (404)", async () => {
    const aborted = await seedProjectWithRun(t, 'ABORTED');
    const err = await ingestResults(t, { projectId: aborted.project.id, runId: aborted.run.id, results: [row(1)] }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('CONFLICT');
    expect(await stored(t.prisma, aborted.project.id, aborted.run.id)).toEqual({ cases: 0, results: 0 });

    const completed = await seedProjectWithRun(t, 'COMPLETED');
    const ok = await ingestResults(t, { projectId: completed.project.id, runId: completed.run.id, results: [row(1)] });
    expect(ok.counts.resultsChanged).toBe(1);

    const other = await seedProjectWithRun(t);
    const missing = await ingestResults(t, { projectId: other.project.id, runId: completed.run.id, results: [row(2)] }).catch((e) => e);
    expect(missing).toBeInstanceOf(AppError);
    expect(missing.code).toBe('NOT_FOUND');
    expect(await stored(t.prisma, other.project.id, completed.run.id)).toEqual({ cases: 0, results: 1 });
  });

  it('refuses results for a run whose milestone is completed or archived (409 saying what to do), JSON and JUnit alike, and takes them again once reopened', async () => {
    const { project } = await seedProjectWithRun(t);
    const milestone = await seedMilestone(t, project.id, 'Release 9');
    const run = await seedRun(t, { projectId: project.id, milestoneId: milestone.id, status: 'IN_PROGRESS' });
    const junit = () =>
      ingestJUnit(t, {
        projectId: project.id,
        runId: run.id,
        body: Readable.from([Buffer.from('<testsuite><testcase name="late"/></testsuite>')]),
      });

    await t.prisma.milestone.update({ where: { id: milestone.id }, data: { status: 'COMPLETED' } });
    for (const attempt of [() => ingestResults(t, { projectId: project.id, runId: run.id, results: [row(1)] }), junit]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('CONFLICT');
      expect((err as AppError).message).toMatch(/Milestone "Release 9" is completed.*nothing was stored.*Reopen the milestone/);
    }
    await t.prisma.milestone.update({ where: { id: milestone.id }, data: { status: 'ARCHIVED' } });
    const archived = await ingestResults(t, { projectId: project.id, runId: run.id, results: [row(1)] }).catch((e: unknown) => e);
    expect((archived as AppError).message).toMatch(/is archived/);
    expect(await stored(t.prisma, project.id, run.id)).toEqual({ cases: 0, results: 0 });

    await t.prisma.milestone.update({ where: { id: milestone.id }, data: { status: 'ACTIVE' } });
    expect((await junit()).counts.total).toBe(1);
    expect((await ingestResults(t, { projectId: project.id, runId: run.id, results: [row(1)] })).counts.total).toBe(1);
  });
});
