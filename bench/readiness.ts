// bench:readiness — a milestone with 1,000,000 results (20 runs × 50,000 cases,
// 3 environments, a scope over two suites, 1% of cases critical; BENCH_RUNS=200
// for 10,000,000): readiness through the HTTP API vs a raw count of the same
// current-state rows (one hand-written GROUP BY over CurrentResult, by the
// driver directly), side by side in the same run. Targets: readiness < 100 ms,
// ratio <= 2. No ANALYZE or VACUUM is run: the figures are those of a freshly
// loaded database.
// Results are seeded through the driver (fast); the milestone's current state
// is then built from them by the rebuild `shipgate doctor --repair` runs
// (rebuildMilestone), timed and printed. BENCH_DERIVE=1 also times, once, the
// query readiness ran before the state was kept (deriveCurrentState).
// BENCH_QUARANTINES (default 50) non-critical cases are quarantined (SPEC §10), and as many
// more quarantines have expired, so readiness also finds the quarantined failures.
// SQLite by default; DATABASE_URL=postgresql://… for PostgreSQL.
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { loadConfig } from '../src/config.js';
import { createHttpApp, finishHttpApp } from '../src/http/create-http-app.js';
import { mountApi } from '../src/api/mount-api.js';
import { createLogger } from '../src/logger.js';
import { LogNotifier } from '../src/notify/notifier.js';
import { openDatabase } from '../src/db/open-database.js';
import { createApiKey } from '../src/services/create-api-key.js';
import { rebuildMilestone } from '../src/db/current-state.js';
import { deriveCurrentState } from '../src/db/derive-current-state.js';
import { loadQuarantinedFailures } from '../src/db/quarantined-failures.js';
import { id, median, scratchDatabase, time } from './scratch-database.js';

const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const ENVS = ['staging', 'production', 'qa'];
// Readiness and the raw count alternate, so both meet the same load on a shared machine.
const REPEAT = Number(process.env.BENCH_REPEAT ?? 11);
const QUARANTINES = Number(process.env.BENCH_QUARANTINES ?? 50);

const scratch = await scratchDatabase('readiness');
try {
  const now = new Date();
  const ws = id();
  const project = id();
  const milestone = id();
  await scratch.insert('Workspace', ['id', 'slackTeamId', 'createdAt', 'updatedAt'], [[ws, 'TBENCH', now, now]]);
  await scratch.insert(
    'Project',
    ['id', 'workspaceId', 'key', 'name', 'createdAt', 'updatedAt'],
    [[project, ws, 'BENCH', 'Bench', now, now]],
  );
  // The scope and the critical cases make the API do all of its work, not only the counts.
  const scope = JSON.stringify(['suite1::*', 'suite2*', 'suite3::case3']);
  await scratch.insert(
    'Milestone',
    ['id', 'projectId', 'name', 'nameKey', 'status', 'scope', 'createdAt', 'updatedAt'],
    [[milestone, project, 'big', 'big', 'ACTIVE', scope, now, now]],
  );
  const envIds = ENVS.map(() => id());
  await scratch.insert(
    'Environment',
    ['id', 'projectId', 'name', 'createdAt'],
    ENVS.map((name, i) => [envIds[i], project, name, now]),
  );
  const runIds = Array.from({ length: RUNS }, () => id());
  await scratch.insert(
    'TestRun',
    ['id', 'projectId', 'milestoneId', 'environmentId', 'name', 'status', 'source', 'startedAt', 'createdAt', 'updatedAt'],
    runIds.map((r, i) => [
      r,
      project,
      milestone,
      envIds[i % ENVS.length],
      `run ${i}`,
      'COMPLETED',
      'CI',
      new Date(now.getTime() - (RUNS - i) * 60_000),
      now,
      now,
    ]),
  );
  const caseIds = Array.from({ length: CASES }, () => id());
  await scratch.insert(
    'TestCase',
    ['id', 'projectId', 'key', 'title', 'critical', 'createdAt', 'updatedAt'],
    caseIds.map((c, i) => [c, project, `suite${i % 100}::case${i}`, `case${i}`, i % 100 === 1, now, now]),
  );
  // Cases 2, 4, 6, … (never critical: those are 1, 101, …): the first half in force, the rest expired.
  if (QUARANTINES > 0) {
    await scratch.insert(
      'Quarantine',
      ['id', 'projectId', 'caseId', 'reason', 'until', 'createdBy', 'createdAt'],
      Array.from({ length: QUARANTINES * 2 }, (_, i) => [
        id(),
        project,
        caseIds[2 + 2 * i],
        'bench',
        new Date(now.getTime() + (i < QUARANTINES ? 1 : -1) * 86_400_000),
        'cli',
        now,
      ]),
    );
  }
  const seedStart = Date.now();
  // Each run's results in one INSERT … SELECT over the project's cases, through the
  // driver (10,000,000 rows bound one by one took too long to seed): case i gets
  // statuses[(i + run) % 20], 18 of 20 PASSED, then FAILED, then SKIPPED. Ids rise
  // in insertion order, and the index on (caseId, recordedAt), which every row would
  // otherwise enter at a random place, is dropped for the load and created again
  // after it, as bulk loads do: the schema at the end is the migrated one.
  const pg = scratch.target.provider === 'postgresql';
  const caseIndex = `CAST(substr(c."title", 5) AS INTEGER)`;
  const seedRun = pg
    ? `INSERT INTO "TestResult" ("id", "runId", "caseId", "status", "attempts", "flaky", "durationMs", "recordedAt")
       SELECT $1 || c."id", $2, c."id", (CASE (${caseIndex} + $3) % 20 WHEN 18 THEN 'FAILED' WHEN 19 THEN 'SKIPPED' ELSE 'PASSED' END)::"ResultStatus",
              1, false, 10, $4::timestamp(3) FROM "TestCase" c WHERE c."projectId" = $5 ORDER BY c."id"`
    : `INSERT INTO "TestResult" ("id", "runId", "caseId", "status", "attempts", "flaky", "durationMs", "recordedAt")
       SELECT ? || c."id", ?, c."id", CASE (${caseIndex} + ?) % 20 WHEN 18 THEN 'FAILED' WHEN 19 THEN 'SKIPPED' ELSE 'PASSED' END,
              1, 0, 10, ? FROM "TestCase" c WHERE c."projectId" = ? ORDER BY c."id"`;
  const recordedAt = pg ? now.toISOString().replace('T', ' ').replace('Z', '') : now.toISOString().replace('Z', '+00:00');
  await scratch.exec(`DROP INDEX "TestResult_caseId_recordedAt_idx"`);
  for (let r = 0; r < RUNS; r++) await scratch.run(seedRun, [`r${String(r).padStart(4, '0')}_`, runIds[r], r, recordedAt, project]);
  await scratch.exec(`CREATE INDEX "TestResult_caseId_recordedAt_idx" ON "TestResult"("caseId", "recordedAt")`);
  console.log(
    `seeded ${(CASES * RUNS).toLocaleString('en-US')} results on ${scratch.target.provider} in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const logger = createLogger('silent');
  const db = openDatabase(scratch.target);
  const [rebuildMs] = await time(() =>
    db.prisma.$transaction((tx) => rebuildMilestone(tx, db.provider, milestone), { timeout: 60 * 60_000, maxWait: 60_000 }),
  );
  console.log(`current state built from the seeded results (rebuildMilestone, as doctor --repair): ${(rebuildMs / 1000).toFixed(1)} s`);
  if (process.env.BENCH_DERIVE) {
    const [deriveMs, derived] = await time(() => deriveCurrentState(db, milestone));
    console.log(`the old derivation from history (deriveCurrentState), once: ${deriveMs.toFixed(0)} ms for ${derived.length} rows`);
  }
  const key = await createApiKey({ db, now: () => new Date() }, { workspaceId: ws, projectKey: 'BENCH' });
  const deps = { config: loadConfig({}), logger, db, notifier: new LogNotifier(logger), now: () => new Date(), jiraCheck: null };
  const app = createHttpApp({ logger, checkDatabase: () => db.ping() });
  mountApi(app, deps);
  finishHttpApp(app, logger);
  const server = app.listen(0, '127.0.0.1');
  // As in production (start-http-server.ts). With Node's 5 s default, the idle
  // connection could close just as the next request goes out on it, because the
  // synchronous baseline query blocks this process's event loop in between.
  server.keepAliveTimeout = 65_000;
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/projects/BENCH/milestones/big/readiness`;
  const viaApi = async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${key.key}` } });
    if (res.status !== 200) throw new Error(`readiness answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as {
      verdict: string;
      reasons: { code: string }[];
      metrics: { passed: number; failed: number; quarantined: number; executed: number; inScope: number; covered: number };
    };
  };
  // The baseline: a raw count of the same current-state rows, by status.
  const p = (i: number) => (scratch.target.provider === 'postgresql' ? `$${i}` : '?');
  const baselineSql = `SELECT "status" AS status, COUNT(*) AS n FROM "CurrentResult" WHERE "milestoneId" = ${p(1)} GROUP BY "status"`;
  const baseline = () => scratch.query<{ status: string; n: number | string }>(baselineSql, [milestone]);

  const loadBefore = loadavg()[0]!;
  const [, warm] = await time(viaApi);
  const [, warmBase] = await time(baseline);
  const apiTimes: number[] = [];
  const baseTimes: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    apiTimes.push((await time(viaApi))[0]);
    baseTimes.push((await time(baseline))[0]);
  }
  const count = (s: string) => Number(warmBase.find((r) => r.status === s)?.n ?? 0);
  // Quarantined failures are current failures too; the verdict only leaves them out.
  if (count('PASSED') !== warm.metrics.passed || count('FAILED') !== warm.metrics.failed + warm.metrics.quarantined) {
    throw new Error(`the API and the baseline disagree: API ${JSON.stringify(warm.metrics)} vs SQL ${JSON.stringify(warmBase)}`);
  }
  // The quarantine fact alone (one of readiness's parallel reads), against the same baseline.
  const quarantineTimes: number[] = [];
  for (let i = 0; i < REPEAT; i++) quarantineTimes.push((await time(() => loadQuarantinedFailures(db, milestone, new Date())))[0]);
  const apiMs = median(apiTimes);
  const baseMs = median(baseTimes);
  const ratio = apiMs / baseMs;
  console.log(
    `database: ${scratch.target.provider}; results: ${(CASES * RUNS).toLocaleString('en-US')} (${RUNS} runs × ${CASES.toLocaleString('en-US')} cases, ${ENVS.length} environments)`,
  );
  console.log(
    `verdict ${warm.verdict} (${warm.reasons.map((r) => r.code).join(', ')}); current state: ${warm.metrics.passed} passed, ${warm.metrics.failed} failed, ${warm.metrics.quarantined} quarantined failures left out (of ${QUARANTINES} quarantines in force), ${warm.metrics.executed} executed (the raw count agrees); scope ${warm.metrics.covered}/${warm.metrics.inScope} covered`,
  );
  console.log(`readiness via HTTP API: median ${apiMs.toFixed(1)} ms  [${apiTimes.map((t) => t.toFixed(1)).join(', ')}]`);
  console.log(`raw count of the current-state rows: median ${baseMs.toFixed(1)} ms  [${baseTimes.map((t) => t.toFixed(1)).join(', ')}]`);
  console.log(`ratio API / baseline: ${ratio.toFixed(2)}`);
  console.log(
    `quarantined failures alone (loadQuarantinedFailures): median ${median(quarantineTimes).toFixed(1)} ms  [${quarantineTimes.map((t) => t.toFixed(1)).join(', ')}]`,
  );
  // The machine's 1-minute load average around the measurements: the figures are only as quiet as it was.
  console.log(`load average (1 min) before / after the measurements: ${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`);
  console.log(`target < 100 ms: ${apiMs < 100 ? 'PASS' : 'FAIL'}; target ratio <= 2: ${ratio <= 2 ? 'PASS' : 'FAIL'}`);
  server.close();
  await db.close();
} finally {
  await scratch.close();
}
