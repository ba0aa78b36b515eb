// How a milestone's tests changed since a moment, from the result history: the
// pairs (case, environment) with a result recorded after that moment, each with
// its state then (the best result recorded by then, by the same run order as the
// current state) and now (its CurrentResult row). One statement returns both
// the counts of every (environment, before, after) transition, which the
// readiness then is rebuilt from, and the first newly failing and newly
// passing tests by key. Only touched pairs are looked at: a pair with nothing
// recorded since is the same then and now. Aborted runs count as aborted at
// both moments (an abort is not dated), and a result re-posted with a new
// status counts from when it was re-posted.
import type { Database } from './open-database.js';
import { DEFAULT_ENVIRONMENT } from './current-state.js';
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
  const listed = (kind: number, where: string) =>
    `SELECT * FROM (SELECT ${kind} AS kind, p.env, ${text('p.before')} AS before, ${nullOf('BOOLEAN')} AS before_flaky, ` +
    `${text('p.after')} AS after, ${nullOf('BOOLEAN')} AS after_flaky, ${nullOf('BOOLEAN')} AS critical, ${nullOf('BIGINT')} AS n, ` +
    `c."key", c."title", p."runId" AS run_id, t."name" AS run_name ` +
    `FROM pairs p JOIN "TestCase" c ON c."id" = p."caseId" JOIN "TestRun" t ON t."id" = p."runId" WHERE ${where} ` +
    `ORDER BY c."key"${byteOrder}, p.env${byteOrder} LIMIT ${limit}) l${kind}`;
  const sql = `
    ${changedPairs(db)}
    SELECT 0 AS kind, p.env, ${text('p.before')} AS before, p.before_flaky, ${text('p.after')} AS after, p.after_flaky,
           c."critical", COUNT(*) AS n, ${text('NULL')} AS key, ${text('NULL')} AS title, ${text('NULL')} AS run_id, ${text('NULL')} AS run_name
      FROM pairs p JOIN "TestCase" c ON c."id" = p."caseId"
     GROUP BY p.env, p.before, p.before_flaky, p.after, p.after_flaky, c."critical"
    UNION ALL ${listed(1, newlyFailing)}
    UNION ALL ${listed(2, newlyPassing)}`;
  const rows = await query<Row>(db, sql, [milestoneId, timestamp(db.provider, since)]);

  const changes: TestChanges = { transitions: [], newlyFailing: [], newlyPassing: [] };
  for (const row of rows) {
    const kind = Number(row.kind);
    if (kind === 0) {
      changes.transitions.push({
        environment: row.env,
        before: row.before ? { status: row.before, flaky: Boolean(row.before_flaky) } : null,
        after: row.after ? { status: row.after, flaky: Boolean(row.after_flaky) } : null,
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
 * The pairs (case, environment) with a result recorded after the moment $2 in
 * milestone $1, each with its state then (before) and now (after) and the run
 * of its current result, as the common table `pairs` (after `runs`, `touched`
 * and `earlier`): a statement continues with its SELECT over them.
 */
export function changedPairs(db: Pick<Database, 'provider'>): string {
  const at = db.provider === 'postgresql' ? '$2::timestamp(3)' : '$2';
  return `WITH runs AS (
      SELECT t."id", t."startedAt", t."createdAt", COALESCE(e."name", '${DEFAULT_ENVIRONMENT}') AS env
        FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId"
       WHERE t."milestoneId" = $1 AND t."status" <> 'ABORTED'
    ), touched AS (
      SELECT DISTINCT r."caseId", u.env FROM runs u JOIN "TestResult" r ON r."runId" = u."id" WHERE r."recordedAt" > ${at}
    ), earlier AS (
      SELECT x."caseId", x.env, r."status", r."flaky",
             ROW_NUMBER() OVER (PARTITION BY x."caseId", x.env ORDER BY u."startedAt" DESC, u."createdAt" DESC, u."id" DESC) AS rn
        FROM touched x JOIN "TestResult" r ON r."caseId" = x."caseId" JOIN runs u ON u."id" = r."runId" AND u.env = x.env
       WHERE r."recordedAt" <= ${at}
    ), pairs AS (
      SELECT x."caseId", x.env, b."status" AS before, b."flaky" AS before_flaky, s."status" AS after, s."flaky" AS after_flaky, s."runId"
        FROM touched x
        LEFT JOIN earlier b ON b."caseId" = x."caseId" AND b.env = x.env AND b.rn = 1
        LEFT JOIN "CurrentResult" s ON s."milestoneId" = $1 AND s."caseId" = x."caseId" AND s."environment" = x.env
    )`;
}

/** The condition on `pairs p` of a test newly failing: failing now, not failing then (or not run). */
export const NEWLY_FAILING = `p.after = 'FAILED' AND (p.before IS NULL OR p.before <> 'FAILED')`;
