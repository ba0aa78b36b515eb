// The readiness fact about quarantine (SPEC §10): a milestone's current
// failures on cases that are quarantined now (until after `now`) and not
// critical. Cheap at any number of results: the project's quarantines in force
// come from the index on Quarantine (projectId, until) — they are few, made by
// people — and each is joined to its case by primary key and to the
// milestone's current state (CurrentResult, kept at ingest) by the primary key
// (milestoneId, caseId, …); result history is never read. The join order is
// fixed by the statement (CROSS JOIN on SQLite, LATERAL on PostgreSQL), so a
// database without statistics runs it the same way.
import type { Database } from './open-database.js';
import { currentResultByCase } from './raw-sql.js';
import { query } from './raw-query.js';
import { byteOrder } from './current-state-query.js';
import { timestamp } from './bulk-results.js';
import type { QuarantinedFailures } from '../domain/readiness.js';

const SAMPLE = 5;

interface Row {
  env: string;
  key: string;
  title: string;
  until: Date | string | number;
  reason: string;
}

function quarantinedFailuresSql(provider: Database['provider']): string {
  const project = `(SELECT m."projectId" FROM "Milestone" m WHERE m."id" = $1)`;
  // On PostgreSQL the status is compared as text so that, without statistics, the primary key
  // (milestone, case) is used rather than the status index's whole FAILED range (as in current-state-query.ts).
  return provider === 'postgresql'
    ? `SELECT f."environment" AS env, c."key" AS key, c."title" AS title, q."until" AS until, q."reason" AS reason FROM "Quarantine" q ` +
        `CROSS JOIN LATERAL (SELECT x."key", x."title" FROM "TestCase" x WHERE x."id" = q."caseId" AND x."critical" = false OFFSET 0) c ` +
        `CROSS JOIN LATERAL (SELECT s."environment" FROM "CurrentResult" s WHERE s."milestoneId" = $1 AND s."caseId" = q."caseId" AND CAST(s."status" AS TEXT) = 'FAILED' OFFSET 0) f ` +
        `WHERE q."projectId" = ${project} AND q."until" > $2::timestamp(3)`
    : `SELECT f."environment" AS env, c."key" AS key, c."title" AS title, q."until" AS until, q."reason" AS reason ` +
        `FROM "Quarantine" q CROSS JOIN "TestCase" c CROSS JOIN ${currentResultByCase(provider, 'f')} ` +
        `WHERE q."projectId" = ${project} AND q."until" > $2 AND c."id" = q."caseId" AND c."critical" = 0 ` +
        `AND f."milestoneId" = $1 AND f."caseId" = q."caseId" AND f."status" = 'FAILED'`;
}

/** The milestone's failures that quarantine takes out of the pass rate at `now`, counted per environment, the first few named. */
export async function loadQuarantinedFailures(db: Database, milestoneId: string, now: Date): Promise<QuarantinedFailures> {
  // One row per quarantined failing (case, environment): at most the quarantines in force times the environments.
  const rows = await query<Row>(db, quarantinedFailuresSql(db.provider), [milestoneId, timestamp(db.provider, now)]);
  const perEnv = new Map<string, number>();
  for (const r of rows) perEnv.set(r.env, (perEnv.get(r.env) ?? 0) + 1);
  rows.sort((a, b) => byteOrder(a.key, b.key) || byteOrder(a.env, b.env));
  return {
    count: rows.length,
    environments: [...perEnv].map(([name, count]) => ({ name, count })).sort((a, b) => byteOrder(a.name, b.name)),
    sample: rows.slice(0, SAMPLE).map((r) => ({
      key: r.key,
      title: r.title,
      environment: r.env,
      until: new Date(r.until),
      reason: r.reason,
    })),
  };
}
