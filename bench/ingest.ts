// bench:ingest — a 100,000-case JUnit file uploaded through the running server
// (a child process, fresh database) vs two baselines measured in the same run,
// both by the same driver into a fresh database of the same provider:
//   - bare: the same rows bulk-inserted into Shipgate's own schema (TestCase and
//     TestResult, with their keys, indexes and foreign keys);
//   - lean floor: the same rows bulk-inserted into a one-table schema (key,
//     title, suite, status, durationMs, message; no keys, no indexes).
// Reports wall times, both ratios and the server's peak RSS (VmHWM).
// SQLite by default; DATABASE_URL=postgresql://… for PostgreSQL. BENCH_SCOPE=<pattern>
// (e.g. '*') gives the milestone that scope first, so the upload also keeps the
// scope's cases (ScopeCase) up to date. BENCH_SECOND_UPLOAD=1 then uploads the
// same file into a second run of the milestone and prints its time: the steady
// state, where every case has a current result to compare with.
// Targets: ratio to the bare insert <= 3, peak server RSS < 300 MB; the ratio to
// the lean floor has no target: it shows what our schema and the server cost.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/open-database.js';
import { seedProjectWithApiKey } from '../test/helpers/factories.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { row, writeReport } from './junit-report.js';
import { id, peakRssMb, scratchDatabase, time } from './scratch-database.js';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);

const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-ingest-'));
const file = join(dir, 'junit-100k.xml');
try {
  await writeReport(file, CASES);
  const bytes = statSync(file).size;
  console.log(`generated ${CASES.toLocaleString('en-US')} cases, ${(bytes / 1024 / 1024).toFixed(1)} MB of JUnit XML`);

  // --- Through the server ---
  const apiDb = await scratchDatabase('ingest_api');
  let apiMs: number;
  let rssMb: number;
  let counts: { total: number; passed: number; failed: number; skipped: number };
  try {
    const db = openDatabase(apiDb.target);
    const { apiKey: key } = await seedProjectWithApiKey({ db, now: () => new Date() }, 'BENCH', { teamId: 'TBENCH', name: 'Bench' });
    await db.close();

    const server = await startServerProcess({
      DATABASE_URL: apiDb.target.url,
      SCHEDULES: 'off',
      MAX_JUNIT_BYTES: String(Math.max(bytes * 2, 200 * 1024 * 1024)),
      // To try heap settings on the server alone, e.g. BENCH_SERVER_NODE_OPTIONS=--max-old-space-size=128.
      ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
    });
    try {
      const headers = { authorization: `Bearer ${key}` };
      if (process.env.BENCH_SCOPE) {
        const created = await fetch(`${server.url}/api/projects/BENCH/milestones`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'bench', scope: { include: [process.env.BENCH_SCOPE] } }),
        });
        if (created.status !== 201) throw new Error(`creating the milestone answered ${created.status}: ${await created.text()}`);
        console.log(`milestone scope: ${process.env.BENCH_SCOPE}`);
      }
      const upload = async (name: string) => {
        const runRes = await fetch(`${server.url}/api/projects/BENCH/test-runs`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ name, milestone: 'bench', createMilestone: true, environment: 'ci' }),
        });
        if (runRes.status !== 201) throw new Error(`opening the run answered ${runRes.status}: ${await runRes.text()}`);
        const run = (await runRes.json()) as { id: string };
        const [ms, res] = await time(() =>
          fetch(`${server.url}/api/projects/BENCH/test-runs/${run.id}/junit`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/xml' },
            body: createReadStream(file),
            duplex: 'half',
          }),
        );
        const body = (await res.json()) as { counts: typeof counts; error?: unknown };
        if (res.status !== 200) throw new Error(`the upload answered ${res.status}: ${JSON.stringify(body)}`);
        return { ms, counts: body.counts };
      };
      const first = await upload('bench');
      apiMs = first.ms;
      counts = first.counts;
      if (process.env.BENCH_SECOND_UPLOAD) {
        // The same file into a second run of the milestone: every case now has a current result to compare with.
        const second = await upload('bench 2');
        console.log(`second upload into the same milestone (a current result for every case): ${(second.ms / 1000).toFixed(2)} s`);
      }
      rssMb = peakRssMb(server.child.pid!);
      const stored = await apiDb.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "TestResult"`);
      const uploads = process.env.BENCH_SECOND_UPLOAD ? 2 : 1;
      if (Number(stored[0]!.n) !== CASES * uploads || counts.total !== CASES)
        throw new Error(`stored ${stored[0]!.n} results, counted ${counts.total}; expected ${CASES}`);
    } finally {
      await server.stop();
    }
  } finally {
    await apiDb.close();
  }

  // --- Bare bulk insert of the same rows, same provider, same driver ---
  const bare = await scratchDatabase('ingest_bare');
  let bareMs: number;
  try {
    const now = new Date();
    const ws = id();
    const project = id();
    const runId = id();
    await bare.insert('Workspace', ['id', 'slackTeamId', 'createdAt', 'updatedAt'], [[ws, 'TBENCH', now, now]]);
    await bare.insert(
      'Project',
      ['id', 'workspaceId', 'key', 'name', 'createdAt', 'updatedAt'],
      [[project, ws, 'BENCH', 'Bench', now, now]],
    );
    await bare.insert(
      'TestRun',
      ['id', 'projectId', 'name', 'status', 'source', 'startedAt', 'createdAt', 'updatedAt'],
      [[runId, project, 'bench', 'IN_PROGRESS', 'CI', now, now, now]],
    );
    const rows = Array.from({ length: CASES }, (_, i) => row(i));
    [bareMs] = await time(async () => {
      const caseIds = rows.map(() => id());
      await bare.insert(
        'TestCase',
        ['id', 'projectId', 'key', 'title', 'suite', 'critical', 'createdAt', 'updatedAt'],
        rows.map((r, i) => [caseIds[i], project, r.key, r.title, r.suite, false, now, now]),
      );
      await bare.insert(
        'TestResult',
        ['id', 'runId', 'caseId', 'status', 'attempts', 'flaky', 'durationMs', 'message', 'recordedAt'],
        rows.map((r, i) => [id(), runId, caseIds[i], r.status, 1, false, r.durationMs, r.message, now]),
      );
    });
  } finally {
    await bare.close();
  }

  // --- Lean floor: the same rows into a one-table schema, same provider, same driver ---
  const lean = await scratchDatabase('ingest_lean', { migrated: false });
  let leanMs: number;
  try {
    await lean.exec(
      `CREATE TABLE "LeanResult" ("key" TEXT NOT NULL, "title" TEXT NOT NULL, "suite" TEXT, "status" TEXT NOT NULL, "durationMs" INTEGER, "message" TEXT)`,
    );
    const rows = Array.from({ length: CASES }, (_, i) => row(i));
    [leanMs] = await time(() =>
      lean.insert(
        'LeanResult',
        ['key', 'title', 'suite', 'status', 'durationMs', 'message'],
        rows.map((r) => [r.key, r.title, r.suite, r.status, r.durationMs, r.message]),
      ),
    );
    const stored = await lean.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "LeanResult"`);
    if (Number(stored[0]!.n) !== CASES) throw new Error(`the lean floor stored ${stored[0]!.n} rows; expected ${CASES}`);
  } finally {
    await lean.close();
  }

  const ratio = apiMs / bareMs;
  const leanRatio = apiMs / leanMs;
  const provider = process.env.DATABASE_URL?.startsWith('postgres') ? 'postgresql' : 'sqlite';
  console.log(
    `database: ${provider}; ${counts.total.toLocaleString('en-US')} results stored (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)`,
  );
  console.log(`upload through the HTTP API (stream, parse, store): ${(apiMs / 1000).toFixed(2)} s`);
  console.log(`bare bulk insert of the same ${CASES.toLocaleString('en-US')} cases + results: ${(bareMs / 1000).toFixed(2)} s`);
  console.log(
    `lean floor, the same ${CASES.toLocaleString('en-US')} rows into one table (no keys, no indexes): ${(leanMs / 1000).toFixed(2)} s`,
  );
  console.log(`ratio API / bare: ${ratio.toFixed(2)}`);
  console.log(`ratio API / lean floor: ${leanRatio.toFixed(2)} (no target; bare / lean floor: ${(bareMs / leanMs).toFixed(2)})`);
  console.log(`server peak RSS (VmHWM): ${rssMb.toFixed(0)} MB`);
  const ok = ratio <= 3 && rssMb < 300;
  console.log(`target ratio <= 3: ${ratio <= 3 ? 'PASS' : 'FAIL'}; target peak RSS < 300 MB: ${rssMb < 300 ? 'PASS' : 'FAIL'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
