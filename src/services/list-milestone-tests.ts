// Which tests fail (or pass, skip, block) in a milestone now: its current state
// per (case, environment), a page at a time, each with the run where that state
// began. Failed first, then by case key and environment; the cursor is opaque
// to clients and carries only the position of the last row of the page.
import { AppError } from '../domain/errors.js';
import { DEFAULT_ENVIRONMENT } from '../db/current-state.js';
import {
  countMilestoneTests,
  loadMilestoneTests,
  positionOf,
  type MilestoneTestsFilter,
  type TestsPosition,
  type TestStatus,
} from '../db/milestone-tests-query.js';
import { loadFlakiness } from '../db/flaky-cases-query.js';
import { loadFlakyPairs } from '../db/flaky-case-facts.js';
import { loadRegressions, type Regression } from '../db/regressions-query.js';
import { loadOwnerRules } from '../db/owner-rules.js';
import { compileOwners } from '../domain/owners.js';
import type { ServiceDeps } from './service-deps.js';
import { quarantinesOfCases } from './list-quarantines.js';
import { isQuarantineInForce } from '../domain/quarantine.js';

export const TESTS_PAGE_DEFAULT = 50;
export const TESTS_PAGE_MAX = 200;

export interface ListMilestoneTestsOptions {
  milestoneId: string;
  projectId: string;
  filter: MilestoneTestsFilter;
  cursor?: string;
  limit?: number;
}

export interface RunRef {
  id: string;
  name: string;
  url: string | null;
  startedAt: string;
}

export interface MilestoneTestView {
  key: string;
  title: string;
  suite: string | null;
  environment: string;
  status: TestStatus;
  message: string | null;
  /** The current result passed only after failing first (a retry within its run). */
  flaky: boolean;
  /** Over its last 20 passed or failed results across the milestone's runs (SPEC §10). */
  flakiness: { flipRate: number; flips: number; flaky: boolean };
  critical: boolean;
  /**
   * For a failing test: `new` when its previous result passed (newly failing), `still` when it failed
   * too (failing since `since`); null otherwise, and for a failure with nothing to compare with.
   */
  regression: Regression | null;
  /** Slack user and group ids owning its case: the project's last owner rule matching its key or suite; [] when none. */
  owners: string[];
  /**
   * The case's quarantine when it is in force (SPEC §10: not expired, the case not critical), so
   * its failures are left out of the pass rate; null otherwise. `by` as the older "who" columns keep it.
   */
  quarantine: { reason: string; until: string; by: string } | null;
  /** The run where this status began: the oldest of the unbroken streak of results with this status. */
  since: RunRef;
  /** The run the current result came from. */
  latestRun: RunRef;
}

export interface MilestoneTestsPage {
  tests: MilestoneTestView[];
  /** How many (case, environment) pairs the filters select, on every page. */
  total: number;
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

const CURSOR_VERSION = 1;

export function encodeTestsCursor(p: TestsPosition): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, p.rank, p.key, p.environment]), 'utf8').toString('base64url');
}

export function decodeTestsCursor(cursor: string): TestsPosition {
  const bad = () =>
    new AppError(
      'VALIDATION_FAILED',
      'Invalid query: cursor: not a cursor this endpoint gave out. Pass the nextCursor of the previous page unchanged, or leave cursor out for the first page.',
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw bad();
  const [version, rank, key, environment] = parsed as unknown[];
  if (version !== CURSOR_VERSION || (rank !== 0 && rank !== 1) || typeof key !== 'string' || typeof environment !== 'string') throw bad();
  return { rank, key, environment };
}

export async function listMilestoneTests(deps: ServiceDeps, options: ListMilestoneTestsOptions): Promise<MilestoneTestsPage> {
  const limit = options.limit ?? TESTS_PAGE_DEFAULT;
  const after = options.cursor === undefined ? null : decodeTestsCursor(options.cursor);
  if (options.filter.environment !== undefined) await checkEnvironment(deps, options.projectId, options.filter.environment);

  // `flaky` selects retried passes and cases flaky across runs; the latter are found first, in SQL.
  const filter = { ...options.filter };
  if (filter.flaky !== undefined) filter.flakyPairs = await loadFlakyPairs(deps.db, options.milestoneId);
  if (filter.regression !== undefined) {
    const kind = filter.regression;
    filter.regressionPairs = (await loadRegressions(deps.db, options.milestoneId)).filter((p) => p.regression === kind);
  }
  // One row more than the page says whether there is a next page.
  const [rows, total] = await Promise.all([
    loadMilestoneTests(deps.db, options.milestoneId, { filter, after, limit: limit + 1 }),
    countMilestoneTests(deps.db, options.milestoneId, filter),
  ]);
  const page = rows.slice(0, limit);
  const [flakyRows, regressionRows, ownerRules, quarantines] = await Promise.all([
    loadFlakiness(deps.db, options.milestoneId, { pairs: page }),
    loadRegressions(deps.db, options.milestoneId, { pairs: page.filter((r) => r.status === 'FAILED') }),
    loadOwnerRules(deps.db.prisma, options.projectId),
    quarantinesOfCases(
      deps,
      page.map((r) => r.caseId),
    ),
  ]);
  const owners = compileOwners(ownerRules);
  const now = deps.now();
  const quarantineOf = (r: { caseId: string; critical: boolean }) => {
    const q = quarantines.get(r.caseId);
    return q && !r.critical && isQuarantineInForce(q, now) ? { reason: q.reason, until: q.until.toISOString(), by: q.createdBy } : null;
  };
  const flakiness = new Map(flakyRows.map((f) => [`${f.caseId}\u0000${f.environment}`, f]));
  const regressions = new Map(regressionRows.map((f) => [`${f.caseId}\u0000${f.environment}`, f.regression]));
  const runIds = [...new Set(page.flatMap((r) => [r.runId, r.sinceRunId]))];
  const runs = await deps.db.prisma.testRun.findMany({
    where: { id: { in: runIds } },
    select: { id: true, name: true, url: true, startedAt: true },
  });
  const runById = new Map(runs.map((r) => [r.id, { id: r.id, name: r.name, url: r.url, startedAt: r.startedAt.toISOString() }]));
  const last = page.at(-1);
  return {
    tests: page.map((r) => ({
      key: r.key,
      title: r.title,
      suite: r.suite,
      environment: r.environment,
      status: r.status,
      message: r.message,
      flaky: r.flaky,
      flakiness: scoreOf(flakiness.get(`${r.caseId}\u0000${r.environment}`)),
      critical: r.critical,
      regression: regressions.get(`${r.caseId}\u0000${r.environment}`) ?? null,
      owners: owners.ownersOf({ key: r.key, suite: r.suite }),
      quarantine: quarantineOf(r),
      since: runById.get(r.sinceRunId)!,
      latestRun: runById.get(r.runId)!,
    })),
    total,
    nextCursor: rows.length > limit && last ? encodeTestsCursor(positionOf(last)) : null,
  };
}

function scoreOf(f: { flipRate: number; flips: number; flaky: boolean } | undefined): MilestoneTestView['flakiness'] {
  return f ? { flipRate: f.flipRate, flips: f.flips, flaky: f.flaky } : { flipRate: 0, flips: 0, flaky: false };
}

// Environments named in the message; details carries them all.
const MAX_NAMED = 20;

/** A name that is not one of the project's environments is most likely a typo: say which ones there are. */
async function checkEnvironment(deps: ServiceDeps, projectId: string, name: string): Promise<void> {
  if (name === DEFAULT_ENVIRONMENT) return;
  const envs = await deps.db.prisma.environment.findMany({ where: { projectId }, select: { name: true }, orderBy: { name: 'asc' } });
  if (envs.some((e) => e.name === name)) return;
  const known = [...envs.map((e) => e.name), DEFAULT_ENVIRONMENT];
  const shown = known.length > MAX_NAMED ? [...known.slice(0, MAX_NAMED), '…'] : known;
  throw new AppError(
    'VALIDATION_FAILED',
    `Invalid query: environment: this project has no environment "${name}"; use one of ${shown.map((n) => (n === '…' ? n : `"${n}"`)).join(', ')} (names are exact), or leave environment out for all.`,
    { environments: known },
  );
}
