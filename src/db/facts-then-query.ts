// The facts of a milestone that do not come from results, as they stood at an
// earlier moment, for the readiness then (src/domain/changes.ts): the runs that
// had been opened by then and whether they had completed, the sign-offs given
// by then, and the defects reported by then with their state then (the current
// state with every change the audit trail recorded since undone).
import type { Database } from './open-database.js';
import { DEFAULT_ENVIRONMENT } from './current-state.js';
import { isDefectOpen } from '../domain/defect-state.js';
import type { FactsThen } from '../domain/changes.js';
import type { DefectStatus, Severity } from '../domain/types.js';

/** `defects`: loadDefectsThen's answer for the same moment. */
export async function loadFactsThen(db: Database, milestoneId: string, at: Date, defects: { then: DefectState }[]): Promise<FactsThen> {
  const [runs, signoffs] = await Promise.all([
    db.prisma.testRun.findMany({
      where: { milestoneId, createdAt: { lte: at } },
      select: { status: true, completedAt: true, environment: { select: { name: true } } },
    }),
    db.prisma.signoff.findMany({ where: { milestoneId, createdAt: { lte: at } }, orderBy: { createdAt: 'desc' } }),
  ]);

  // An abort is not dated: an aborted run counts as aborted then too. A run completed after then was in progress.
  const counts = { total: runs.length, inProgress: 0, completed: 0, aborted: 0 };
  const runsByEnvironment = new Map<string, number>();
  for (const run of runs) {
    if (run.status === 'ABORTED') {
      counts.aborted++;
      continue;
    }
    if (run.status === 'COMPLETED' && run.completedAt && run.completedAt <= at) counts.completed++;
    else counts.inProgress++;
    const env = run.environment?.name ?? DEFAULT_ENVIRONMENT;
    runsByEnvironment.set(env, (runsByEnvironment.get(env) ?? 0) + 1);
  }

  const open: FactsThen['defects']['open'] = [];
  let waived = 0;
  let resolved = 0;
  for (const { then: d } of defects) {
    if (d.createdAt > at) continue;
    if (isDefectOpen(d, at)) open.push({ id: d.id, title: d.title, severity: d.severity, jiraKey: d.jiraKey });
    else if (d.status === 'RESOLVED') resolved++;
    else waived++;
  }

  const seen = new Set<string>();
  const latest: FactsThen['signoffs'] = [];
  for (const s of signoffs) {
    if (seen.has(s.slackUserId)) continue;
    seen.add(s.slackUserId);
    latest.push({ userId: s.slackUserId, decision: s.decision, comment: s.comment, at: s.createdAt });
  }
  return { runs: counts, runsByEnvironment, defects: { open, waived, resolved }, signoffs: latest };
}

export interface DefectState {
  id: string;
  title: string;
  severity: Severity;
  status: DefectStatus;
  jiraKey: string | null;
  waiverUntil: Date | null;
  createdAt: Date;
}

const DEFECT_KINDS = ['defect.status', 'defect.waiver', 'defect.severity'];

/**
 * Every defect of the milestone now and as it stood at `at`: its current status,
 * severity and waiver with each change the audit trail recorded after `at`
 * undone, newest first (an entry keeps the fields it changed, before and after).
 */
export async function loadDefectsThen(db: Database, milestoneId: string, at: Date): Promise<{ now: DefectState; then: DefectState }[]> {
  const defects = await db.prisma.defect.findMany({
    where: { milestoneId },
    select: { id: true, title: true, severity: true, status: true, jiraKey: true, waiverUntil: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
  });
  if (!defects.length) return [];
  const entries = await db.prisma.auditEntry.findMany({
    where: { defectId: { in: defects.map((d) => d.id) }, kind: { in: DEFECT_KINDS }, createdAt: { gt: at } },
    select: { defectId: true, before: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  const then = new Map(defects.map((d) => [d.id, { ...d }]));
  for (const entry of entries) {
    const state = then.get(entry.defectId!);
    if (!state) continue;
    const before = JSON.parse(entry.before) as { status?: DefectStatus; severity?: Severity; waiverUntil?: string | null };
    if (before.status !== undefined) state.status = before.status;
    if (before.severity !== undefined) state.severity = before.severity;
    if (before.waiverUntil !== undefined) state.waiverUntil = before.waiverUntil ? new Date(before.waiverUntil) : null;
  }
  return defects.map((d) => ({ now: d, then: then.get(d.id)! }));
}
