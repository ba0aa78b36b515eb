// Stores test results for a run, a batch whole or not at all. Cases are upserted
// by key; one result per (run, case), replaced when re-posted, and re-posting
// identical results changes nothing (rows that did not change are left alone).
// Work is done in chunks with set-based queries, never row by row.
import { AppError } from '../domain/errors.js';
import type { Database, Prisma } from '../db/open-database.js';

export interface ResultRow {
  key: string;
  title: string;
  suite: string | null;
  status: 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';
  durationMs: number | null;
  message: string | null;
  attempts: number;
  flaky: boolean;
  critical: boolean;
}

export interface IngestCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  blocked: number;
  flaky: number;
  critical: number;
  casesCreated: number;
  resultsChanged: number;
}

type Tx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];
const CHUNK = 500;
// Long uploads run in one transaction so a file is stored whole or not at all.
export const INGEST_TRANSACTION = { timeout: 15 * 60_000, maxWait: 60_000 };

/** Checks the run may take results; returns it. */
export async function runForIngest(prisma: Prisma, projectId: string, runId: string) {
  const run = await prisma.testRun.findFirst({ where: { id: runId, projectId } });
  if (!run) throw new AppError('NOT_FOUND', `No test run ${runId} in this project. Open one with POST /api/projects/{projectId}/test-runs.`);
  if (run.status === 'ABORTED') {
    throw new AppError('CONFLICT', `Test run ${run.name} was aborted; its results no longer count. Open a new run for these results.`);
  }
  return run;
}

export function emptyCounts(): IngestCounts {
  return { total: 0, passed: 0, failed: 0, skipped: 0, blocked: 0, flaky: 0, critical: 0, casesCreated: 0, resultsChanged: 0 };
}

/** Writes results inside a transaction; call write() per batch, in order. */
export function resultWriter(tx: Tx, projectId: string, runId: string, counts = emptyCounts()) {
  return {
    counts,
    async write(rows: ResultRow[]) {
      // Within one upload the later result for a key wins.
      const byKey = new Map<string, ResultRow>();
      for (const r of rows) byKey.set(r.key, r);
      const unique = [...byKey.values()];
      for (let i = 0; i < unique.length; i += CHUNK) await writeChunk(tx, projectId, runId, unique.slice(i, i + CHUNK), counts);
      for (const r of rows) {
        counts.total++;
        counts[r.status.toLowerCase() as 'passed' | 'failed' | 'skipped' | 'blocked']++;
        if (r.flaky) counts.flaky++;
        if (r.critical) counts.critical++;
      }
    },
  };
}

async function writeChunk(tx: Tx, projectId: string, runId: string, rows: ResultRow[], counts: IngestCounts) {
  const keys = rows.map((r) => r.key);
  const existing = await tx.testCase.findMany({ where: { projectId, key: { in: keys } }, select: { id: true, key: true, critical: true } });
  const caseByKey = new Map(existing.map((c) => [c.key, c]));
  const missing = rows.filter((r) => !caseByKey.has(r.key));
  if (missing.length) {
    await tx.testCase.createMany({
      data: missing.map((r) => ({ projectId, key: r.key, title: r.title, suite: r.suite, critical: r.critical })),
    });
    counts.casesCreated += missing.length;
    const created = await tx.testCase.findMany({ where: { projectId, key: { in: missing.map((r) => r.key) } }, select: { id: true, key: true, critical: true } });
    for (const c of created) caseByKey.set(c.key, c);
  }
  const nowCritical = rows.filter((r) => r.critical && caseByKey.get(r.key)?.critical === false).map((r) => caseByKey.get(r.key)!.id);
  if (nowCritical.length) await tx.testCase.updateMany({ where: { id: { in: nowCritical } }, data: { critical: true } });

  const caseIds = rows.map((r) => caseByKey.get(r.key)!.id);
  const stored = await tx.testResult.findMany({
    where: { runId, caseId: { in: caseIds } },
    select: { id: true, caseId: true, status: true, attempts: true, flaky: true, durationMs: true, message: true },
  });
  const storedByCase = new Map(stored.map((s) => [s.caseId, s]));
  const replace: string[] = [];
  const insert: ResultRow[] = [];
  for (const r of rows) {
    const caseId = caseByKey.get(r.key)!.id;
    const s = storedByCase.get(caseId);
    if (s && s.status === r.status && s.attempts === r.attempts && s.flaky === r.flaky && s.durationMs === r.durationMs && s.message === r.message) continue;
    if (s) replace.push(s.id);
    insert.push(r);
  }
  if (replace.length) await tx.testResult.deleteMany({ where: { id: { in: replace } } });
  if (insert.length) {
    await tx.testResult.createMany({
      data: insert.map((r) => ({
        runId,
        caseId: caseByKey.get(r.key)!.id,
        status: r.status,
        attempts: r.attempts,
        flaky: r.flaky,
        durationMs: r.durationMs,
        message: r.message,
      })),
    });
  }
  counts.resultsChanged += insert.length;
}

/** Stores one JSON batch of results, whole or not at all. */
export async function ingestResults(deps: { db: Database }, options: { projectId: string; runId: string; results: ResultRow[] }) {
  const prisma = deps.db.prisma;
  const run = await runForIngest(prisma, options.projectId, options.runId);
  const counts = await prisma.$transaction(async (tx) => {
    const writer = resultWriter(tx, options.projectId, run.id);
    await writer.write(options.results);
    return writer.counts;
  }, INGEST_TRANSACTION);
  return { run, counts };
}
