// Gathers what the readiness card shows beyond the verdict itself: the blocking
// defects (with their Jira links) and the runs still in progress.
import type { Database } from '../db/open-database.js';
import { getReadiness } from '../services/get-readiness.js';
import type { CardData } from '../messages/readiness-card.js';

const SAMPLE = 10;

export async function loadCard(deps: { db: Database; now: () => Date }, milestoneId: string): Promise<CardData> {
  const readiness = await getReadiness(deps, milestoneId);
  const prisma = deps.db.prisma;
  const now = deps.now();
  const blocking = readiness.policy.blockingSeverities;
  // Open, or waived with an expired waiver (which counts as open again).
  const where = {
    milestoneId,
    severity: { in: blocking },
    OR: [{ status: 'OPEN' as const }, { status: 'WAIVED' as const, waiverUntil: { lte: now } }],
  };
  const [rows, blockerCount, runs] = await Promise.all([
    prisma.defect.findMany({
      where,
      select: { id: true, title: true, severity: true, jiraKey: true, jiraUrl: true, jiraStatus: true, createdAt: true },
      take: 50,
    }),
    prisma.defect.count({ where }),
    prisma.testRun.findMany({
      where: { milestoneId, status: 'IN_PROGRESS' },
      include: { environment: true },
      orderBy: { startedAt: 'asc' },
      take: SAMPLE,
    }),
  ]);
  const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
  const blockers = rows
    .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity) || a.createdAt.getTime() - b.createdAt.getTime())
    .slice(0, SAMPLE)
    .map(({ createdAt: _c, ...d }) => d);
  return {
    readiness,
    blockers,
    blockerCount,
    runsInProgress: runs.map((r) => ({
      id: r.id,
      name: r.name,
      environment: r.environment?.name ?? null,
      startedAt: r.startedAt.toISOString(),
    })),
  };
}
