// `shipgate doctor`: recomputes each milestone's current state from its result
// history and its scope's cases from the scope, reports where the kept rows
// (CurrentResult, ScopeCase) drifted from them, and with --repair rebuilds
// them. Runs the built binary against a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';
import { describeTarget } from '../../src/db/database-url.js';
import { resultRow, seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { deriveCurrentState, readCurrentState, type StateRow } from '../../src/db/derive-current-state.js';
import { readScopeCases } from '../../src/services/check-current-state.js';

const sorted = (rows: StateRow[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('shipgate doctor', () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  let broken: string;
  let healthy: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    env = { DATABASE_URL: t.url };
    const { project } = await seedProject(t, 'DOC');
    broken = (await seedMilestone(t, project.id, '2.4')).id;
    healthy = (await seedMilestone(t, project.id, '2.5')).id;
    for (const milestoneId of [broken, healthy]) {
      await seedRun(t, { projectId: project.id, milestoneId, environment: 'staging', results: [resultRow('a'), resultRow('b', 'FAILED')] });
      await seedRun(t, { projectId: project.id, milestoneId, results: [resultRow('a', 'SKIPPED'), resultRow('c')] });
    }
  });
  afterAll(async () => t.cleanup());

  it('explains itself with --help', async () => {
    const result = await runCli(['doctor', '--help'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--project <KEY>/);
    expect(result.stdout).toMatch(/--milestone <name>/);
    expect(result.stdout).toMatch(/--repair/);
  });

  it('finds nothing to report when the kept state agrees with history', async () => {
    const result = await runCli(['doctor'], env);
    expect(result.stderr).toBe(`Using database: ${describeTarget(t.target)}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Checked 2 milestones: the current state of every one agrees with its result history\./);
  });

  it('reports drift (exit 1) without changing anything, then --repair rebuilds it', async () => {
    // A changed row, a missing row and an extra row.
    const kept = await t.prisma.currentResult.findMany({ where: { milestoneId: broken }, orderBy: { caseId: 'asc' } });
    await t.prisma.currentResult.update({
      where: { milestoneId_caseId_environment: { milestoneId: broken, caseId: kept[0]!.caseId, environment: kept[0]!.environment } },
      data: { status: 'BLOCKED' },
    });
    await t.prisma.currentResult.delete({
      where: { milestoneId_caseId_environment: { milestoneId: broken, caseId: kept[1]!.caseId, environment: kept[1]!.environment } },
    });
    await t.prisma.currentResult.create({ data: { ...kept[2]!, environment: 'nowhere' } });
    const drifted = sorted(await readCurrentState(t.db, broken));

    const report = await runCli(['doctor', '--project', 'DOC'], env);
    expect(report.code, report.stderr).toBe(1);
    expect(report.stdout).toMatch(
      /DOC \/ 2\.4: 3 of \d+ rows differ from the result history \(1 missing, 1 extra, 1 with another result\)/,
    );
    expect(report.stdout).not.toMatch(/DOC \/ 2\.5:/);
    expect(report.stdout).toMatch(/Run again with --repair/);
    expect(sorted(await readCurrentState(t.db, broken))).toEqual(drifted);

    const one = await runCli(['doctor', '--project', 'DOC', '--milestone', '2.5'], env);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/Checked 1 milestone:/);

    const repair = await runCli(['doctor', '--project', 'DOC', '--milestone', '2.4', '--repair'], env);
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stdout).toMatch(/DOC \/ 2\.4: 3 of \d+ rows differ .*: repaired/);
    expect(sorted(await readCurrentState(t.db, broken))).toEqual(sorted(await deriveCurrentState(t.db, broken)));

    const after = await runCli(['doctor'], env);
    expect(after.code).toBe(0);
  });

  it("reports a scope's kept cases that drifted from the scope (exit 1), and --repair rebuilds them", async () => {
    const project = await t.prisma.project.findFirstOrThrow({ where: { key: 'DOC' } });
    const scoped = await seedMilestone(t, project.id, '2.6', { scope: ['a', 'b', 'c'] });
    await seedRun(t, { projectId: project.id, milestoneId: scoped.id, results: [resultRow('a'), resultRow('b', 'SKIPPED')] });
    const cases = new Map((await t.prisma.testCase.findMany({ where: { projectId: project.id } })).map((c) => [c.key, c.id]));
    const healthyRows = (await readScopeCases(t, scoped.id)).map((r) => JSON.stringify(r)).sort();
    expect(healthyRows).toHaveLength(3);
    // One case left out, one wrongly uncovered, one that the scope does not name.
    await t.prisma.scopeCase.delete({ where: { milestoneId_caseId: { milestoneId: scoped.id, caseId: cases.get('c')! } } });
    await t.prisma.scopeCase.update({
      where: { milestoneId_caseId: { milestoneId: scoped.id, caseId: cases.get('a')! } },
      data: { covered: false },
    });
    await t.prisma.testCase.create({ data: { projectId: project.id, key: 'd', title: 'd' } });
    const d = await t.prisma.testCase.findFirstOrThrow({ where: { projectId: project.id, key: 'd' } });
    await t.prisma.scopeCase.create({ data: { milestoneId: scoped.id, caseId: d.id, key: 'd', covered: false } });

    const report = await runCli(['doctor', '--project', 'DOC', '--milestone', '2.6'], env);
    expect(report.code, report.stderr).toBe(1);
    expect(report.stdout).toMatch(
      /DOC \/ 2\.6: 3 of 3 scope cases differ from the scope and the result history \(1 missing, 1 extra, 1 with another coverage\)\n/,
    );
    expect(report.stdout).not.toMatch(/rows differ from the result history/);

    const repair = await runCli(['doctor', '--project', 'DOC', '--milestone', '2.6', '--repair'], env);
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stdout).toMatch(/DOC \/ 2\.6: 3 of 3 scope cases differ .*: repaired/);
    expect((await readScopeCases(t, scoped.id)).map((r) => JSON.stringify(r)).sort()).toEqual(healthyRows);
    expect((await runCli(['doctor', '--project', 'DOC'], env)).code).toBe(0);
  });

  it('reports flaky tests that drifted from the result history (exit 1), and --repair rebuilds them', async () => {
    const project = await t.prisma.project.findFirstOrThrow({ where: { key: 'DOC' } });
    const m = await seedMilestone(t, project.id, '2.7');
    // Case f passes, fails, passes: two flips in three results, flaky; case g passes steadily.
    for (const [i, status] of (['PASSED', 'FAILED', 'PASSED'] as const).entries()) {
      await seedRun(t, {
        projectId: project.id,
        milestoneId: m.id,
        name: `run ${i}`,
        startedAt: new Date(Date.UTC(2030, 0, 1, 10, i)),
        results: [resultRow('f', status), resultRow('g')],
      });
    }
    const kept = await t.prisma.flakyCase.findMany({ where: { milestoneId: m.id } });
    expect(kept.map((k) => [k.results, k.flips, k.flipRate])).toEqual([[3, 2, 1]]);
    await t.prisma.flakyCase.deleteMany({ where: { milestoneId: m.id } });

    const report = await runCli(['doctor', '--project', 'DOC', '--milestone', '2.7'], env);
    expect(report.code, report.stderr).toBe(1);
    expect(report.stdout).toMatch(
      /DOC \/ 2\.7: 1 of 1 flaky tests differ from the result history \(1 missing, 0 extra, 0 with other counts\)\n/,
    );
    expect(await t.prisma.flakyCase.count({ where: { milestoneId: m.id } })).toBe(0);

    const repair = await runCli(['doctor', '--project', 'DOC', '--milestone', '2.7', '--repair'], env);
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stdout).toMatch(/DOC \/ 2\.7: 1 of 1 flaky tests differ .*: repaired/);
    expect(await t.prisma.flakyCase.findMany({ where: { milestoneId: m.id } })).toEqual(kept);
  });

  it('refuses a milestone without a project, and an unknown project, as usage errors (exit 2; 1 is drift)', async () => {
    const noProject = await runCli(['doctor', '--milestone', '2.4'], env);
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toMatch(/--milestone needs --project/);
    const unknown = await runCli(['doctor', '--project', 'NOPE'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no project NOPE/);
  });
});
