// Quarantines a project's test case (SPEC §10): its failures leave the pass
// rate of every milestone of the project until the quarantine ends, and show as
// the risk QUARANTINED_TESTS. It needs a reason and an end (like a waiver); a
// critical case is refused; a case already in quarantine is refused with how to
// change it, while an expired quarantine is replaced. The change and its audit
// entry (quarantine.added, on the project's trail) commit together.
import { actorTag, auditFields, type Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { checkQuarantineTerms, isQuarantineInForce, refuseCriticalCase } from '../domain/quarantine.js';
import { localDate } from '../domain/time.js';
import { recordAudit } from '../db/audit-trail.js';
import { isUniqueViolation } from '../db/errors.js';
import { QUARANTINE_SELECT, quarantineView, type QuarantineView } from './quarantine-view.js';
import type { ServiceDeps } from './service-deps.js';

export interface QuarantineTestOptions {
  projectId: string;
  caseKey: string;
  reason: string;
  /** `YYYY-MM-DD` (the end of that day in the project's zone) or an ISO-8601 instant with an offset. */
  until: string;
  actor: Actor;
}

export async function quarantineTest(deps: ServiceDeps, options: QuarantineTestOptions): Promise<QuarantineView> {
  const project = await deps.db.prisma.project.findUniqueOrThrow({ where: { id: options.projectId } });
  const now = deps.now();
  const terms = checkQuarantineTerms(options, project.timeZone, now);
  const testCase = await findCase(deps, project, options.caseKey);
  refuseCriticalCase(testCase);
  const by = actorTag(options.actor);
  try {
    const row = await deps.db.prisma.$transaction(async (tx) => {
      const current = await tx.quarantine.findUnique({ where: { caseId: testCase.id } });
      if (current && isQuarantineInForce(current, now)) {
        throw new AppError(
          'CONFLICT',
          `${testCase.key} is already quarantined until ${localDate(current.until, project.timeZone)} (by ${current.createdBy}: “${current.reason.slice(0, 200)}”). ` +
            'To change it, remove that quarantine first, then quarantine it again.',
          { quarantineId: current.id },
        );
      }
      const data = { reason: terms.reason, until: terms.until, createdBy: by, createdAt: now };
      const saved = current
        ? await tx.quarantine.update({ where: { id: current.id }, data, select: QUARANTINE_SELECT })
        : await tx.quarantine.create({
            data: { projectId: project.id, caseId: testCase.id, ...data },
            select: QUARANTINE_SELECT,
          });
      await recordAudit(
        tx,
        { projectId: project.id },
        options.actor,
        [
          {
            kind: 'quarantine.added',
            // An expired quarantine it replaces, as it was.
            before: current ? auditFields({ case: testCase.key, reason: current.reason, until: current.until, by: current.createdBy }) : {},
            after: auditFields({ case: testCase.key, reason: terms.reason, until: terms.until, by }),
          },
        ],
        now,
      );
      return saved;
    });
    return quarantineView(row, now);
  } catch (e) {
    // Two people quarantining the same case at once: the second finds the first's.
    if (isUniqueViolation(e))
      throw new AppError('CONFLICT', `${testCase.key} was quarantined by someone else just now; list the quarantines to see it.`);
    throw e;
  }
}

/** The project's case with exactly that key, or a NOT_FOUND that says where keys come from. */
export async function findCase(deps: ServiceDeps, project: { id: string; key: string }, caseKey: string) {
  const key = caseKey.trim();
  const testCase = await deps.db.prisma.testCase.findUnique({
    where: { projectId_key: { projectId: project.id, key } },
    select: { id: true, key: true, title: true, critical: true },
  });
  if (testCase) return testCase;
  throw new AppError(
    'NOT_FOUND',
    `Project ${project.key} has no test case "${key.slice(0, 200)}". Keys are exact, as results name them (for JUnit, classname::name); ` +
      "a milestone's tests list (GET …/milestones/{milestoneId}/tests) shows them.",
  );
}
