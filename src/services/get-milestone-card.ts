// What the readiness card shows: the verdict, plus the blocking defects (with
// their Jira links) and the runs still in progress. Slack's card, the reminders
// and the digests all show this; rendering it is theirs.
import { SEVERITIES, type Severity } from '../domain/types.js';
import { getReadiness, type ReadinessView } from './get-readiness.js';
import type { ServiceDeps } from './service-deps.js';

const SAMPLE = 10;

export interface CardDefect {
  id: string;
  title: string;
  severity: string;
  jiraKey: string | null;
  jiraUrl: string | null;
  /** The status in Jira (as last synced). */
  jiraStatus?: string | null;
  /** Where the link stands; a failed one is shown with why. */
  jiraSync?: 'PENDING' | 'LINKED' | 'FAILED' | null;
  jiraSyncError?: string | null;
}

export interface CardRun {
  id: string;
  name: string;
  environment: string | null;
  startedAt: string;
}

export interface CardData {
  readiness: ReadinessView;
  /** Open, unwaived defects of blocking severity, most severe first (a sample). */
  blockers: CardDefect[];
  blockerCount: number;
  runsInProgress: CardRun[];
}

// Takes the id alone, as getReadiness does: the card is the readiness and more.
export async function getMilestoneCard(deps: ServiceDeps, milestoneId: string): Promise<CardData> {
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
      select: {
        id: true,
        title: true,
        severity: true,
        jiraKey: true,
        jiraUrl: true,
        jiraStatus: true,
        jiraSync: true,
        jiraSyncError: true,
        createdAt: true,
      },
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
  const blockers = rows
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.createdAt.getTime() - b.createdAt.getTime())
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

/** Most severe first, in the domain's one order. */
function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
