// Everything the readiness page shows about one milestone: the readiness (THE
// verdict function, via getReadiness), every failing test with the run it has
// failed since (the listing GET …/tests answers from), the defects with their
// Jira links, the runs, the daily snapshots the trend is drawn from, and the
// newest entries of the milestone's audit trail. Rendering is the page's (src/pages/).
import { isBlockingDefect, isDefectOpen } from '../domain/defect-state.js';
import { isValidTimeZone, localDate } from '../domain/time.js';
import { SEVERITIES, type DefectStatus, type Severity } from '../domain/types.js';
import { getReadiness, type ReadinessView } from './get-readiness.js';
import { listAuditTrail, type AuditEntryView } from './list-audit-trail.js';
import { listMilestoneTests, type MilestoneTestView } from './list-milestone-tests.js';
import type { ServiceDeps } from './service-deps.js';

/** The most failing tests one page lists; beyond them it says how many more there are. */
export const PAGE_FAILING_TESTS_MAX = 10_000;
/** The most recent runs and the defects a page lists. */
export const PAGE_RUNS_MAX = 200;
export const PAGE_DEFECTS_MAX = 1_000;
/** The newest audit entries of the milestone a page shows (GET …/audit has them all). */
export const PAGE_AUDIT_MAX = 20;

export interface PageDefect {
  id: string;
  title: string;
  severity: Severity;
  /** As stored; a waiver that has ended makes a WAIVED defect open again (`open`). */
  status: DefectStatus;
  open: boolean;
  /** Open and of a severity the gate blocks on. */
  blocking: boolean;
  jiraKey: string | null;
  jiraUrl: string | null;
  jiraStatus: string | null;
  jiraSync: 'PENDING' | 'LINKED' | 'FAILED' | null;
  jiraSyncError: string | null;
  waiverReason: string | null;
  waiverUntil: string | null;
  createdAt: string;
}

export interface PageRun {
  id: string;
  name: string;
  status: string;
  source: string;
  environment: string | null;
  url: string | null;
  startedAt: string;
  completedAt: string | null;
}

export interface PageSnapshot {
  day: string;
  passRate: number | null;
  executed: number;
  openBlockers: number;
}

export interface ReadinessPageData {
  readiness: ReadinessView;
  /** Failed first by key and environment, at most PAGE_FAILING_TESTS_MAX. */
  failingTests: MilestoneTestView[];
  failingTotal: number;
  /** Open first, most severe first, then the newest. */
  defects: PageDefect[];
  defectTotal: number;
  /** The newest first. */
  runs: PageRun[];
  runTotal: number;
  /** The milestone's local date now: the trend's last day (today's point is the readiness itself). */
  today: string;
  /** Stored daily snapshots of the `trendDays - 1` days before today. */
  snapshots: PageSnapshot[];
  /** The milestone's newest audit entries, at most PAGE_AUDIT_MAX, newest first; `auditMore` when there are older ones. */
  audit: AuditEntryView[];
  auditMore: boolean;
}

const DAY_MS = 86_400_000;

/** When a digest that covers the milestone (its own subscription or its project's) was last sent to any channel. */
async function lastDigestAt(deps: ServiceDeps, milestoneId: string): Promise<Date | null> {
  const prisma = deps.db.prisma;
  const milestone = await prisma.milestone.findUniqueOrThrow({ where: { id: milestoneId }, select: { projectId: true } });
  const subs = await prisma.subscription.findMany({
    where: { OR: [{ milestoneId }, { projectId: milestone.projectId, milestoneId: null }] },
    select: { id: true },
  });
  if (!subs.length) return null;
  const last = await prisma.claim.findFirst({
    where: { kind: 'digest', sentAt: { not: null }, OR: subs.map((sub) => ({ key: { startsWith: `${sub.id}:` } })) },
    orderBy: { sentAt: 'desc' },
    select: { sentAt: true },
  });
  return last?.sentAt && last.sentAt.getTime() <= deps.now().getTime() ? last.sentAt : null;
}

export async function getReadinessPage(deps: ServiceDeps, options: { milestoneId: string; trendDays: number }): Promise<ReadinessPageData> {
  const { milestoneId } = options;
  const prisma = deps.db.prisma;
  const now = deps.now();
  // What changed since the last digest that showed this milestone (or in the last day, before any digest).
  const since = (await lastDigestAt(deps, milestoneId)) ?? new Date(now.getTime() - DAY_MS);
  const readiness = await getReadiness(deps, milestoneId, { since });
  const zone = isValidTimeZone(readiness.milestone.timeZone) ? readiness.milestone.timeZone : 'UTC';
  const today = localDate(now, zone);
  const firstDay = new Date(Date.parse(`${today}T00:00:00Z`) - (options.trendDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const [failing, defectRows, defectTotal, runRows, runTotal, snapshots, audit] = await Promise.all([
    listMilestoneTests(deps, {
      milestoneId,
      projectId: readiness.milestone.projectId,
      filter: { status: 'FAILED' },
      limit: PAGE_FAILING_TESTS_MAX,
    }),
    prisma.defect.findMany({ where: { milestoneId }, orderBy: { createdAt: 'desc' }, take: PAGE_DEFECTS_MAX }),
    prisma.defect.count({ where: { milestoneId } }),
    prisma.testRun.findMany({
      where: { milestoneId },
      include: { environment: { select: { name: true } } },
      orderBy: [{ startedAt: 'desc' }, { createdAt: 'desc' }],
      take: PAGE_RUNS_MAX,
    }),
    prisma.testRun.count({ where: { milestoneId } }),
    prisma.readinessSnapshot.findMany({
      where: { milestoneId, day: { gte: firstDay, lt: today } },
      select: { day: true, passRate: true, executed: true, openBlockers: true },
      orderBy: { day: 'asc' },
    }),
    listAuditTrail(deps, { projectId: readiness.milestone.projectId, milestoneId, limit: PAGE_AUDIT_MAX }),
  ]);
  const blocking = readiness.policy.blockingSeverities;
  const defects: PageDefect[] = defectRows
    .map((d) => ({
      id: d.id,
      title: d.title,
      severity: d.severity,
      status: d.status,
      open: isDefectOpen(d, now),
      blocking: isBlockingDefect(d, blocking, now),
      jiraKey: d.jiraKey,
      jiraUrl: d.jiraUrl,
      jiraStatus: d.jiraStatus,
      jiraSync: d.jiraSync,
      jiraSyncError: d.jiraSyncError,
      waiverReason: d.waiverReason,
      waiverUntil: d.waiverUntil?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    }))
    // Stable: the newest first within the same openness and severity.
    .sort((a, b) => Number(b.open) - Number(a.open) || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return {
    readiness,
    failingTests: failing.tests,
    failingTotal: failing.total,
    defects,
    defectTotal,
    runs: runRows.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      source: r.source,
      environment: r.environment?.name ?? null,
      url: r.url,
      startedAt: r.startedAt.toISOString(),
      completedAt: r.completedAt?.toISOString() ?? null,
    })),
    runTotal,
    today,
    snapshots,
    audit: audit.entries,
    auditMore: audit.nextCursor !== null,
  };
}
