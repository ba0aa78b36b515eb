// What the verdict needs from a milestone's current state, read from the rows
// kept at ingest (CurrentResult, src/db/current-state.ts, and ScopeCase,
// src/db/scope-cases.ts) rather than derived from the result history, so the
// cost follows the number of (case, environment) pairs, not the number of
// results ever stored:
// - counts per environment, status and flaky, from the index on (milestoneId,
//   status, environment, flaky, caseId) without touching the table;
// - the critical failures, from whichever side is smaller: the milestone's
//   failures, each looked up in TestCase, or the project's critical cases,
//   each looked up in the milestone's state (the case's flag is read where it
//   is kept, so a case made critical counts at once);
// - the scope's size, coverage and first untested cases, from the index on
//   ScopeCase (milestoneId, covered, key).
// The statements fix their join order themselves (CROSS JOIN on SQLite, a
// LATERAL subquery on PostgreSQL), so a database without statistics (no
// ANALYZE yet) runs them the same way.
import type { Database } from './open-database.js';
import { currentResultByCase } from './raw-sql.js';
import type { StateRow } from './derive-current-state.js';

export interface StateCount {
  env: string;
  status: StateRow['status'];
  flaky: boolean;
  n: number;
}

export interface CriticalFailures {
  /** Per environment. */
  counts: Map<string, number>;
  /** The first few by key, then environment (byte order). */
  sample: { key: string; title: string; environment: string }[];
}

export interface ScopeState {
  inScope: number;
  covered: number;
  /** The first few untested case keys in byte order. */
  untested: string[];
}

type Num = number | bigint | string;

/** Runs a query written with $1, $2… on both databases (each used once, in order). */
function query<T>(db: Database, text: string, ...values: unknown[]): Promise<T[]> {
  return db.prisma.$queryRawUnsafe<T[]>(db.provider === 'postgresql' ? text : text.replace(/\$\d+/g, '?'), ...values);
}

export async function loadStateCounts(db: Database, milestoneId: string): Promise<StateCount[]> {
  const rows = await query<{ env: string; status: StateRow['status']; flaky: Num | boolean; n: Num }>(
    db,
    `SELECT s."environment" AS env, CAST(s."status" AS TEXT) AS status, CASE WHEN s."flaky" THEN 1 ELSE 0 END AS flaky, COUNT(*) AS n ` +
      `FROM "CurrentResult" s WHERE s."milestoneId" = $1 GROUP BY s."status", s."environment", s."flaky"`,
    milestoneId,
  );
  return rows.map((r) => ({ env: r.env, status: r.status, flaky: Number(r.flaky) === 1, n: Number(r.n) }));
}

/** How many cases of a milestone's project are critical (from the index on (projectId, critical)). */
export async function countCriticalCasesOf(db: Database, milestoneId: string): Promise<number> {
  const critical = db.provider === 'postgresql' ? 'true' : '1';
  const [row] = await query<{ n: Num }>(
    db,
    `SELECT COUNT(*) AS n FROM "TestCase" c WHERE c."projectId" = (SELECT m."projectId" FROM "Milestone" m WHERE m."id" = $1) AND c."critical" = ${critical}`,
    milestoneId,
  );
  return Number(row?.n ?? 0);
}

/**
 * The milestone's current failures on critical cases. `failed` (current FAILED
 * rows) and `critical` (the project's critical cases) choose the side to start
 * from; the work is about the smaller of the two.
 */
export async function loadCriticalFailures(
  db: Database,
  ids: { milestoneId: string; projectId: string },
  sizes: { failed: number; critical: number },
  options: { sample: number },
): Promise<CriticalFailures> {
  const none: CriticalFailures = { counts: new Map(), sample: [] };
  if (!sizes.failed || !sizes.critical) return none;
  const pg = db.provider === 'postgresql';
  const yes = pg ? 'true' : '1';
  let failures: string;
  let params: string[];
  if (sizes.failed <= sizes.critical) {
    // From the failures (the status index's FAILED range), each case by primary key.
    failures = pg
      ? `SELECT f."environment" AS env, c."key" AS key, c."title" AS title FROM "CurrentResult" f ` +
        `CROSS JOIN LATERAL (SELECT x."key", x."title" FROM "TestCase" x WHERE x."id" = f."caseId" AND x."critical" = true OFFSET 0) c ` +
        `WHERE f."milestoneId" = $1 AND f."status" = 'FAILED'`
      : `SELECT f."environment" AS env, c."key" AS key, c."title" AS title FROM "CurrentResult" f CROSS JOIN "TestCase" c ` +
        `WHERE f."milestoneId" = $1 AND f."status" = 'FAILED' AND c."id" = f."caseId" AND c."critical" = 1`;
    params = [ids.milestoneId];
  } else {
    // From the critical cases, each looked up by (milestone, case) in the state's primary key:
    // INDEXED BY on SQLite; on PostgreSQL the status compared as text, as otherwise, without
    // statistics, the status index (milestone, FAILED, …, caseId) looks as cheap, and each
    // lookup then reads the milestone's whole FAILED range.
    failures = pg
      ? `SELECT f."environment" AS env, c."key" AS key, c."title" AS title FROM "TestCase" c ` +
        `CROSS JOIN LATERAL (SELECT s."environment" FROM "CurrentResult" s WHERE s."milestoneId" = $1 AND s."caseId" = c."id" AND CAST(s."status" AS TEXT) = 'FAILED' OFFSET 0) f ` +
        `WHERE c."projectId" = $2 AND c."critical" = true`
      : `SELECT f."environment" AS env, c."key" AS key, c."title" AS title FROM "TestCase" c CROSS JOIN ${currentResultByCase(db.provider, 'f')} ` +
        `WHERE c."projectId" = $2 AND c."critical" = ${yes} AND f."milestoneId" = $1 AND f."caseId" = c."id" AND f."status" = 'FAILED'`;
    params = [ids.milestoneId, ids.projectId];
  }
  const C = pg ? ' COLLATE "C"' : '';
  // The failures are found once (MATERIALIZED), then counted and sampled.
  const rows = await query<{ kind: Num; env: string; n: Num | null; key: string | null; title: string | null }>(
    db,
    `WITH f AS MATERIALIZED (${failures}) ` +
      `SELECT 0 AS kind, a.env AS env, COUNT(*) AS n, CAST(NULL AS TEXT) AS key, CAST(NULL AS TEXT) AS title FROM f a GROUP BY a.env ` +
      `UNION ALL SELECT * FROM (SELECT 1, b.env, CAST(NULL AS BIGINT), b.key, b.title FROM f b ` +
      // Byte order on both databases, so both pick the same sample.
      `ORDER BY b.key${C}, b.env${C} LIMIT ${Math.floor(options.sample)}) first_failures`,
    // PostgreSQL numbers its parameters; SQLite binds ? in text order.
    ...(pg ? params : sqliteOrder(failures, params)),
  );
  const result: CriticalFailures = { counts: new Map(), sample: [] };
  for (const r of rows) {
    if (Number(r.kind) === 0) result.counts.set(r.env, Number(r.n));
    else result.sample.push({ key: r.key!, title: r.title!, environment: r.env });
  }
  // UNION ALL keeps each branch's rows but not their order across branches.
  result.sample.sort((a, b) => byteOrder(a.key, b.key) || byteOrder(a.environment, b.environment));
  return result;
}

/** The values of a statement's $n parameters in the order they appear in its text (SQLite's ? order). */
function sqliteOrder(text: string, params: string[]): string[] {
  return [...text.matchAll(/\$(\d+)/g)].map((m) => params[Number(m[1]) - 1]!);
}

/** Compares as UTF-8 bytes do (code point order), as both databases order the samples. */
export function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

/** The scope's size and coverage, and its first untested cases by key. */
export async function loadScopeState(db: Database, milestoneId: string, options: { sample: number }): Promise<ScopeState> {
  const pg = db.provider === 'postgresql';
  const rows = await query<{ kind: Num; covered: Num | boolean | null; n: Num | null; key: string | null }>(
    db,
    `SELECT 0 AS kind, CASE WHEN g."covered" THEN 1 ELSE 0 END AS covered, COUNT(*) AS n, CAST(NULL AS TEXT) AS key ` +
      `FROM "ScopeCase" g WHERE g."milestoneId" = $1 GROUP BY g."covered" ` +
      `UNION ALL SELECT * FROM (SELECT 1, CAST(NULL AS INTEGER), CAST(NULL AS BIGINT), u."key" FROM "ScopeCase" u ` +
      `WHERE u."milestoneId" = $2 AND u."covered" = ${pg ? 'false' : '0'} ORDER BY u."key"${pg ? ' COLLATE "C"' : ''} ` +
      `LIMIT ${Math.floor(options.sample)}) first_untested`,
    milestoneId,
    milestoneId,
  );
  const state: ScopeState = { inScope: 0, covered: 0, untested: [] };
  for (const r of rows) {
    if (Number(r.kind) === 1) state.untested.push(r.key!);
    else {
      state.inScope += Number(r.n);
      if (Number(r.covered) === 1) state.covered += Number(r.n);
    }
  }
  state.untested.sort(byteOrder);
  return state;
}
