// The audit trail as tests read it: the entries of a project, milestone or
// defect, oldest first, with before and after parsed.
import type { Prisma } from '../../src/db/open-database.js';

export interface StoredEntry {
  kind: string;
  actorType: string;
  actorId: string;
  actorName: string | null;
  actorTeam: string | null;
  milestoneId: string | null;
  defectId: string | null;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  createdAt: Date;
}

export async function auditEntries(
  prisma: Prisma,
  where: { projectId?: string; milestoneId?: string; defectId?: string },
): Promise<StoredEntry[]> {
  const rows = await prisma.auditEntry.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return rows.map((r) => ({
    kind: r.kind,
    actorType: r.actorType,
    actorId: r.actorId,
    actorName: r.actorName,
    actorTeam: r.actorTeam,
    milestoneId: r.milestoneId,
    defectId: r.defectId,
    before: JSON.parse(r.before) as Record<string, unknown>,
    after: JSON.parse(r.after) as Record<string, unknown>,
    createdAt: r.createdAt,
  }));
}

/** Kind, before and after only: what most assertions compare. */
export const changes = (entries: StoredEntry[]) => entries.map(({ kind, before, after }) => ({ kind, before, after }));
