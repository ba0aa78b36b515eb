// bench:readiness — a milestone with 1,000,000 results (20 runs × 50,000 cases,
// 3 environments, a scope over two suites, 1% of cases critical; BENCH_RUNS=200
// for 10,000,000): readiness through the HTTP API vs a raw count of the same
// current-state rows (one hand-written GROUP BY over CurrentResult, by the
// driver directly), side by side in the same run. Targets: readiness < 100 ms,
// ratio <= 2. No ANALYZE or VACUUM is run: the figures are those of a freshly
// loaded database.
// Results are seeded through the driver (fast); the milestone's current state
// is then built from them by the rebuild `shipgate doctor --repair` runs
// (rebuildMilestone), timed and printed. The last BENCH_SINCE_RUNS runs' results
// are then uploaded through the ingest service (ingestResults, as the API does),
// each dated at its run's time, so the state's past (StateChange) holds what they
// changed, as it would in production. BENCH_DERIVE=1 also times, once, the
// query readiness ran before the state was kept (deriveCurrentState).
// BENCH_QUARANTINES (default 50) non-critical cases are quarantined (SPEC §10), and as many
// more quarantines have expired, so readiness also finds the quarantined failures.
// Then the changes since a moment (SPEC §2 "Changes", `GET …/readiness?since=`), as
// since the last digest: each run's results are recorded at that run's own time,
// and `since` falls just before the last BENCH_SINCE_RUNS (default 1) runs, so
// their results (50,000 by default) were recorded after it. readiness and
// readiness?since= through the HTTP API alternate; the changes cost the paired
// difference. Target: changes <= 2 × readiness. The newly failing and newly
// passing counts (per environment) and the still failing count are checked
// against what the status pattern implies, so the bench cannot pass vacuously.
// BENCH_CHANGES=0 skips the changes. SQLite by default; DATABASE_URL=postgresql://… for PostgreSQL.
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
import { changedPairs, loadTestChanges } from '../src/db/test-changes-query.js';
import { ingestResults } from '../src/services/ingest-results.js';
import { timestamp } from '../src/db/bulk-results.js';
import { query } from '../src/db/raw-query.js';
import { id, median, scratchDatabase, time } from './scratch-database.js';

const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const ENVS = ['staging', 'production', 'qa'];
// Readiness and the raw count alternate, so both meet the same load on a shared machine.
const REPEAT = Number(process.env.BENCH_REPEAT ?? 11);
const QUARANTINES = Number(process.env.BENCH_QUARANTINES ?? 50);
const SINCE_RUNS = Number(process.env.BENCH_SINCE_RUNS ?? 1);
/** Case i's status in run r: 18 of 20 PASSED, then FAILED, then SKIPPED (the seed's pattern, below). */
const statusOf = (i: number, r: number): 'FAILED' | 'SKIPPED' | 'PASSED' =>
  (i + r) % 20 === 18 ? 'FAILED' : (i + r) % 20 === 19 ? 'SKIPPED' : 'PASSED';

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
  // Run i starts i minutes after the first, one a minute up to now; its results are
  // recorded, and it completes, 30 s after it started.
  const startedAt = (i: number) => new Date(now.getTime() - (RUNS - i) * 60_000);
  const recordedAt = (i: number) => new Date(startedAt(i).getTime() + 30_000);
  await scratch.insert(
    'TestRun',
    ['id', 'projectId', 'milestoneId', 'environmentId', 'name', 'status', 'source', 'startedAt', 'completedAt', 'createdAt', 'updatedAt'],
    runIds.map((r, i) => [
      r,
      project,
      milestone,
      envIds[i % ENVS.length],
      `run ${i}`,
      'COMPLETED',
      'CI',
      startedAt(i),
      recordedAt(i),
      startedAt(i),
      recordedAt(i),
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
  const stamp = (d: Date) => (pg ? d.toISOString().replace('T', ' ').replace('Z', '') : d.toISOString().replace('Z', '+00:00'));
  const firstAfter = RUNS - SINCE_RUNS;
  await scratch.exec(`DROP INDEX "TestResult_caseId_recordedAt_idx"`);
  for (let r = 0; r < firstAfter; r++)
    await scratch.run(seedRun, [`r${String(r).padStart(4, '0')}_`, runIds[r], r, stamp(recordedAt(r)), project]);
  await scratch.exec(`CREATE INDEX "TestResult_caseId_recordedAt_idx" ON "TestResult"("caseId", "recordedAt")`);
  console.log(
    `seeded ${(CASES * RUNS).toLocaleString('en-US')} results on ${scratch.target.provider} in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const logger = createLogger('silent');
  const db = openDatabase(scratch.target);
  const [rebuildMs] = await time(() =>
    db.prisma.$transaction((tx) => rebuildMilestone(tx, db.provider, milestone, now), { timeout: 60 * 60_000, maxWait: 60_000 }),
  );
  console.log(`current state built from the seeded results (rebuildMilestone, as doctor --repair): ${(rebuildMs / 1000).toFixed(1)} s`);
  for (let r = firstAfter; r < RUNS; r++) {
    const results = caseIds.map((_, i) => ({
      key: `suite${i % 100}::case${i}`,
      title: `case${i}`,
      suite: null,
      status: statusOf(i, r),
      durationMs: 10,
      message: null,
      attempts: 1,
      flaky: false,
      critical: i % 100 === 1,
    }));
    const [ingestMs] = await time(() =>
      ingestResults({ db, now: () => recordedAt(r) }, { projectId: project, runId: runIds[r]!, results }),
    );
    console.log(`run ${r}: ${CASES.toLocaleString('en-US')} results uploaded through ingestResults in ${(ingestMs / 1000).toFixed(1)} s`);
  }
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
  // BENCH_CHANGES=0: readiness alone, without the changes measured below.
  if (process.env.BENCH_CHANGES === '0') {
    server.close();
    await db.close();
    await scratch.close();
    process.exit(0);
  }

  // The changes since just before the last SINCE_RUNS runs: what the seed pattern implies.
  const since = startedAt(firstAfter);
  const expected = { newlyFailing: new Map<string, number>(), newlyPassing: new Map<string, number>(), failingNow: 0 };
  ENVS.forEach((env, e) => {
    const runsOf = Array.from({ length: RUNS }, (_, r) => r).filter((r) => r % ENVS.length === e);
    const after = runsOf.at(-1);
    const before = runsOf.filter((r) => r < firstAfter).at(-1);
    if (after === undefined) return;
    for (let i = 0; i < CASES; i++) if (statusOf(i, after) === 'FAILED') expected.failingNow++;
    if (after < firstAfter) return; // nothing recorded in this environment since
    let failing = 0;
    let passing = 0;
    for (let i = 0; i < CASES; i++) {
      const then = before === undefined ? null : statusOf(i, before);
      const nowStatus = statusOf(i, after);
      if (nowStatus === 'FAILED' && then !== 'FAILED') failing++;
      if (then === 'FAILED' && nowStatus === 'PASSED') passing++;
    }
    if (failing) expected.newlyFailing.set(env, failing);
    if (passing) expected.newlyPassing.set(env, passing);
  });
  type ChangedTests = { total: number; byEnvironment: { environment: string; total: number }[]; tests: unknown[] };
  const sinceUrl = `${url}?since=${encodeURIComponent(since.toISOString())}`;
  const viaApiSince = async () => {
    const res = await fetch(sinceUrl, { headers: { authorization: `Bearer ${key.key}` } });
    if (res.status !== 200) throw new Error(`readiness?since answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as {
      verdict: string;
      changes: {
        verdict: { before: string; after: string };
        tests: { newlyFailing: ChangedTests; newlyPassing: ChangedTests; stillFailing: number };
      };
    };
  };
  const [, warmSince] = await time(viaApiSince);
  const got = warmSince.changes.tests;
  const perEnv = (c: ChangedTests) => new Map(c.byEnvironment.map((x) => [x.environment, x.total]));
  const sameMap = (a: Map<string, number>, b: Map<string, number>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const expectedFailing = sum(expected.newlyFailing);
  const expectedPassing = sum(expected.newlyPassing);
  if (
    got.newlyFailing.total !== expectedFailing ||
    got.newlyPassing.total !== expectedPassing ||
    !sameMap(perEnv(got.newlyFailing), expected.newlyFailing) ||
    !sameMap(perEnv(got.newlyPassing), expected.newlyPassing) ||
    got.stillFailing !== expected.failingNow - expectedFailing ||
    expectedFailing === 0 ||
    got.newlyFailing.tests.length === 0
  ) {
    throw new Error(
      `the changes disagree with the seed: got ${JSON.stringify(got, (k, v: unknown) => (k === 'tests' ? (v as unknown[]).length : v))}, ` +
        `expected newly failing ${JSON.stringify([...expected.newlyFailing])}, newly passing ${JSON.stringify([...expected.newlyPassing])}, still failing ${expected.failingNow - expectedFailing}`,
    );
  }
  // BENCH_PROFILE=1: where the changes' time goes (each common table of the statement counted, the whole, its plan).
  if (process.env.BENCH_PROFILE) {
    const args = [milestone, timestamp(db.provider, since)];
    for (const part of ['firsts', 'pairs']) {
      const t: number[] = [];
      for (let i = 0; i < 3; i++) t.push((await time(() => query(db, `${changedPairs(db)} SELECT COUNT(*) AS n FROM ${part}`, args)))[0]);
      console.log(`profile: count over ${part}: ${t.map((x) => x.toFixed(0)).join(', ')} ms`);
    }
    const t: number[] = [];
    for (let i = 0; i < 3; i++) t.push((await time(() => loadTestChanges(db, milestone, since, { sample: 20 })))[0]);
    console.log(`profile: loadTestChanges: ${t.map((x) => x.toFixed(0)).join(', ')} ms`);
    if (db.provider === 'sqlite') {
      const plan = await query<{ detail: string }>(db, `EXPLAIN QUERY PLAN ${changedPairs(db)} SELECT COUNT(*) AS n FROM pairs`, args);
      console.log(plan.map((p) => p.detail).join('\n'));
    } else {
      const plan = await query<{ 'QUERY PLAN': string }>(db, `EXPLAIN ${changedPairs(db)} SELECT COUNT(*) AS n FROM pairs`, args);
      console.log(plan.map((p) => p['QUERY PLAN']).join('\n'));
    }
  }
  const loadBeforeChanges = loadavg()[0]!;
  const plainTimes: number[] = [];
  const sinceTimes: number[] = [];
  const diffs: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const [plain] = await time(viaApi);
    const [withSince] = await time(viaApiSince);
    plainTimes.push(plain);
    sinceTimes.push(withSince);
    diffs.push(withSince - plain);
  }
  const plainMs = median(plainTimes);
  const sinceMs = median(sinceTimes);
  const changesMs = median(diffs);
  const changesRatio = changesMs / plainMs;
  const recordedSince = SINCE_RUNS * CASES;
  console.log(
    `changes since ${since.toISOString()} (just before the last ${SINCE_RUNS} run(s): ${recordedSince.toLocaleString('en-US')} results recorded since, of ${(CASES * RUNS).toLocaleString('en-US')}): ` +
      `${got.newlyFailing.total} newly failing, ${got.newlyPassing.total} newly passing, ${got.stillFailing} still failing (as the seed implies); verdict ${warmSince.changes.verdict.before} -> ${warmSince.changes.verdict.after}`,
  );
  console.log(`readiness via HTTP API: median ${plainMs.toFixed(1)} ms  [${plainTimes.map((t) => t.toFixed(1)).join(', ')}]`);
  console.log(`readiness?since= via HTTP API: median ${sinceMs.toFixed(1)} ms  [${sinceTimes.map((t) => t.toFixed(1)).join(', ')}]`);
  console.log(
    `changes (readiness?since= minus readiness, paired): median ${changesMs.toFixed(1)} ms  [${diffs.map((t) => t.toFixed(1)).join(', ')}]`,
  );
  console.log(`ratio changes / readiness: ${changesRatio.toFixed(2)}`);
  console.log(
    `load average (1 min) before / after the changes measurements: ${loadBeforeChanges.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(`target changes <= 2 × readiness: ${changesRatio <= 2 ? 'PASS' : 'FAIL'}`);
  server.close();
  await db.close();
} finally {
  await scratch.close();
}
