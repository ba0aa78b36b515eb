// The row locks that keep a milestone's current state (CurrentResult) and its
// scope's cases (ScopeCase) right while requests run side by side on
// PostgreSQL (on SQLite there is one writer, and these take nothing):
// - an upload holds its run's row FOR SHARE, so the run is not aborted or moved
//   while its results are written (those take the row first, by updating it);
// - a writer of a milestone's current state (upload, abort, move, rebuild)
//   holds the project's row FOR KEY SHARE, then the milestone's: FOR NO KEY
//   UPDATE when it has a scope, so two uploads into it take turns and each
//   one's `covered` sees the other's committed rows; FOR SHARE otherwise, so
//   uploads run side by side and only a scope change waits;
// - a scope change holds the project's row FOR UPDATE: it waits for every
//   transaction that writes a current state or creates cases in the project
//   (their foreign keys hold the row FOR KEY SHARE), and the next ones wait
//   for it, so a new case and a new scope always meet.
// Always run, then project, then milestones in id order: no two of these
// transactions wait on each other in a circle.
import type { Provider, RawSql } from './raw-sql.js';

/** Before writing a run's results: its row FOR SHARE (PostgreSQL). */
export async function lockRunForResults(sql: RawSql, provider: Provider, runId: string): Promise<void> {
  if (provider === 'postgresql') await sql.$queryRawUnsafe(`SELECT 1 FROM "TestRun" WHERE "id" = $1 FOR SHARE`, runId);
}

/**
 * Before writing milestones' current state (PostgreSQL; nothing on SQLite):
 * the project's row FOR KEY SHARE, then each milestone's row in id order, FOR
 * NO KEY UPDATE when it has a scope (or `exclusive` is asked, as a rebuild
 * does) and FOR SHARE otherwise. Returns the ids of those with a scope, read
 * under the lock (a scope change waits for it).
 */
export async function lockForStateChange(
  sql: RawSql,
  provider: Provider,
  projectId: string,
  milestoneIds: string[],
  options: { exclusive?: boolean } = {},
): Promise<Set<string>> {
  const ids = [...new Set(milestoneIds)].sort();
  if (!ids.length) return new Set();
  if (provider === 'sqlite') {
    const rows = await sql.$queryRawUnsafe<{ id: string }[]>(
      `SELECT "id" FROM "Milestone" WHERE "id" IN (SELECT j.value FROM json_each(?) j) AND "scope" IS NOT NULL`,
      JSON.stringify(ids),
    );
    return new Set(rows.map((r) => r.id));
  }
  await sql.$queryRawUnsafe(`SELECT 1 FROM "Project" WHERE "id" = $1 FOR KEY SHARE`, projectId);
  const scoped = new Set<string>();
  for (const id of ids) {
    // Read first, then lock in the mode the scope needs: the scope cannot change
    // in between, as a scope change needs the project's row, held above.
    const [row] = await sql.$queryRawUnsafe<{ scoped: boolean }[]>(
      `SELECT "scope" IS NOT NULL AS scoped FROM "Milestone" WHERE "id" = $1`,
      id,
    );
    if (!row) continue;
    const mode = row.scoped || options.exclusive ? 'NO KEY UPDATE' : 'SHARE';
    await sql.$queryRawUnsafe(`SELECT 1 FROM "Milestone" WHERE "id" = $1 FOR ${mode}`, id);
    if (row.scoped) scoped.add(id);
  }
  return scoped;
}

/**
 * Before changing a milestone's scope (PostgreSQL; nothing on SQLite): the
 * project's row FOR UPDATE, so no case is being created in the project and no
 * current state of its milestones being written until this transaction ends.
 */
export async function lockForScopeChange(sql: RawSql, provider: Provider, projectId: string): Promise<void> {
  if (provider === 'postgresql') await sql.$queryRawUnsafe(`SELECT 1 FROM "Project" WHERE "id" = $1 FOR UPDATE`, projectId);
}
