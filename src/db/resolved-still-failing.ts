// "Resolved but still failing" (SPEC §10): a milestone's RESOLVED defects (in
// Shipgate, or moved to Done in Jira, which resolves them) whose linked test
// case fails now in a run that started after the defect was resolved. When it
// was resolved comes from the audit trail (the latest defect.status entry that
// set RESOLVED); a defect resolved before the trail existed falls back to its
// last update, which is never earlier than its resolution. Resolved defects
// with a linked test are few, so this reads them whole; the failures come from
// the kept current state (CurrentResult), one indexed lookup per milestone.
import type { Database } from './open-database.js';
import type { ReadinessFacts, ResolvedStillFailingFact } from '../domain/readiness.js';

export interface ResolvedStillFailing extends ResolvedStillFailingFact {
  milestoneId: string;
  runId: string;
  resolvedAt: Date;
}

const SAMPLE = 5;

/** One finding per defect (its newest failing run after the resolution), oldest resolution first. */
export async function findResolvedStillFailing(
  db: Database,
  where: { milestoneId: string } | { activeMilestones: true },
): Promise<ResolvedStillFailing[]> {
  const prisma = db.prisma;
  const defects = await prisma.defect.findMany({
    where: {
      status: 'RESOLVED',
      testCaseId: { not: null },
      ...('milestoneId' in where ? { milestoneId: where.milestoneId } : { milestone: { is: { status: 'ACTIVE' } } }),
    },
    select: {
      id: true,
      title: true,
      jiraKey: true,
      milestoneId: true,
      testCaseId: true,
      updatedAt: true,
      testCase: { select: { key: true, title: true } },
    },
    orderBy: { id: 'asc' },
  });
  const linked = defects.filter((d) => d.milestoneId !== null && d.testCaseId !== null && d.testCase !== null);
  if (!linked.length) return [];

  const entries = await prisma.auditEntry.findMany({
    where: { defectId: { in: linked.map((d) => d.id) }, kind: 'defect.status' },
    select: { defectId: true, after: true, createdAt: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  const resolvedAt = new Map<string, Date>();
  for (const e of entries) {
    if (!e.defectId || resolvedAt.has(e.defectId)) continue;
    if ((JSON.parse(e.after) as { status?: unknown }).status === 'RESOLVED') resolvedAt.set(e.defectId, e.createdAt);
  }

  const failing = await prisma.currentResult.findMany({
    where: {
      status: 'FAILED',
      OR: linked.map((d) => ({ milestoneId: d.milestoneId!, caseId: d.testCaseId! })),
    },
    select: { milestoneId: true, caseId: true, environment: true, runId: true, runStartedAt: true },
    orderBy: [{ runStartedAt: 'desc' }, { runCreatedAt: 'desc' }, { runId: 'desc' }, { environment: 'asc' }],
  });
  const runIds = [...new Set(failing.map((f) => f.runId))];
  const runs = new Map(
    (await prisma.testRun.findMany({ where: { id: { in: runIds } }, select: { id: true, name: true } })).map((r) => [r.id, r.name]),
  );

  const found: ResolvedStillFailing[] = [];
  for (const d of linked) {
    const since = resolvedAt.get(d.id) ?? d.updatedAt;
    const hit = failing.find(
      (f) => f.milestoneId === d.milestoneId && f.caseId === d.testCaseId && f.runStartedAt.getTime() > since.getTime(),
    );
    if (!hit) continue;
    found.push({
      milestoneId: d.milestoneId!,
      defectId: d.id,
      defectTitle: d.title,
      jiraKey: d.jiraKey,
      testKey: d.testCase!.key,
      testTitle: d.testCase!.title,
      environment: hit.environment,
      runId: hit.runId,
      runName: runs.get(hit.runId) ?? hit.runId,
      resolvedAt: since,
    });
  }
  return found.sort((a, b) => a.resolvedAt.getTime() - b.resolvedAt.getTime() || (a.defectId < b.defectId ? -1 : 1));
}

/** The readiness fact: how many of the milestone's resolved defects still fail, the first few named. */
export async function loadResolvedStillFailingFacts(
  db: Database,
  milestoneId: string,
): Promise<NonNullable<ReadinessFacts['resolvedStillFailing']>> {
  const found = await findResolvedStillFailing(db, { milestoneId });
  return {
    count: found.length,
    sample: found.slice(0, SAMPLE).map((f) => ({
      defectId: f.defectId,
      defectTitle: f.defectTitle,
      jiraKey: f.jiraKey,
      testKey: f.testKey,
      testTitle: f.testTitle,
      environment: f.environment,
      runName: f.runName,
    })),
  };
}
