// The facts of a milestone that do not come from results, as they stood at an
// earlier moment, for the readiness then (src/domain/changes.ts): the runs that
// had been opened by then and whether they had completed, the sign-offs given
// by then, and the defects reported by then with their state then.
import type { Database } from './open-database.js';
import { DEFAULT_ENVIRONMENT } from './current-state.js';
import { isDefectOpen } from '../domain/defect-state.js';
import type { FactsThen } from '../domain/changes.js';

export async function loadFactsThen(db: Database, milestoneId: string, at: Date): Promise<FactsThen> {
  const [runs, defects, signoffs] = await Promise.all([
    db.prisma.testRun.findMany({
      where: { milestoneId, createdAt: { lte: at } },
      select: { status: true, completedAt: true, environment: { select: { name: true } } },
    }),
    db.prisma.defect.findMany({
      where: { milestoneId, createdAt: { lte: at } },
      select: { id: true, title: true, severity: true, status: true, jiraKey: true, waiverUntil: true },
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
  for (const d of defects) {
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
