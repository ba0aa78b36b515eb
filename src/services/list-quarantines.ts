// A project's quarantined tests (SPEC §10), soonest to end first: those in
// force and, marked so, those that have ended or whose case became critical
// (their failures count again).
import { QUARANTINE_SELECT, quarantineView, type QuarantineView } from './quarantine-view.js';
import type { ServiceDeps } from './service-deps.js';

export async function listQuarantines(deps: ServiceDeps, options: { projectId: string }): Promise<QuarantineView[]> {
  const rows = await deps.db.prisma.quarantine.findMany({
    where: { projectId: options.projectId },
    select: QUARANTINE_SELECT,
    orderBy: [{ until: 'asc' }, { id: 'asc' }],
  });
  const now = deps.now();
  return rows.map((q) => quarantineView(q, now));
}

/** The quarantines of these cases, by case id (for the tests listing), whatever their state. */
export async function quarantinesOfCases(deps: ServiceDeps, caseIds: readonly string[]) {
  if (!caseIds.length) return new Map<string, { reason: string; until: Date; createdBy: string }>();
  const rows = await deps.db.prisma.quarantine.findMany({
    where: { caseId: { in: [...new Set(caseIds)] } },
    select: { caseId: true, reason: true, until: true, createdBy: true },
  });
  return new Map(rows.map((r) => [r.caseId, r]));
}
