// How a milestone's tests changed since a moment: the pairs (case, environment)
// whose state changed after it, each with its state then and now. The state
// then is read from the state's own past (StateChange, kept at every change by
// current-state.ts): the state before a pair's first change after the moment,
// or no result if the row that held it appeared after the moment; a pair that
// appeared since with no change after has no result then. Now is its last
// change's `to` (or its row, if it appeared since or left and came back). So the
// cost follows what changed since, never the history or the whole state.
// One statement returns both the counts of every (environment, before, after)
// transition, which the readiness then is rebuilt from, and the first newly
// failing and newly passing tests by key. An abort, a move or a re-post counts
// when it happened, like any other change of the state.
import type { Database } from './open-database.js';
import { timestamp } from './bulk-results.js';
import { query } from './raw-query.js';
import type { ResultStatus } from '../domain/types.js';
import type { ChangedTest, Transition } from '../domain/changes.js';

export interface TestChanges {
  transitions: Transition[];
  newlyFailing: ChangedTest[];
  newlyPassing: ChangedTest[];
}

interface Row {
  kind: number | bigint;
  env: string;
  before: ResultStatus | null;
  before_flaky: boolean | number | bigint | null;
  after: ResultStatus | null;
  after_flaky: boolean | number | bigint | null;
  critical: boolean | number | bigint | null;
  n: number | bigint | string | null;
  key: string | null;
  title: string | null;
  run_id: string | null;
  run_name: string | null;
}

export async function loadTestChanges(db: Database, milestoneId: string, since: Date, options: { sample: number }): Promise<TestChanges> {
  const pg = db.provider === 'postgresql';
  const text = (column: string) => `CAST(${column} AS TEXT)`;
  // PostgreSQL types a bare NULL in a derived table as text, which a UNION cannot match with boolean or bigint.
  const nullOf = (type: 'BOOLEAN' | 'BIGINT') => `CAST(NULL AS ${pg ? type : 'INTEGER'})`;
  const byteOrder = pg ? ' COLLATE "C"' : '';
  const limit = Math.max(0, Math.floor(options.sample));
  const newlyFailing = NEWLY_FAILING;
  const newlyPassing = `p.before = 'FAILED' AND p.after = 'PASSED'`;
  // The first tests by key, then the run of each one's current result (looked up per test: a join
  // could make SQLite, without statistics, read the milestone's whole state instead).
  const itsRow = `s."milestoneId" = $1 AND s."caseId" = l."caseId" AND s."environment" = l.env`;
  const listed = (kind: number, where: string) =>
    `SELECT ${kind} AS kind, l.env, ${text('l.before')} AS before, ${nullOf('BOOLEAN')} AS before_flaky, ` +
    `${text('l.after')} AS after, ${nullOf('BOOLEAN')} AS after_flaky, ${nullOf('BOOLEAN')} AS critical, ${nullOf('BIGINT')} AS n, ` +
    `l."key", l."title", ` +
    `(SELECT s."runId" FROM "CurrentResult" s WHERE ${itsRow}) AS run_id, ` +
    `(SELECT t."name" FROM "CurrentResult" s JOIN "TestRun" t ON t."id" = s."runId" WHERE ${itsRow}) AS run_name FROM (` +
    `SELECT p."caseId", p.env, p.before, p.after, p."key", p."title" FROM named p ` +
    `WHERE ${where} ORDER BY p."key"${byteOrder}, p.env${byteOrder} LIMIT ${limit}) l`;
  // The pairs with their cases, looked up once for the counts (by criticality) and the lists.
  const sql = `
    ${changedPairs(db)}, named AS MATERIALIZED (
      SELECT p."caseId", p.env, p.before, p.before_flaky, p.after, p.after_flaky, c."key", c."title", c."critical"
        FROM pairs p JOIN "TestCase" c ON c."id" = p."caseId"
    )
    SELECT 0 AS kind, p.env, ${text('p.before')} AS before, p.before_flaky, ${text('p.after')} AS after, p.after_flaky,
           p."critical", COUNT(*) AS n, ${text('NULL')} AS key, ${text('NULL')} AS title, ${text('NULL')} AS run_id, ${text('NULL')} AS run_name
      FROM named p GROUP BY p.env, p.before, p.before_flaky, p.after, p.after_flaky, p."critical"
    UNION ALL SELECT * FROM (${listed(1, newlyFailing)}) l1
    UNION ALL SELECT * FROM (${listed(2, newlyPassing)}) l2`;
  const rows = await query<Row>(db, sql, [milestoneId, timestamp(db.provider, since)]);

  const changes: TestChanges = { transitions: [], newlyFailing: [], newlyPassing: [] };
  const state = (status: ResultStatus | null, flaky: Row['before_flaky']) => (status ? { status, flaky: Boolean(flaky) } : null);
  for (const row of rows) {
    const kind = Number(row.kind);
    if (kind === 0) {
      changes.transitions.push({
        environment: row.env,
        before: state(row.before, row.before_flaky),
        after: state(row.after, row.after_flaky),
        critical: Boolean(row.critical),
        n: Number(row.n),
      });
      continue;
    }
    const test: ChangedTest = {
      key: row.key!,
      title: row.title!,
      environment: row.env,
      before: row.before,
      after: row.after!,
      run: { id: row.run_id!, name: row.run_name! },
    };
    (kind === 1 ? changes.newlyFailing : changes.newlyPassing).push(test);
  }
  // UNION ALL keeps each branch's rows but not their order across branches.
  const byKey = (a: ChangedTest, b: ChangedTest) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0;
  changes.newlyFailing.sort(byKey);
  changes.newlyPassing.sort(byKey);
  return changes;
}

/**
 * The pairs (case, environment) of milestone $1 whose state changed after the
 * moment $2, each with its state then (before, before_flaky) and now (after,
 * after_flaky), as the common table `pairs` (after `firsts`): a statement
 * continues with its SELECTs over them (`pairs` is materialized: read by
 * several, it is computed once). Now is the last change's `to`, so the current
 * state is read only for pairs that left it and those that appeared since.
 */
export function changedPairs(db: Pick<Database, 'provider'>): string {
  const at = db.provider === 'postgresql' ? '$2::timestamp(3)' : '$2';
  const then = (column: string) => `CASE WHEN f."appearedAt" <= ${at} THEN f."${column}" END`;
  const samePair = (alias: string) =>
    `${alias}."milestoneId" = $1 AND ${alias}."caseId" = f."caseId" AND ${alias}."environment" = f."environment"`;
  // The last change's `to` (most pairs changed once: the first is the last); none, if the pair
  // left the state then: it may have come back since (appearances are not logged).
  const now = (column: 'toStatus' | 'toFlaky') =>
    `CASE WHEN f.n = 1 THEN f."${column}" ELSE (SELECT y."${column}" FROM "StateChange" y WHERE ${samePair('y')} ` +
    `AND y."changedAt" = (SELECT MAX(z."changedAt") FROM "StateChange" z WHERE ${samePair('z')})) END`;
  const orCurrent = (column: 'toStatus' | 'toFlaky', current: 'status' | 'flaky') =>
    `COALESCE(${now(column)}, (SELECT s."${current}" FROM "CurrentResult" s WHERE ${samePair('s')}))`;
  const since = `FROM "StateChange" x WHERE x."milestoneId" = $1 AND x."changedAt" > ${at}`;
  const columns = `x."caseId", x."environment", x."fromStatus", x."fromFlaky", x."appearedAt", x."toStatus", x."toFlaky"`;
  // Each pair's first change since, and how many: SQLite takes a group's other columns from the
  // row of its one MIN() (documented, and cheaper there than numbering every row), PostgreSQL numbers them.
  const firsts =
    db.provider === 'sqlite'
      ? `SELECT ${columns}, MIN(x."changedAt") AS "changedAt", COUNT(*) AS n ${since} GROUP BY x."caseId", x."environment"`
      : `SELECT f.* FROM (SELECT ${columns}, x."changedAt", ` +
        `ROW_NUMBER() OVER (PARTITION BY x."caseId", x."environment" ORDER BY x."changedAt") AS rn, ` +
        `COUNT(*) OVER (PARTITION BY x."caseId", x."environment") AS n ${since}) f WHERE f.rn = 1`;
  return `WITH firsts AS MATERIALIZED (${firsts}), pairs AS MATERIALIZED (
      SELECT f."caseId", f."environment" AS env, ${then('fromStatus')} AS before, ${then('fromFlaky')} AS before_flaky,
             ${orCurrent('toStatus', 'status')} AS after, ${orCurrent('toFlaky', 'flaky')} AS after_flaky
        FROM firsts f
      UNION ALL
      SELECT s."caseId", s."environment", NULL, NULL, s."status", s."flaky" FROM "CurrentResult" s
       WHERE s."milestoneId" = $1 AND s."appearedAt" > ${at} AND NOT EXISTS (
         SELECT 1 FROM "StateChange" x
          WHERE x."milestoneId" = $1 AND x."caseId" = s."caseId" AND x."environment" = s."environment" AND x."changedAt" > ${at})
    )`;
}

/** The condition on `pairs p` of a test newly failing: failing now, not failing then (or not run). */
export const NEWLY_FAILING = `p.after = 'FAILED' AND (p.before IS NULL OR p.before <> 'FAILED')`;
