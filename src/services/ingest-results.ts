// Stores test results for a run, a batch whole or not at all (one transaction).
// Cases are upserted by (project, key); one result per (run, case), replaced
// when re-posted with different content, untouched when identical (so re-posting
// changes nothing, recordedAt included). Rows are written in chunks with
// set-based statements (src/db/bulk-results.ts), never row by row.
import { AppError } from '../domain/errors.js';
import { resultsRefusal } from '../domain/results-admission.js';
import type { Prisma } from '../db/open-database.js';
import type { ServiceDeps } from './service-deps.js';
import { MAX_BULK_ROWS, upsertCases, upsertResults, type Provider, type RawSql } from '../db/bulk-results.js';
import { applyRunResults, type StateTarget } from '../db/current-state.js';
import { addNewCasesToScopes } from '../db/scope-cases.js';
import { lockForStateChange, lockRunForResults } from '../db/state-locks.js';

export type ResultStatus = 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';

export interface ResultRow {
  key: string;
  title: string;
  suite: string | null;
  status: ResultStatus;
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
  /** Results inserted or replaced; 0 when the same results were posted again. */
  resultsChanged: number;
}

// The write of a whole upload: its rows are already received and checked
// (staged), so the transaction only waits on the database. Generous, as a
// 100,000-case file on a slow disk is still one transaction.
const STORE_TRANSACTION = { timeout: 5 * 60_000, maxWait: 30_000 };
/** PostgreSQL `integer`: the largest duration the column holds. */
const INT_COLUMN_MAX = 2_147_483_647;
const STATUSES = new Set<string>(['PASSED', 'FAILED', 'SKIPPED', 'BLOCKED']);
const RUN_WITH_COUNTS = { environment: true, milestone: true, _count: { select: { results: true } } } as const;

type Client = Pick<Prisma, 'testRun'>;

/** The run, when it belongs to the project and may take results (with its milestone and result count). */
export async function runForIngest(prisma: Client, projectId: string, runId: string) {
  const run = await prisma.testRun.findFirst({ where: { id: runId, projectId }, include: RUN_WITH_COUNTS });
  if (!run)
    throw new AppError('NOT_FOUND', `No test run ${runId} in this project. Open one with POST /api/projects/{projectId}/test-runs.`);
  const refusal = resultsRefusal(run);
  if (refusal) throw refusal;
  return run;
}

export function emptyCounts(): IngestCounts {
  return { total: 0, passed: 0, failed: 0, skipped: 0, blocked: 0, flaky: 0, critical: 0, casesCreated: 0, resultsChanged: 0 };
}

/**
 * Writes results inside a transaction; call write() per batch, in order. A key
 * repeated later wins. Rows must have passed checkRows: the SQL is raw.
 */
function resultWriter(tx: RawSql, provider: Provider, projectId: string, runId: string, target: StateTarget | null, now: Date) {
  const counts = emptyCounts();
  return {
    counts,
    async write(rows: ResultRow[]) {
      const byKey = new Map<string, ResultRow>();
      for (const r of rows) byKey.set(r.key, r);
      const unique = [...byKey.values()];
      for (let i = 0; i < unique.length; i += MAX_BULK_ROWS) {
        const chunk = unique.slice(i, i + MAX_BULK_ROWS);
        const { ids, created, createdCases } = await upsertCases(tx, provider, projectId, chunk, now);
        counts.casesCreated += created;
        const results = chunk.map((r) => ({
          caseId: ids.get(r.key)!,
          status: r.status,
          attempts: r.attempts,
          flaky: r.flaky,
          durationMs: r.durationMs,
          message: r.message,
        }));
        counts.resultsChanged += await upsertResults(tx, provider, runId, results, now);
        // The milestone's current state changes in the same transaction as its history.
        if (target) await applyRunResults(tx, provider, runId, results, target, now);
        // New cases join the scopes that name them, covered where their result just became current.
        const statusOf = new Map(chunk.map((r) => [r.key, r.status]));
        const fresh = createdCases.map((c) => ({ ...c, executed: statusOf.get(c.key) !== 'SKIPPED' }));
        await addNewCasesToScopes(tx, provider, projectId, fresh, target?.milestoneId ?? null);
      }
      for (const r of rows) {
        counts.total++;
        counts[r.status.toLowerCase() as 'passed' | 'failed' | 'skipped' | 'blocked']++;
        if (r.flaky) counts.flaky++;
        if (r.critical) counts.critical++;
      }
    },
  };
}

// The SQL is raw, so nothing below would catch a bad value: every row is checked before it is staged or stored.
function checkRow(r: ResultRow, i: number) {
  const problem = !r.key
    ? 'has no key'
    : !r.title
      ? 'has no title'
      : !STATUSES.has(r.status)
        ? `has status "${String(r.status)}"; use PASSED, FAILED, SKIPPED or BLOCKED`
        : !Number.isInteger(r.attempts) || r.attempts < 1
          ? 'has attempts below 1'
          : r.durationMs !== null && (!Number.isInteger(r.durationMs) || r.durationMs < 0 || r.durationMs > INT_COLUMN_MAX)
            ? `has a durationMs that is not a whole number from 0 to ${INT_COLUMN_MAX}`
            : null;
  if (problem)
    throw new AppError('VALIDATION_FAILED', `Result ${i + 1} (${r.key || r.title || 'unnamed'}) ${problem}; nothing was stored.`);
}

/**
 * Stores batches of results in one short transaction: the run is checked again
 * inside it (it may have been aborted, or its milestone completed, while the
 * rows were received), and the run as stored is read in the same transaction,
 * so a committed write is answered as stored whatever happens after.
 */
export async function storeResults(
  deps: ServiceDeps,
  options: { projectId: string; runId: string; now: Date; batches: Iterable<ResultRow[]> | AsyncIterable<ResultRow[]> },
) {
  return deps.db.prisma.$transaction(async (tx) => {
    const provider = deps.db.provider;
    await lockRunForResults(tx, provider, options.runId);
    const checked = await runForIngest(tx, options.projectId, options.runId);
    const milestoneId = checked.milestoneId;
    const scoped = milestoneId ? await lockForStateChange(tx, provider, options.projectId, [milestoneId]) : new Set<string>();
    const target = milestoneId ? { milestoneId, scoped: scoped.has(milestoneId) } : null;
    const writer = resultWriter(tx, provider, options.projectId, options.runId, target, options.now);
    for await (const batch of options.batches) await writer.write(batch);
    const run = await tx.testRun.findUniqueOrThrow({ where: { id: options.runId }, include: RUN_WITH_COUNTS });
    return { run, counts: writer.counts };
  }, STORE_TRANSACTION);
}

/** Checks rows before anything is stored; `offset` numbers them within the whole upload. */
export function checkRows(rows: ResultRow[], offset = 0): void {
  rows.forEach((r, i) => checkRow(r, offset + i));
}

/** Stores one JSON batch of results, whole or not at all. */
export async function ingestResults(deps: ServiceDeps, options: { projectId: string; runId: string; results: ResultRow[] }) {
  await runForIngest(deps.db.prisma, options.projectId, options.runId);
  checkRows(options.results);
  return storeResults(deps, { projectId: options.projectId, runId: options.runId, now: deps.now(), batches: [options.results] });
}
