// The migration that keeps the current state's past (StateChange) dates the
// rows already kept: each pair appeared with its first counted result and was
// last written with its current one. From then on a change of a row's status
// leaves the state before it (the trigger), and the changes since a moment read it.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { loadMigrations } from '../../src/db/migrations-folder.js';
import { openDatabase } from '../../src/db/open-database.js';
import { ingestResults } from '../../src/services/ingest-results.js';
import { loadTestChanges } from '../../src/db/test-changes-query.js';
import { freshTarget, testProvider } from '../helpers/test-database.js';

const drops: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (drops.length) await drops.pop()!();
});

const T0 = Date.parse('2030-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe(`the state-changes migration (${testProvider()})`, () => {
  it('dates the kept rows from history, then logs each change of state', async () => {
    const fresh = await freshTarget(false);
    drops.push(fresh.drop);
    const all = loadMigrations(fresh.target.provider);
    const index = all.findIndex((m) => m.name.endsWith('_state_changes'));
    expect(index).toBeGreaterThan(0);
    await migrate(fresh.target, all.slice(0, index));

    // History as the code before the migration kept it: results and their current state, no dates on the state.
    const db = openDatabase(fresh.target);
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TSCM' } });
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO "Project" ("id", "workspaceId", "key", "name", "updatedAt") VALUES ('pscm', '${ws.id}', 'SCM', 'Scm', CURRENT_TIMESTAMP)`,
    );
    const c = await db.prisma.testCase.create({ data: { projectId: 'pscm', key: 'checkout', title: 'checkout' } });
    const m = await db.prisma.milestone.create({ data: { projectId: 'pscm', name: 'a', nameKey: 'a' } });
    const run = (minutes: number) =>
      db.prisma.testRun.create({
        data: { projectId: 'pscm', milestoneId: m.id, name: `r${minutes}`, status: 'COMPLETED', startedAt: at(minutes) },
      });
    const older = await run(0);
    const newer = await run(10);
    await db.prisma.testResult.create({ data: { runId: older.id, caseId: c.id, status: 'PASSED', recordedAt: at(1) } });
    await db.prisma.testResult.create({ data: { runId: newer.id, caseId: c.id, status: 'FAILED', recordedAt: at(11) } });
    const state = `INSERT INTO "CurrentResult" ("milestoneId", "caseId", "environment", "runId", "runStartedAt", "runCreatedAt", "status", "flaky")
      SELECT t."milestoneId", r."caseId", 'default', t."id", t."startedAt", t."createdAt", r."status", r."flaky"
        FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" WHERE t."id" = '${newer.id}'`;
    await db.prisma.$executeRawUnsafe(state);
    await db.close();

    await migrate(fresh.target);
    const after = openDatabase(fresh.target);
    try {
      expect(await after.prisma.currentResult.findMany({ select: { status: true, appearedAt: true, changedAt: true } })).toEqual([
        { status: 'FAILED', appearedAt: at(1), changedAt: at(11) },
      ]);
      // A newer run passes: the trigger keeps the failure it replaced, dated with the upload.
      const latest = await after.prisma.testRun.create({
        data: { projectId: 'pscm', milestoneId: m.id, name: 'r20', status: 'COMPLETED', startedAt: at(20) },
      });
      const deps = { db: after, now: () => at(21) };
      const passed = { key: 'checkout', title: 'checkout', suite: null, status: 'PASSED' as const, durationMs: null, message: null };
      await ingestResults(deps, {
        projectId: 'pscm',
        runId: latest.id,
        results: [{ ...passed, attempts: 1, flaky: false, critical: false }],
      });
      expect(await after.prisma.stateChange.findMany({ omit: { milestoneId: true, caseId: true } })).toEqual([
        {
          environment: 'default',
          changedAt: at(21),
          fromStatus: 'FAILED',
          fromFlaky: false,
          appearedAt: at(1),
          toStatus: 'PASSED',
          toFlaky: false,
        },
      ]);
      const changes = await loadTestChanges(after, m.id, at(15), { sample: 5 });
      expect(changes.newlyPassing.map((t) => [t.key, t.before, t.after])).toEqual([['checkout', 'FAILED', 'PASSED']]);
      // Before the pair appeared there was nothing to compare with: it counts as new, not as newly passing.
      const sinceStart = await loadTestChanges(after, m.id, at(0), { sample: 5 });
      expect(sinceStart.transitions).toEqual([
        { environment: 'default', before: null, after: { status: 'PASSED', flaky: false }, critical: false, n: 1 },
      ]);
    } finally {
      await after.close();
    }
  });
});
