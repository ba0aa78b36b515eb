// Set-based writes for result ingestion. Each chunk of rows travels as ONE JSON
// parameter, unpacked in the database (json_each on SQLite, json_array_elements
// on PostgreSQL), so a chunk is one short statement with a handful of
// parameters: no per-row round trips, no 9,000-placeholder statements to build,
// prepare and garbage-collect (those kept a 100,000-case upload near 600 MB of
// RSS). Cases: INSERT … ON CONFLICT DO NOTHING; results: upsert that rewrites a
// row only when something about it differs.
import { randomBytes } from 'node:crypto';
import type { Provider, RawSql } from './raw-sql.js';

export type { Provider, RawSql } from './raw-sql.js';

export interface BulkCase {
  key: string;
  title: string;
  suite: string | null;
  critical: boolean;
}

export interface BulkResult {
  caseId: string;
  status: 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';
  attempts: number;
  flaky: boolean;
  durationMs: number | null;
  message: string | null;
}

export const MAX_BULK_ROWS = 1000;

// The same statements in both dialects; only parameter syntax, JSON unpacking
// and PostgreSQL's explicit types differ. `WHERE true` before ON CONFLICT is
// SQLite's documented way to keep INSERT … SELECT … ON CONFLICT unambiguous.
const SQL = {
  sqlite: {
    selectCases: `SELECT "id", "key", "critical" FROM "TestCase" WHERE "projectId" = ? AND "key" IN (SELECT j.value FROM json_each(?) j)`,
    insertCases:
      `INSERT INTO "TestCase" ("id", "projectId", "key", "title", "suite", "critical", "createdAt", "updatedAt") ` +
      `SELECT j.value->>0, ?, j.value->>1, j.value->>2, j.value->>3, j.value->>4, ?, ? FROM json_each(?) j WHERE true ` +
      `ON CONFLICT ("projectId", "key") DO NOTHING`,
    promoteCases: `UPDATE "TestCase" SET "critical" = 1, "updatedAt" = ? WHERE "id" IN (SELECT j.value FROM json_each(?) j)`,
    upsertResults:
      `INSERT INTO "TestResult" ("id", "runId", "caseId", "status", "attempts", "flaky", "durationMs", "message", "recordedAt") ` +
      `SELECT j.value->>0, ?, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6, ? FROM json_each(?) j WHERE true `,
  },
  postgresql: {
    selectCases: `SELECT "id", "key", "critical" FROM "TestCase" WHERE "projectId" = $1 AND "key" IN (SELECT json_array_elements_text($2::json))`,
    insertCases:
      `INSERT INTO "TestCase" ("id", "projectId", "key", "title", "suite", "critical", "createdAt", "updatedAt") ` +
      `SELECT v->>0, $1, v->>1, v->>2, v->>3, (v->>4)::boolean, $2::timestamp(3), $3::timestamp(3) FROM json_array_elements($4::json) AS j(v) ` +
      `ON CONFLICT ("projectId", "key") DO NOTHING`,
    promoteCases: `UPDATE "TestCase" SET "critical" = true, "updatedAt" = $1::timestamp(3) WHERE "id" IN (SELECT json_array_elements_text($2::json))`,
    upsertResults:
      `INSERT INTO "TestResult" ("id", "runId", "caseId", "status", "attempts", "flaky", "durationMs", "message", "recordedAt") ` +
      `SELECT v->>0, $1, v->>1, (v->>2)::"ResultStatus", (v->>3)::integer, (v->>4)::boolean, (v->>5)::integer, v->>6, $2::timestamp(3) FROM json_array_elements($3::json) AS j(v) `,
  },
} as const;

const CHANGED = ['status', 'attempts', 'flaky', 'durationMs', 'message']
  .map((c) => `"TestResult"."${c}" IS DISTINCT FROM excluded."${c}"`)
  .join(' OR ');
const SET = ['status', 'attempts', 'flaky', 'durationMs', 'message', 'recordedAt'].map((c) => `"${c}" = excluded."${c}"`).join(', ');
const ON_RESULT_CONFLICT = `ON CONFLICT ("runId", "caseId") DO UPDATE SET ${SET} WHERE ${CHANGED}`;

// PostgreSQL's timestamp(3) columns hold UTC wall time (as Prisma writes them);
// sending the UTC text keeps the cast independent of how a driver formats a Date.
export function timestamp(provider: Provider, at: Date): Date | string {
  return provider === 'postgresql' ? at.toISOString().replace('T', ' ').replace('Z', '') : at;
}

// A random per-process prefix plus a counter: unique like a cuid, without
// drawing fresh random bytes for each of 100,000 rows.
const idPrefix = randomBytes(5).toString('hex');
let idCounter = 0;

/** A cuid-shaped id (starts with c, lowercase alphanumerics), like the ones Prisma makes. */
export function newId(): string {
  idCounter = (idCounter + 1) % 2_176_782_336; // 36^6
  return `c${Date.now().toString(36)}${idPrefix}${idCounter.toString(36).padStart(6, '0')}`;
}

async function selectCases(sql: RawSql, provider: Provider, projectId: string, keys: string[]) {
  const rows = await sql.$queryRawUnsafe<Array<{ id: string; key: string; critical: boolean | number }>>(
    SQL[provider].selectCases,
    projectId,
    JSON.stringify(keys),
  );
  return new Map(rows.map((r) => [r.key, { id: r.id, critical: Boolean(r.critical) }]));
}

/**
 * Returns the ids of the given cases (by key), creating the missing ones and
 * marking critical those now reported critical (one run not tagging a case does
 * not make it unimportant, so the flag is never cleared here), and the cases
 * this call created.
 */
export async function upsertCases(sql: RawSql, provider: Provider, projectId: string, cases: BulkCase[], now: Date) {
  const ids = new Map<string, string>();
  const createdCases: { id: string; key: string; suite: string | null }[] = [];
  if (!cases.length) return { ids, created: 0, createdCases };
  const found = await selectCases(
    sql,
    provider,
    projectId,
    cases.map((c) => c.key),
  );
  const promote: string[] = [];
  const missing: BulkCase[] = [];
  for (const c of cases) {
    const hit = found.get(c.key);
    if (!hit) missing.push(c);
    else {
      ids.set(c.key, hit.id);
      if (c.critical && !hit.critical) promote.push(hit.id);
    }
  }
  if (missing.length) {
    const fresh = missing.map((c) => [newId(), c.key, c.title, c.suite, c.critical] as const);
    const at = timestamp(provider, now);
    const created = await sql.$executeRawUnsafe(SQL[provider].insertCases, projectId, at, at, JSON.stringify(fresh));
    if (created === missing.length) {
      for (const [id, key, , suite] of fresh) {
        ids.set(key, id);
        createdCases.push({ id, key, suite });
      }
    } else {
      // Another upload created some of these cases meanwhile: read their ids.
      const again = await selectCases(
        sql,
        provider,
        projectId,
        missing.map((c) => c.key),
      );
      for (const c of missing) {
        const hit = again.get(c.key)!;
        ids.set(c.key, hit.id);
        if (c.critical && !hit.critical) promote.push(hit.id);
      }
      // The ones that carry the ids made here are this call's.
      for (const [id, key, , suite] of fresh) if (again.get(key)?.id === id) createdCases.push({ id, key, suite });
    }
  }
  if (promote.length) await sql.$executeRawUnsafe(SQL[provider].promoteCases, timestamp(provider, now), JSON.stringify(promote));
  return { ids, created: createdCases.length, createdCases };
}

/**
 * Inserts results, replacing a run's earlier result for the same case only when
 * something about it differs, so re-posting identical results touches no row
 * (recordedAt included). Returns how many rows were inserted or changed.
 */
export async function upsertResults(sql: RawSql, provider: Provider, runId: string, results: BulkResult[], now: Date): Promise<number> {
  if (!results.length) return 0;
  const rows = results.map((r) => [newId(), r.caseId, r.status, r.attempts, r.flaky, r.durationMs, r.message]);
  return sql.$executeRawUnsafe(SQL[provider].upsertResults + ON_RESULT_CONFLICT, runId, timestamp(provider, now), JSON.stringify(rows));
}
