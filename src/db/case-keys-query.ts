// A project's test cases (id, key, suite) for matching scope patterns in JS.
// Tens of thousands of rows cost more to map one by one through the client than
// to send as one JSON array built by the database.
import type { Database } from './open-database.js';

export interface CaseKey {
  id: string;
  key: string;
  suite: string | null;
}

export async function loadCaseKeys(db: Database, projectId: string): Promise<CaseKey[]> {
  const sql =
    db.provider === 'postgresql'
      ? `SELECT json_agg(json_build_array(c."id", c."key", c."suite"))::text AS cases FROM "TestCase" c WHERE c."projectId" = $1`
      : `SELECT json_group_array(json_array(c."id", c."key", c."suite")) AS cases FROM "TestCase" c WHERE c."projectId" = ?`;
  const [row] = await db.prisma.$queryRawUnsafe<{ cases: string | null }[]>(sql, projectId);
  const list = row?.cases ? (JSON.parse(row.cases) as [string, string, string | null][]) : [];
  return list.map(([id, key, suite]) => ({ id, key, suite }));
}
