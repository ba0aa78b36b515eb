// Aggregates a milestone's runs, results, defects and sign-offs into the facts
// the verdict is computed from (SPEC §2), in the database: result rows are
// never loaded. The current state is the latest result per (case, environment)
// across non-aborted runs; runs are few, so they are ranked here and the rank
// travels into one GROUP BY that both SQLite and PostgreSQL run the same way.
import type { Database } from './open-database.js';
import { compileScope } from '../domain/scope.js';
import type { ReadinessFacts } from '../domain/readiness.js';
import type { MilestoneStatus, SignoffDecision, Severity } from '../domain/types.js';

const STATUS_CODES = ['PASSED', 'FAILED', 'SKIPPED', 'BLOCKED'] as const;
const SAMPLE = 5;
export const DEFAULT_ENVIRONMENT = 'default';

interface RankedRun {
  id: string;
  rank: number;
  env: string;
}

export async function loadReadinessFacts(db: Database, milestoneId: string, now: Date): Promise<ReadinessFacts> {
  const prisma = db.prisma;
  const milestone = await prisma.milestone.findUniqueOrThrow({
    where: { id: milestoneId },
    select: { status: true, dueDate: true, timeZone: true, scope: true, projectId: true },
  });
  const runs = await prisma.testRun.findMany({
    where: { milestoneId },
    select: { id: true, status: true, startedAt: true, createdAt: true, environment: { select: { name: true } } },
    orderBy: [{ startedAt: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
  });
  // A newer run supersedes an older one: rank = position in start order.
  const live: RankedRun[] = runs
    .filter((r) => r.status !== 'ABORTED')
    .map((r, i) => ({ id: r.id, rank: i + 1, env: r.environment?.name ?? DEFAULT_ENVIRONMENT }));

  const current = live.length ? await currentState(db, live) : [];

  const results = { passed: 0, failed: 0, blocked: 0, skipped: 0, flaky: 0 };
  const perEnv = new Map<string, { runs: number; executed: number; passed: number }>();
  const envOf = (name: string) => {
    let e = perEnv.get(name);
    if (!e) perEnv.set(name, (e = { runs: 0, executed: 0, passed: 0 }));
    return e;
  };
  for (const run of live) envOf(run.env).runs++;
  let criticalFailures = 0;
  for (const row of current) {
    const env = envOf(row.env);
    if (row.status === 'PASSED') {
      results.passed += row.n;
      if (row.flaky) results.flaky += row.n;
    } else if (row.status === 'FAILED') {
      results.failed += row.n;
      if (row.critical) criticalFailures += row.n;
    } else if (row.status === 'BLOCKED') results.blocked += row.n;
    else results.skipped += row.n;
    if (row.status !== 'SKIPPED') env.executed += row.n;
    if (row.status === 'PASSED') env.passed += row.n;
  }

  const [sample, scope, defects, signoffs] = await Promise.all([
    criticalFailures ? criticalSample(db, live) : Promise.resolve([]),
    milestone.scope ? scopeFacts(db, milestone.projectId, JSON.parse(milestone.scope) as string[], live) : Promise.resolve(null),
    defectFacts(db, milestoneId, now),
    latestSignoffs(db, milestoneId),
  ]);

  return {
    milestone: { status: milestone.status as MilestoneStatus, dueDate: milestone.dueDate, timeZone: milestone.timeZone },
    results,
    criticalFailures: { count: criticalFailures, sample },
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
}

// ---- the current state, in SQL -------------------------------------------------

interface SqlParts {
  sql: string;
  params: string[];
}

function placeholders(db: Database) {
  let i = 0;
  return () => (db.provider === 'postgresql' ? `$${++i}` : '?');
}

/**
 * The latest result per (case, environment), as one packed integer per group:
 * MAX(rank·8 + status·2 + flaky) picks the newest run's result and carries its
 * status and flaky flag along, portably.
 */
function latestPerCaseEnv(db: Database, runs: RankedRun[]): SqlParts {
  const next = placeholders(db);
  const params: string[] = [];
  const bind = (value: string) => {
    params.push(value);
    return next();
  };
  const names = envNames(runs);
  // Placeholders are numbered in text order, so build the SQL left to right.
  const envCase = runs.map((r) => `WHEN ${bind(r.id)} THEN ${names.indexOf(r.env)}`).join(' ');
  const rankCase = runs.map((r) => `WHEN ${bind(r.id)} THEN ${r.rank}`).join(' ');
  const inList = runs.map((r) => bind(r.id)).join(', ');
  const status = `CASE r."status" ${STATUS_CODES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} END`;
  const sql = `SELECT x.case_id AS case_id, x.env_group AS env_group, MAX(x.packed) AS packed FROM (
      SELECT r."caseId" AS case_id,
             CASE r."runId" ${envCase} END AS env_group,
             (CASE r."runId" ${rankCase} END) * 8 + ${status} * 2 + CASE WHEN r."flaky" THEN 1 ELSE 0 END AS packed
        FROM "TestResult" r
       WHERE r."runId" IN (${inList})
    ) x GROUP BY x.case_id, x.env_group`;
  return { sql, params };
}

function envNames(runs: RankedRun[]): string[] {
  const names: string[] = [];
  for (const r of runs) if (!names.includes(r.env)) names.push(r.env);
  return names;
}

async function currentState(db: Database, runs: RankedRun[]) {
  const inner = latestPerCaseEnv(db, runs);
  const sql = `SELECT s.env_group AS env_group, s.packed % 8 AS code, c."critical" AS critical, COUNT(*) AS n
      FROM (${inner.sql}) s JOIN "TestCase" c ON c."id" = s.case_id
     GROUP BY s.env_group, s.packed % 8, c."critical"`;
  const rows = await db.prisma.$queryRawUnsafe<{ env_group: number | bigint; code: number | bigint; critical: boolean | number; n: number | bigint }[]>(
    sql,
    ...inner.params,
  );
  const names = envNames(runs);
  return rows.map((row) => {
    const code = Number(row.code);
    return {
      env: names[Number(row.env_group)]!,
      status: STATUS_CODES[Math.floor(code / 2)]!,
      flaky: code % 2 === 1,
      critical: Boolean(row.critical),
      n: Number(row.n),
    };
  });
}

async function criticalSample(db: Database, runs: RankedRun[]) {
  const inner = latestPerCaseEnv(db, runs);
  const sql = `SELECT c."key" AS key, c."title" AS title, s.env_group AS env_group
      FROM (${inner.sql}) s JOIN "TestCase" c ON c."id" = s.case_id
     WHERE c."critical" = ${db.provider === 'postgresql' ? 'true' : '1'} AND s.packed % 8 IN (2, 3)
     ORDER BY c."key" LIMIT ${SAMPLE}`;
  const rows = await db.prisma.$queryRawUnsafe<{ key: string; title: string; env_group: number | bigint }[]>(
    sql,
    ...inner.params,
  );
  const names = envNames(runs);
  return rows.map((r) => ({ key: r.key, title: r.title, environment: names[Number(r.env_group)]! }));
}

async function scopeFacts(db: Database, projectId: string, patterns: string[], runs: RankedRun[]) {
  const scope = compileScope(patterns);
  // Cases are far fewer than results; matching globs in JS keeps the SQL portable.
  const cases = await db.prisma.testCase.findMany({ where: { projectId }, select: { id: true, key: true, suite: true } });
  const inScope = cases.filter((c) => scope.matches(c));
  let covered = new Set<string>();
  if (inScope.length && runs.length) {
    const inner = latestPerCaseEnv(db, runs);
    // Executed = passed, failed or blocked: packed % 8 in 0,1 (passed), 2,3 (failed), 6,7 (blocked).
    const sql = `SELECT DISTINCT s.case_id AS case_id FROM (${inner.sql}) s WHERE s.packed % 8 NOT IN (4, 5)`;
    const rows = await db.prisma.$queryRawUnsafe<{ case_id: string }[]>(sql, ...inner.params);
    covered = new Set(rows.map((r) => r.case_id));
  }
  const untested = inScope.filter((c) => !covered.has(c.id)).map((c) => c.key).sort();
  return {
    patterns,
    inScope: inScope.length,
    covered: inScope.length - untested.length,
    untested: { count: untested.length, sample: untested.slice(0, SAMPLE) },
  };
}

async function defectFacts(db: Database, milestoneId: string, now: Date): Promise<ReadinessFacts['defects']> {
  const defects = await db.prisma.defect.findMany({
    where: { milestoneId },
    select: { id: true, title: true, severity: true, status: true, jiraKey: true, waiverUntil: true },
  });
  const open: ReadinessFacts['defects']['open'] = [];
  let waived = 0;
  let resolved = 0;
  for (const d of defects) {
    // An expired waiver makes the defect OPEN again (SPEC §1).
    const waiverLive = d.status === 'WAIVED' && (!d.waiverUntil || d.waiverUntil > now);
    if (d.status === 'RESOLVED') resolved++;
    else if (waiverLive) waived++;
    else open.push({ id: d.id, title: d.title, severity: d.severity as Severity, jiraKey: d.jiraKey });
  }
  return { open, waived, resolved };
}

async function latestSignoffs(db: Database, milestoneId: string): Promise<ReadinessFacts['signoffs']> {
  const rows = await db.prisma.signoff.findMany({ where: { milestoneId }, orderBy: { createdAt: 'desc' } });
  const seen = new Set<string>();
  const latest: ReadinessFacts['signoffs'] = [];
  for (const s of rows) {
    if (seen.has(s.slackUserId)) continue;
    seen.add(s.slackUserId);
    latest.push({ userId: s.slackUserId, decision: s.decision as SignoffDecision, comment: s.comment, at: s.createdAt });
  }
  return latest;
}
