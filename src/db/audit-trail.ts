// The audit trail in the database: entries are written inside the caller's
// transaction (so a change and its entry commit or roll back together), and
// read newest first, by project or by milestone, a page at a time. Gate and
// scope changes also queue their channel notice in the same transaction.
import { ANNOUNCED_KINDS, type Actor, type AuditChange } from '../domain/audit.js';
import type { Prisma } from './open-database.js';
import { enqueue, OUTBOX } from './outbox.js';

/** A Prisma client or an interactive transaction client. */
export type AuditWriter = Pick<Prisma, 'auditEntry' | 'outboxItem'>;

export interface AuditScope {
  projectId: string;
  milestoneId?: string | null;
  defectId?: string | null;
}

/** The columns an actor is kept in. */
export function actorColumns(actor: Actor) {
  switch (actor.type) {
    case 'slack':
      return { actorType: actor.type, actorId: actor.userId, actorName: null, actorTeam: actor.teamId };
    case 'api-key':
      return { actorType: actor.type, actorId: actor.keyId, actorName: actor.keyName, actorTeam: null };
    case 'jira':
      return { actorType: actor.type, actorId: 'jira', actorName: null, actorTeam: null };
    case 'local':
      return { actorType: actor.type, actorId: 'local', actorName: actor.name, actorTeam: null };
  }
}

/** Writes one entry per change (none for null: nothing changed); call it inside the change's transaction. */
export async function recordAudit(
  tx: AuditWriter,
  scope: AuditScope,
  actor: Actor,
  changes: (AuditChange | null)[],
  at: Date,
): Promise<string[]> {
  const ids: string[] = [];
  for (const change of changes) {
    if (!change) continue;
    const row = await tx.auditEntry.create({
      data: {
        projectId: scope.projectId,
        milestoneId: scope.milestoneId ?? null,
        defectId: scope.defectId ?? null,
        kind: change.kind,
        ...actorColumns(actor),
        before: JSON.stringify(change.before),
        after: JSON.stringify(change.after),
        createdAt: at,
      },
    });
    ids.push(row.id);
    if (ANNOUNCED_KINDS.includes(change.kind)) await enqueue(tx, OUTBOX.slackAuditNotice(row.id));
  }
  return ids;
}

export type AuditRow = Awaited<ReturnType<Prisma['auditEntry']['findFirstOrThrow']>>;

/** Where a page ends: entries are ordered by (createdAt, id), newest first. */
export interface AuditPosition {
  at: Date;
  id: string;
}

export async function auditPage(
  prisma: Prisma,
  where: { projectId: string; milestoneId?: string },
  after: AuditPosition | null,
  limit: number,
): Promise<AuditRow[]> {
  return prisma.auditEntry.findMany({
    where: {
      projectId: where.projectId,
      ...(where.milestoneId ? { milestoneId: where.milestoneId } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
}
