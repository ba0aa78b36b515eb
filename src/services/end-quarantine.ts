// Ends a test's quarantine before its time (SPEC §10): its failures count again
// at once. Named by the quarantine's id or the case's key. The row goes; the
// audit entry (quarantine.removed, on the project's trail) keeps what it was.
import { auditFields, type Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { recordAudit } from '../db/audit-trail.js';
import { QUARANTINE_SELECT, quarantineView, type QuarantineView } from './quarantine-view.js';
import type { ServiceDeps } from './service-deps.js';

export async function endQuarantine(
  deps: ServiceDeps,
  options: { projectId: string; /** The quarantine's id or the case's key. */ ref: string; actor: Actor },
): Promise<QuarantineView> {
  const project = await deps.db.prisma.project.findUniqueOrThrow({ where: { id: options.projectId }, select: { id: true, key: true } });
  const ref = options.ref.trim();
  const now = deps.now();
  const removed = await deps.db.prisma.$transaction(async (tx) => {
    const row = await tx.quarantine.findFirst({
      where: { projectId: project.id, OR: [{ id: ref }, { testCase: { key: ref } }] },
      select: { ...QUARANTINE_SELECT, caseId: true },
    });
    if (!row)
      throw new AppError(
        'NOT_FOUND',
        `Project ${project.key} has no quarantine "${ref.slice(0, 200)}": name it by its id or by the test case's key; the list of quarantines shows both.`,
      );
    await tx.quarantine.delete({ where: { id: row.id } });
    await recordAudit(
      tx,
      { projectId: project.id },
      options.actor,
      [
        {
          kind: 'quarantine.removed',
          before: auditFields({ case: row.testCase.key, reason: row.reason, until: row.until, by: row.createdBy }),
          after: {},
        },
      ],
      now,
    );
    return row;
  });
  return quarantineView(removed, now);
}
