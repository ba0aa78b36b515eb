// What the readiness card shows: the verdict, plus the blocking defects (with
// their Jira links), the runs still in progress, and a signed link to the
// milestone's readiness page when the server has a public address, and the
// flaky tests the verdict names that may still be quarantined. Slack's card,
// the reminders and the digests all show this; rendering it is theirs.
import { SEVERITIES, type Severity } from '../domain/types.js';
import { getReadinessWithFacts, type ReadinessView } from './get-readiness.js';
import { isQuarantineInForce } from '../domain/quarantine.js';
import type { Config } from '../config.js';
import { issueMilestoneLink, pageLinkSettings, type PageLinkSettings } from './milestone-link.js';
import type { ServiceDeps } from './service-deps.js';

const SAMPLE = 10;

export interface CardDefect {
  id: string;
  title: string;
  severity: string;
  jiraKey: string | null;
  jiraUrl: string | null;
  /** The issue's status in Jira (as last synced). */
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

/** A flaky test named by FLAKY_TESTS that may be quarantined now: not critical, not in quarantine. */
export interface CardFlakyTest {
  caseId: string;
  key: string;
  title: string;
}

export interface CardData {
  readiness: ReadinessView;
  /** The flaky tests FLAKY_TESTS names (each case once, worst first) that can be quarantined now. */
  quarantinable?: CardFlakyTest[];
  /** Open, unwaived defects of blocking severity, most severe first (a sample). */
  blockers: CardDefect[];
  blockerCount: number;
  runsInProgress: CardRun[];
  /** A signed link to the readiness page (the card's Open report button); absent without a public address. */
  reportUrl?: string;
}

export interface MilestoneCardOptions {
  /** Issue a link to the readiness page with these settings; none when null or absent (no PUBLIC_URL). */
  link?: PageLinkSettings | null;
  /** The readiness also carries the changes since this moment (the digest's: since the channel's last one). */
  since?: Date;
}

// Takes the id alone, as getReadiness does: the card is the readiness and more.
/** The card's data; with `since`, its readiness also carries the changes since that moment (the digest's). */
export async function getMilestoneCard(deps: ServiceDeps, milestoneId: string, options: MilestoneCardOptions = {}): Promise<CardData> {
  const { readiness, flakyCases } = await getReadinessWithFacts(deps, milestoneId, { since: options.since });
  const prisma = deps.db.prisma;
  const now = deps.now();
  const flakyKeys = [...new Set(flakyCases.sample.map((c) => c.key))];
  const blocking = readiness.policy.blockingSeverities;
  // Open, or waived with an expired waiver (which counts as open again).
  const where = {
    milestoneId,
    severity: { in: blocking },
    OR: [{ status: 'OPEN' as const }, { status: 'WAIVED' as const, waiverUntil: { lte: now } }],
  };
  const [rows, blockerCount, runs, link, flakyRows] = await Promise.all([
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
    options.link ? issueMilestoneLink(deps, { milestoneId, settings: options.link }) : null,
    flakyKeys.length
      ? prisma.testCase.findMany({
          where: { projectId: readiness.milestone.projectId, key: { in: flakyKeys } },
          select: { id: true, key: true, title: true, critical: true, quarantine: { select: { until: true } } },
        })
      : [],
  ]);
  const flakyByKey = new Map(flakyRows.map((c) => [c.key, c]));
  const quarantinable = flakyKeys
    .map((key) => flakyByKey.get(key))
    .filter((c) => c !== undefined && !c.critical && !(c.quarantine && isQuarantineInForce(c.quarantine, now)))
    .map((c) => ({ caseId: c!.id, key: c!.key, title: c!.title }));
  const blockers = rows
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.createdAt.getTime() - b.createdAt.getTime())
    .slice(0, SAMPLE)
    .map(({ createdAt: _c, ...d }) => d);
  return {
    readiness,
    quarantinable,
    blockers,
    blockerCount,
    runsInProgress: runs.map((r) => ({
      id: r.id,
      name: r.name,
      environment: r.environment?.name ?? null,
      startedAt: r.startedAt.toISOString(),
    })),
    ...(link ? { reportUrl: link.url } : {}),
  };
}

/**
 * The card every channel message shows (the posted card and its refreshes, the
 * reminder, the living message): with the Open report link when the server has
 * a public address. One function, so they cannot drift apart.
 */
export function getChannelCard(deps: ServiceDeps & { config: Pick<Config, 'pages'> }, milestoneId: string): Promise<CardData> {
  return getMilestoneCard(deps, milestoneId, { link: pageLinkSettings(deps.config) });
}

/** Most severe first, in the domain's one order. */
function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
