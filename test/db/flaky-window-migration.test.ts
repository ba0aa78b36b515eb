// The migration that keeps each pair's flakiness window on CurrentResult fills
// it from history (the last 20 passed and failed results in run order, aborted
// runs left out), adds the column in place (the StateChange trigger stays), and
// uploads then append to the filled windows.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { loadMigrations } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { ingestResults } from '../../src/services/ingest-results.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (drops.length) await drops.pop()!();
});

const T0 = Date.parse('2030-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe(`the flaky-window migration (${testProvider()})`, () => {
  it('fills the windows from history, then uploads append to them', async () => {
    const fresh = await freshTarget(false);
    drops.push(fresh.drop);
    const all = loadMigrations(fresh.target.provider);
    const index = all.findIndex((m) => m.name.endsWith('_flaky_window'));
    expect(index).toBeGreaterThan(0);
    await migrate(fresh.target, all.slice(0, index));

    const db = openDatabase(fresh.target);
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TFWM' } });
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "Project" ("id", "workspaceId", "key", "name", "updatedAt") VALUES ('pfwm', '${ws.id}', 'FWM', 'Fwm', CURRENT_TIMESTAMP)`,
    );
    const c = await db.prisma.testCase.create({ data: { projectId: 'pfwm', key: 'checkout', title: 'checkout' } });
    const skipped = await db.prisma.testCase.create({ data: { projectId: 'pfwm', key: 'skipped', title: 'skipped' } });
    const m = await db.prisma.milestone.create({ data: { projectId: 'pfwm', name: 'a', nameKey: 'a' } });
    // 24 runs, created newest first (so the order is by start time): P F alternating, a retried pass every
    // third, a skip at 5, and run 22 aborted.
    let last = '';
    for (let i = 23; i >= 0; i--) {
      const run = await db.prisma.testRun.create({
        data: { projectId: 'pfwm', milestoneId: m.id, name: `r${i}`, status: i === 22 ? 'ABORTED' : 'COMPLETED', startedAt: at(i) },
      });
      const status = i === 5 ? 'SKIPPED' : i % 2 ? 'FAILED' : 'PASSED';
      await db.prisma.testResult.create({ data: { runId: run.id, caseId: c.id, status, flaky: i % 3 === 0, recordedAt: at(i) } });
      if (i === 23) {
        last = run.id;
        await db.prisma.testResult.create({ data: { runId: run.id, caseId: skipped.id, status: 'SKIPPED', recordedAt: at(i) } });
      }
    }
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "CurrentResult" ("milestoneId", "caseId", "environment", "runId", "runStartedAt", "runCreatedAt", "status", "flaky", "appearedAt", "changedAt")
       SELECT t."milestoneId", r."caseId", 'default', t."id", t."startedAt", t."createdAt", r."status", r."flaky", r."recordedAt", r."recordedAt"
         FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" WHERE t."id" = '${last}'`,
    );
    await db.close();

    await migrate(fresh.target);
    const after = openDatabase(fresh.target);
    try {
      // Runs 0..23 without 5 (skipped) and 22 (aborted): the last 20 are runs 2..23 without those.
      const marks = [...Array(24).keys()]
        .filter((i) => i !== 5 && i !== 22)
        .map((i) => (i % 2 ? 'F' : i % 3 === 0 ? 'p' : 'P'))
        .slice(-20)
        .join('');
      expect(marks).toHaveLength(20);
      const rows = await after.prisma.currentResult.findMany({ select: { caseId: true, recent: true, status: true } });
      expect(rows.sort((a, b) => (a.caseId === c.id ? -1 : b.caseId === c.id ? 1 : 0))).toEqual([
        { caseId: c.id, recent: marks, status: 'FAILED' },
        { caseId: skipped.id, recent: '', status: 'SKIPPED' },
      ]);
      // A newer run passes: the window appends, the trigger still logs the change, FlakyCase follows the window.
      const latest = await after.prisma.testRun.create({
        data: { projectId: 'pfwm', milestoneId: m.id, name: 'r30', status: 'COMPLETED', startedAt: at(30) },
      });
      const passed = { key: 'checkout', title: 'checkout', suite: null, status: 'PASSED' as const, durationMs: null, message: null };
      await ingestResults(
        { db: after, now: () => at(31) },
        { projectId: 'pfwm', runId: latest.id, results: [{ ...passed, attempts: 1, flaky: false, critical: false }] },
      );
      const row = await after.prisma.currentResult.findFirstOrThrow({ where: { caseId: c.id } });
      expect(row.recent).toBe((marks + 'P').slice(-20));
      expect(await after.prisma.stateChange.count({ where: { caseId: c.id, fromStatus: 'FAILED', toStatus: 'PASSED' } })).toBe(1);
      const flaky = await after.prisma.flakyCase.findMany({ where: { caseId: c.id } });
      expect(flaky.map((f) => [f.results, f.retried])).toEqual([[20, [...row.recent].filter((x) => x === 'p').length]]);
    } finally {
      await after.close();
    }
  });
});
