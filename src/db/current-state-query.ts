// What the verdict needs from a milestone's current state, read from the rows
// kept at ingest (CurrentResult, src/db/current-state.ts, and ScopeCase,
// src/db/scope-cases.ts) rather than derived from the result history, so the
// cost follows the number of (case, environment) pairs, not the number of
// results ever stored:
// - counts per environment, status and flaky, from the index on (milestoneId,
//   status, environment, flaky, caseId), touching the table only for one row
//   per group on SQLite;
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
    db.provider === 'postgresql' ? STATE_COUNTS_PG : STATE_COUNTS_SQLITE,
    ...Array.from({ length: db.provider === 'postgresql' ? 1 : STATE_COUNTS_SQLITE.split('$1').length - 1 }, () => milestoneId),
  );
  return rows.map((r) => ({ env: r.env, status: r.status, flaky: Number(r.flaky) === 1, n: Number(r.n) }));
}

const STATE_COUNTS_PG =
  `SELECT s."environment" AS env, CAST(s."status" AS TEXT) AS status, CASE WHEN s."flaky" THEN 1 ELSE 0 END AS flaky, COUNT(*) AS n ` +
  `FROM "CurrentResult" s WHERE s."milestoneId" = $1 GROUP BY s."status", s."environment", s."flaky"`;

// SQLite counts a range of index entries that share the whole key faster than it
// groups them by comparing the key row by row (about 11 ms against 17 ms for
// 150,000 rows, where a GROUP BY status alone takes 14): so the groups present
// (status, environment, flaky) are found first by skipping through the index,
// a few seeks each, and each group's entries are then counted. PostgreSQL counts
// a range no faster than it groups it, so it keeps the one grouped scan.
const BY_STATE = `"CurrentResult" x INDEXED BY "CurrentResult_milestoneId_status_environment_flaky_caseId_idx"`;
/** The index entry after group g's that matches `where`, by row id. */
const nextEntry = (where: string, order: string) =>
  `(SELECT x.rowid FROM ${BY_STATE} WHERE x."milestoneId" = $1 AND ${where} ORDER BY ${order} LIMIT 1)`;
const STATE_COUNTS_SQLITE =
  `WITH RECURSIVE g(status, env, flaky) AS (` +
  `SELECT * FROM (SELECT x."status", x."environment", x."flaky" FROM ${BY_STATE} WHERE x."milestoneId" = $1 ` +
  `ORDER BY x."status", x."environment", x."flaky" LIMIT 1) ` +
  // The next group: the same status and environment with a higher flaky, else the next environment, else the next status.
  `UNION ALL SELECT n."status", n."environment", n."flaky" FROM g CROSS JOIN "CurrentResult" n WHERE n.rowid = COALESCE(` +
  `${nextEntry('x."status" = g.status AND x."environment" = g.env AND x."flaky" > g.flaky', 'x."flaky"')}, ` +
  `${nextEntry('x."status" = g.status AND x."environment" > g.env', 'x."environment", x."flaky"')}, ` +
  `${nextEntry('x."status" > g.status', 'x."status", x."environment", x."flaky"')})) ` +
  `SELECT g.env AS env, g.status AS status, g.flaky AS flaky, (SELECT COUNT(*) FROM ${BY_STATE} WHERE x."milestoneId" = $1 ` +
  `AND x."status" = g.status AND x."environment" = g.env AND x."flaky" = g.flaky) AS n FROM g`;

/** Where critical failures are looked for from: the milestone's failures, or the project's critical cases. */
export type CriticalSide = 'failures' | 'cases';

/** The critical failures of milestone $1 as rows (env, key, title), found from one side. */
function criticalFailuresSql(provider: Database['provider'], side: CriticalSide): string {
  const pg = provider === 'postgresql';
  const project = `(SELECT m."projectId" FROM "Milestone" m WHERE m."id" = $1)`;
  if (side === 'failures') {
    // From the failures (the status index's FAILED range), each case by primary key.
    return pg
      ? `SELECT f."environment" AS env, c."key" AS key, c."title" AS title FROM "CurrentResult" f ` +
          `CROSS JOIN LATERAL (SELECT x."key", x."title" FROM "TestCase" x WHERE x."id" = f."caseId" AND x."critical" = true OFFSET 0) c ` +
          `WHERE f."milestoneId" = $1 AND f."status" = 'FAILED'`
      : `SELECT f."environment" AS env, c."key" AS key, c."title" AS title FROM "CurrentResult" f CROSS JOIN "TestCase" c ` +
          `WHERE f."milestoneId" = $1 AND f."status" = 'FAILED' AND c."id" = f."caseId" AND c."critical" = 1`;
  }
  // From the critical cases, each looked up by (milestone, case) in the state's primary key:
  // INDEXED BY on SQLite; on PostgreSQL the status compared as text, as otherwise, without
  // statistics, the status index (milestone, FAILED, …, caseId) looks as cheap, and each
  // look-up then reads the milestone's whole FAILED range.
  return pg
    ? `SELECT f."environment" AS env, c."key" AS key, c."title" AS title FROM "TestCase" c ` +
        `CROSS JOIN LATERAL (SELECT s."environment" FROM "CurrentResult" s WHERE s."milestoneId" = $1 AND s."caseId" = c."id" AND CAST(s."status" AS TEXT) = 'FAILED' OFFSET 0) f ` +
        `WHERE c."projectId" = ${project} AND c."critical" = true`
    : `SELECT f."environment" AS env, c."key" AS key, c."title" AS title FROM "TestCase" c CROSS JOIN ${currentResultByCase(provider, 'f')} ` +
        `WHERE c."projectId" = ${project} AND c."critical" = 1 AND f."milestoneId" = $1 AND f."caseId" = c."id" AND f."status" = 'FAILED'`;
}

type CriticalRow = { kind: Num; env: string | null; n: Num | null; key: string | null; title: string | null };

/**
 * Counts and samples the rows of `failures` (found once: MATERIALIZED), after
 * the `before` common table expressions, and with the rows of `head` (kind 9)
 * first. Byte order on both databases, so both pick the same sample.
 */
async function countAndSample(
  db: Database,
  milestoneId: string,
  failures: string,
  sample: number,
  extra: { before: string; head: string } = { before: '', head: '' },
) {
  const C = db.provider === 'postgresql' ? ' COLLATE "C"' : '';
  const text =
    `WITH ${extra.before}f AS MATERIALIZED (${failures}) ${extra.head}` +
    `SELECT 0 AS kind, a.env AS env, COUNT(*) AS n, CAST(NULL AS TEXT) AS key, CAST(NULL AS TEXT) AS title FROM f a GROUP BY a.env ` +
    `UNION ALL SELECT * FROM (SELECT 1, b.env, CAST(NULL AS BIGINT), b.key, b.title FROM f b ` +
    `ORDER BY b.key${C}, b.env${C} LIMIT ${Math.floor(sample)}) first_failures`;
  // PostgreSQL numbers its parameters; SQLite binds one ? per occurrence.
  const n = db.provider === 'postgresql' ? 1 : (text.match(/\$1/g) ?? []).length;
  const rows = await query<CriticalRow>(db, text, ...Array.from({ length: n }, () => milestoneId));
  const found: CriticalFailures = { counts: new Map(), sample: [] };
  for (const r of rows) {
    if (Number(r.kind) === 0) found.counts.set(r.env!, Number(r.n));
    else if (Number(r.kind) === 1) found.sample.push({ key: r.key!, title: r.title!, environment: r.env! });
  }
  // UNION ALL keeps each branch's rows but not their order across branches.
  found.sample.sort((a, b) => byteOrder(a.key, b.key) || byteOrder(a.environment, b.environment));
  return { rows, found };
}

/** The milestone's current failures on critical cases, found from the given side (the same either way). */
export async function loadCriticalFailures(
  db: Database,
  milestoneId: string,
  side: CriticalSide,
  options: { sample: number },
): Promise<CriticalFailures> {
  return (await countAndSample(db, milestoneId, criticalFailuresSql(db.provider, side), options.sample)).found;
}

/**
 * In one statement, sent with readiness's other reads: how many critical cases
 * the project has, how many current failures the milestone has counted up to that
 * number (at least one: `failed` is exact only when it is below it), and, when
 * there are failures and the critical cases are no more than them, the critical
 * failures found from those cases (`found`). Otherwise `found` is null, and the
 * failures (the fewer) are the side to look from, if any.
 */
export async function loadCriticalFailuresIfFewerCases(
  db: Database,
  milestoneId: string,
  options: { sample: number },
): Promise<{ failed: number; critical: number; found: CriticalFailures | null }> {
  const pg = db.provider === 'postgresql';
  // The failures are counted only as far as the gate needs: up to the number of critical
  // cases (at least one). Counting them all read the milestone's whole FAILED range, on
  // PostgreSQL from the table (most of this statement's time on a fresh bench database).
  const criticalCount =
    `(SELECT COUNT(*) FROM "TestCase" c WHERE c."projectId" = (SELECT m."projectId" FROM "Milestone" m WHERE m."id" = $1) ` +
    `AND c."critical" = ${pg ? 'true' : '1'})`;
  const sizes =
    `critical AS (SELECT ${criticalCount} AS n), ` +
    `sizes AS (SELECT (SELECT COUNT(*) FROM (SELECT 1 AS one FROM "CurrentResult" s WHERE s."milestoneId" = $1 AND s."status" = 'FAILED' ` +
    `LIMIT (SELECT CASE WHEN k.n > 1 THEN k.n ELSE 1 END FROM critical k)) w) AS failed, (SELECT k.n FROM critical k) AS critical) `;
  // The gate is evaluated once (a constant condition): when it is false the cases are not read.
  const gate = `(SELECT z.failed FROM sizes z) > 0 AND (SELECT z.critical FROM sizes z) <= (SELECT z.failed FROM sizes z)`;
  const failures = `SELECT * FROM (${criticalFailuresSql(db.provider, 'cases')}) g WHERE ${gate}`;
  const { rows, found } = await countAndSample(db, milestoneId, failures, options.sample, {
    before: `${sizes}, `,
    head: `SELECT 9 AS kind, CAST(NULL AS TEXT) AS env, z.failed AS n, CAST(z.critical AS TEXT) AS key, CAST(NULL AS TEXT) AS title FROM sizes z UNION ALL `,
  });
  const head = rows.find((r) => Number(r.kind) === 9)!;
  const failed = Number(head.n);
  const critical = Number(head.key);
  return { failed, critical, found: failed > 0 && critical <= failed ? found : null };
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
