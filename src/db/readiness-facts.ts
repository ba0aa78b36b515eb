// Aggregates a milestone's runs, results, defects and sign-offs into the facts
// the verdict is computed from, in the database: result rows are never loaded.
// The current state (the latest result per case and environment across
// non-aborted runs) and the scope's cases are kept at ingest (CurrentResult,
// current-state.ts; ScopeCase, scope-cases.ts) and read by
// current-state-query.ts; runs, defects and sign-offs are few and are read whole.
// The milestone with its project (unless the caller has it already), its runs,
// defects and sign-offs, and the state's reads go out at once, each on its own
// (on PostgreSQL, on its own connection). The critical failures come with them,
// found from the project's critical cases when those are no more than the
// milestone's failures, and otherwise from the failures, in a second read.
import type { Database, Prisma } from './open-database.js';
import {
  loadCriticalFailures,
  loadCriticalFailuresIfFewerCases,
  loadScopeState,
  loadStateCounts,
  type CriticalFailures,
} from './current-state-query.js';
import { DEFAULT_ENVIRONMENT } from './current-state.js';
import { isDefectOpen } from '../domain/defect-state.js';
import type { ReadinessFacts } from '../domain/readiness.js';

const SAMPLE = 5;
const NONE: CriticalFailures = { counts: new Map(), sample: [] };
export { DEFAULT_ENVIRONMENT };

export async function loadReadinessFacts(db: Database, milestoneId: string, now: Date): Promise<ReadinessFacts> {
  return (await loadMilestoneReadiness(db, milestoneId, now)).facts;
}

type MilestoneRow = Awaited<ReturnType<Prisma['milestone']['findUniqueOrThrow']>>;
type ProjectRow = Awaited<ReturnType<Prisma['project']['findUniqueOrThrow']>>;
/** A milestone as stored, with its project: what a caller that has just looked it up can pass instead of its id. */
export type MilestoneWithProject = MilestoneRow & { project: ProjectRow };

/**
 * The milestone as stored (with its project) and the facts of its readiness, read
 * together. Given the milestone itself (a caller has just looked it up), it is not
 * read again; its runs, defects and sign-offs are read beside the state either way.
 */
export async function loadMilestoneReadiness(db: Database, milestoneOrId: string | MilestoneWithProject, now: Date) {
  const milestoneId = typeof milestoneOrId === 'string' ? milestoneOrId : milestoneOrId.id;
  const [milestone, runs, defectRows, signoffRows, counts, critical, scopeState] = await Promise.all([
    typeof milestoneOrId === 'string'
      ? db.prisma.milestone.findUniqueOrThrow({ where: { id: milestoneId }, include: { project: true } })
      : milestoneOrId,
    db.prisma.testRun.findMany({
      where: { milestoneId },
      select: { id: true, status: true, startedAt: true, createdAt: true, environment: { select: { name: true } } },
      orderBy: [{ startedAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
    }),
    db.prisma.defect.findMany({
      where: { milestoneId },
      select: { id: true, title: true, severity: true, status: true, jiraKey: true, waiverUntil: true },
    }),
    db.prisma.signoff.findMany({ where: { milestoneId }, orderBy: { createdAt: 'desc' } }),
    loadStateCounts(db, milestoneId),
    loadCriticalFailuresIfFewerCases(db, milestoneId, { sample: SAMPLE }),
    loadScopeState(db, milestoneId, { sample: SAMPLE }),
  ]);
  const defects = defectFacts(defectRows, now);
  const signoffs = latestSignoffs(signoffRows);
  // Fewer failures than critical cases: those are looked up from the failures instead.
  const criticalFailed =
    critical.found ?? (critical.failed ? await loadCriticalFailures(db, milestoneId, 'failures', { sample: SAMPLE }) : NONE);
  const live = runs.filter((r) => r.status !== 'ABORTED').map((r) => ({ env: r.environment?.name ?? DEFAULT_ENVIRONMENT }));
  const results = { passed: 0, failed: 0, blocked: 0, skipped: 0, flaky: 0 };
  const perEnv = new Map<string, { runs: number; executed: number; passed: number }>();
  const envOf = (name: string) => {
    let e = perEnv.get(name);
    if (!e) perEnv.set(name, (e = { runs: 0, executed: 0, passed: 0 }));
    return e;
  };
  for (const run of live) envOf(run.env).runs++;
  for (const row of counts) {
    const env = envOf(row.env);
    if (row.status === 'PASSED') {
      results.passed += row.n;
      if (row.flaky) results.flaky += row.n;
    } else if (row.status === 'FAILED') results.failed += row.n;
    else if (row.status === 'BLOCKED') results.blocked += row.n;
    else results.skipped += row.n;
    if (row.status !== 'SKIPPED') env.executed += row.n;
    if (row.status === 'PASSED') env.passed += row.n;
  }
  let criticalFailures = 0;
  for (const n of criticalFailed.counts.values()) criticalFailures += n;

  // The stored patterns are shown as they are; a scope that is not a JSON list fails here, loudly.
  const patterns = milestone.scope ? (JSON.parse(milestone.scope) as string[]) : null;
  const scope: ReadinessFacts['scope'] = patterns
    ? {
        patterns,
        inScope: scopeState.inScope,
        covered: scopeState.covered,
        untested: { count: scopeState.inScope - scopeState.covered, sample: scopeState.untested },
      }
    : null;

  const facts: ReadinessFacts = {
    milestone: { status: milestone.status, dueDate: milestone.dueDate, timeZone: milestone.timeZone },
    results,
    criticalFailures: { count: criticalFailures, sample: criticalFailed.sample },
    scope,
    runs: {
      total: runs.length,
      inProgress: runs.filter((r) => r.status === 'IN_PROGRESS').length,
      completed: runs.filter((r) => r.status === 'COMPLETED').length,
      aborted: runs.filter((r) => r.status === 'ABORTED').length,
    },
    defects,
    environments: [...perEnv].map(([name, e]) => ({ name, ...e })).sort((a, b) => a.name.localeCompare(b.name)),
    signoffs,
  };
  return { milestone, facts };
}

interface DefectRow {
  id: string;
  title: string;
  severity: ReadinessFacts['defects']['open'][number]['severity'];
  status: 'OPEN' | 'RESOLVED' | 'WAIVED';
  jiraKey: string | null;
  waiverUntil: Date | null;
}

function defectFacts(defects: DefectRow[], now: Date): ReadinessFacts['defects'] {
  const open: ReadinessFacts['defects']['open'] = [];
  let waived = 0;
  let resolved = 0;
  for (const d of defects) {
    if (isDefectOpen(d, now)) open.push({ id: d.id, title: d.title, severity: d.severity, jiraKey: d.jiraKey });
    else if (d.status === 'RESOLVED') resolved++;
    else waived++;
  }
  return { open, waived, resolved };
}

/** The latest sign-off per user, from sign-offs newest first. */
function latestSignoffs(
  rows: { slackUserId: string; decision: ReadinessFacts['signoffs'][number]['decision']; comment: string | null; createdAt: Date }[],
): ReadinessFacts['signoffs'] {
  const seen = new Set<string>();
  const latest: ReadinessFacts['signoffs'] = [];
  for (const s of rows) {
    if (seen.has(s.slackUserId)) continue;
    seen.add(s.slackUserId);
    latest.push({ userId: s.slackUserId, decision: s.decision, comment: s.comment, at: s.createdAt });
  }
  return latest;
}
