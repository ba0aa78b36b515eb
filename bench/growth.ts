// bench:growth — what a day of results costs on disk, measured on a scaled-down
// day and printed per result, for docs/growth.md to extrapolate from. One project,
// one milestone, 3 environments, BENCH_CASES (5,000) cases, BENCH_RUNS (20) runs,
// each run's results stored by the production path (storeResults: TestCase,
// TestResult, CurrentResult and what is kept with it, in one transaction per
// upload). Then the size of
// each table and its indexes (PostgreSQL: pg_relation_size per relation after a
// VACUUM so dead tuples are not counted as data; SQLite: the dbstat table).
// SQLite by default; DATABASE_URL=postgresql://… for PostgreSQL.
import { openDatabase } from '../src/db/open-database.js';
import { openTestRun } from '../src/services/open-test-run.js';
import { storeResults, type ResultRow } from '../src/services/ingest-results.js';
import { seedMilestone, seedProject, TEST_OPERATOR } from '../test/helpers/factories.js';
import { scratchDatabase } from './scratch-database.js';

const CASES = Number(process.env.BENCH_CASES ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const ENVS = ['staging', 'production', 'qa'];
const TABLES = ['TestResult', 'CurrentResult', 'StateChange', 'FlakyCase', 'TestCase', 'TestRun'];

const scratch = await scratchDatabase('growth');
try {
  const db = openDatabase(scratch.target);
  const deps = { db, now: () => new Date() };
  const { project } = await seedProject(deps, 'GROW', { teamId: 'TGROW' });
  const milestone = await seedMilestone(deps, project.id, 'big');
  const started = Date.now();
  for (let r = 0; r < RUNS; r++) {
    const { run } = await openTestRun(deps, {
      projectId: project.id,
      name: `run ${r}`,
      milestoneId: milestone.id,
      environment: ENVS[r % ENVS.length],
      source: 'CI',
      actor: TEST_OPERATOR,
    });
    const rows: ResultRow[] = Array.from({ length: CASES }, (_, i) => ({
      key: `suite${i % 100}::case${i}`,
      title: `case ${i} of suite ${i % 100}`,
      suite: `suite${i % 100}`,
      status: (i + r) % 20 === 0 ? 'FAILED' : (i + r) % 20 === 1 ? 'SKIPPED' : 'PASSED',
      durationMs: 10 + (i % 500),
      message: (i + r) % 20 === 0 ? `expected 200, got 500 (case ${i})` : null,
      attempts: 1,
      flaky: false,
      critical: i % 100 === 1,
    }));
    const batches: ResultRow[][] = [];
    for (let i = 0; i < rows.length; i += 5000) batches.push(rows.slice(i, i + 5000));
    await storeResults(deps, { projectId: project.id, runId: run.id, now: new Date(), batches });
  }
  const results = CASES * RUNS;
  console.log(
    `database: ${db.provider}; stored ${results.toLocaleString('en-US')} results (${RUNS} runs × ${CASES.toLocaleString('en-US')} cases, ${ENVS.length} environments) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  await db.close();

  const sizes = new Map<string, { table: number; indexes: number; rows: number }>();
  for (const table of TABLES) {
    const rows = Number((await scratch.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "${table}"`))[0]!.n);
    if (scratch.target.provider === 'postgresql') {
      await scratch.exec(`VACUUM "${table}"`);
      const [s] = await scratch.query<{ t: string; i: string }>(
        `SELECT pg_table_size('"${table}"') AS t, pg_indexes_size('"${table}"') AS i`,
      );
      sizes.set(table, { table: Number(s!.t), indexes: Number(s!.i), rows });
    } else {
      const parts = await scratch.query<{ name: string; bytes: number }>(
        `SELECT d.name AS name, SUM(d.pgsize) AS bytes FROM dbstat d
          WHERE d.name = ? OR d.name IN (SELECT m.name FROM sqlite_master m WHERE m.type = 'index' AND m.tbl_name = ?)
          GROUP BY d.name`,
        [table, table],
      );
      const tableBytes = parts.find((p) => p.name === table)?.bytes ?? 0;
      const indexBytes = parts.filter((p) => p.name !== table).reduce((a, p) => a + p.bytes, 0);
      sizes.set(table, { table: tableBytes, indexes: indexBytes, rows });
    }
  }
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  for (const [table, s] of sizes) {
    const per = s.rows ? ((s.table + s.indexes) / s.rows).toFixed(0) : '-';
    console.log(
      `${table.padEnd(14)} rows ${s.rows.toLocaleString('en-US').padStart(10)}  table ${mb(s.table).padStart(7)} MB  indexes ${mb(s.indexes).padStart(7)} MB  ${per} bytes/row`,
    );
  }
  const history = sizes.get('TestResult')!;
  console.log(`history per result (table + indexes): ${((history.table + history.indexes) / results).toFixed(0)} bytes`);
} finally {
  await scratch.close();
}
