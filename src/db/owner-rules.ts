// A project's owner rules in the database: read in order, and replaced whole
// inside the caller's transaction (the rows are few; positions stay 0..n-1).
import type { OwnerRule } from '../domain/owners.js';
import { parseOwnerIds } from '../domain/owners.js';
import type { Prisma } from './open-database.js';
import type { Provider } from './raw-sql.js';

/** A Prisma client or an interactive transaction client. */
export type OwnerRuleStore = Pick<Prisma, 'ownerRule'>;

export async function loadOwnerRules(prisma: OwnerRuleStore, projectId: string): Promise<OwnerRule[]> {
  const rows = await prisma.ownerRule.findMany({ where: { projectId }, orderBy: { position: 'asc' } });
  return rows.map((r) => ({ pattern: r.pattern, owners: parseOwnerIds(r.owners) }));
}

export async function replaceOwnerRules(tx: OwnerRuleStore, projectId: string, rules: readonly OwnerRule[]): Promise<void> {
  await tx.ownerRule.deleteMany({ where: { projectId } });
  if (rules.length === 0) return;
  await tx.ownerRule.createMany({
    data: rules.map((r, position) => ({ projectId, position, pattern: r.pattern, owners: JSON.stringify(r.owners) })),
  });
}

/**
 * On PostgreSQL, the project's row FOR NO KEY UPDATE: two changes of its owner
 * rules take turns (each reads the list the other wrote), while uploads, which
 * hold it FOR KEY SHARE, go on. SQLite has one writer and needs nothing.
 */
export async function lockOwnerRules(
  tx: { $queryRawUnsafe: Prisma['$queryRawUnsafe'] },
  provider: Provider,
  projectId: string,
): Promise<void> {
  if (provider === 'postgresql') await tx.$queryRawUnsafe(`SELECT 1 FROM "Project" WHERE "id" = $1 FOR NO KEY UPDATE`, projectId);
}
