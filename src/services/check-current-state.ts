// Checks a milestone's kept current state (CurrentResult) against the state its
// result history derives (deriveCurrentState), and its scope's kept cases
// (ScopeCase) against the scope matched afresh over the project's cases
// (domain/scope.ts) with coverage from that derived state, and its kept flaky
// pairs (FlakyCase) against those its history gives; on request rebuilds all
// three: what `shipgate doctor` runs. Drift should never happen (both are
// written in the same transaction as what changes them); this is how to prove
// it, or repair it after a manual edit or a restore of one table without the other.
import { rebuildMilestone } from '../db/current-state.js';
import { loadFlakiness } from '../db/flaky-cases-query.js';
import { deriveCurrentState, readCurrentState, type StateRow } from '../db/derive-current-state.js';
import { casesInScope, loadProjectCases, scopePatterns } from '../db/scope-cases.js';
import type { ServiceDeps } from './service-deps.js';

export interface ScopeDrift {
  /** Scope cases the scope and the derived state give. */
  expected: number;
  missing: number;
  extra: number;
  /** Present in both with another coverage (or key). */
  changed: number;
}

export interface StateDrift {
  /** Rows the history derives. */
  expected: number;
  missing: number;
  extra: number;
  /** Rows present in both with another run, status or flaky flag. */
  changed: number;
  scope: ScopeDrift;
  flaky: FlakyDrift;
  repaired: boolean;
}

/** The flaky pairs kept (FlakyCase) against those the result history gives (loadFlakiness). */
export interface FlakyDrift {
  expected: number;
  missing: number;
  extra: number;
  /** Present in both with other counts. */
  changed: number;
}

export interface ScopeCaseRow {
  caseId: string;
  key: string;
  covered: boolean;
}

const keyOf = (r: StateRow) => `${r.caseId}\u0000${r.environment}`;

export function compareStates(kept: StateRow[], derived: StateRow[]): Omit<StateDrift, 'repaired' | 'scope' | 'flaky'> {
  const keptByKey = new Map(kept.map((r) => [keyOf(r), r]));
  let missing = 0;
  let changed = 0;
  for (const want of derived) {
    const have = keptByKey.get(keyOf(want));
    if (!have) missing++;
    else {
      keptByKey.delete(keyOf(want));
      if (have.runId !== want.runId || have.status !== want.status || have.flaky !== want.flaky) changed++;
    }
  }
  return { expected: derived.length, missing, extra: keptByKey.size, changed };
}

export function compareScopes(kept: ScopeCaseRow[], derived: ScopeCaseRow[]): ScopeDrift {
  const keptById = new Map(kept.map((r) => [r.caseId, r]));
  let missing = 0;
  let changed = 0;
  for (const want of derived) {
    const have = keptById.get(want.caseId);
    if (!have) missing++;
    else {
      keptById.delete(want.caseId);
      if (have.covered !== want.covered || have.key !== want.key) changed++;
    }
  }
  return { expected: derived.length, missing, extra: keptById.size, changed };
}

export interface FlakyRow {
  caseId: string;
  environment: string;
  results: number;
  flips: number;
  retried: number;
}

export function compareFlaky(kept: FlakyRow[], derived: FlakyRow[]): FlakyDrift {
  const keyOfPair = (r: FlakyRow) => `${r.caseId}\u0000${r.environment}`;
  const keptByKey = new Map(kept.map((r) => [keyOfPair(r), r]));
  let missing = 0;
  let changed = 0;
  for (const want of derived) {
    const have = keptByKey.get(keyOfPair(want));
    if (!have) missing++;
    else {
      keptByKey.delete(keyOfPair(want));
      if (have.results !== want.results || have.flips !== want.flips || have.retried !== want.retried) changed++;
    }
  }
  return { expected: derived.length, missing, extra: keptByKey.size, changed };
}

export const hasDrift = (d: Omit<StateDrift, 'repaired'>) =>
  d.missing + d.extra + d.changed + d.scope.missing + d.scope.extra + d.scope.changed + d.flaky.missing + d.flaky.extra + d.flaky.changed >
  0;

/** The scope's cases as kept (ScopeCase). */
export async function readScopeCases(deps: Pick<ServiceDeps, 'db'>, milestoneId: string): Promise<ScopeCaseRow[]> {
  return deps.db.prisma.scopeCase.findMany({ where: { milestoneId }, select: { caseId: true, key: true, covered: true } });
}

/** The scope's cases as the stored scope names them now, covered as the given current state says. */
export async function deriveScopeCases(deps: Pick<ServiceDeps, 'db'>, milestoneId: string, state: StateRow[]): Promise<ScopeCaseRow[]> {
  const milestone = await deps.db.prisma.milestone.findUniqueOrThrow({
    where: { id: milestoneId },
    select: { projectId: true, scope: true },
  });
  const patterns = scopePatterns(milestone.scope);
  if (!patterns?.length) return [];
  const executed = new Set(state.filter((r) => r.status !== 'SKIPPED').map((r) => r.caseId));
  const cases = await loadProjectCases(deps.db.prisma, deps.db.provider, milestone.projectId);
  return casesInScope(patterns, cases).map((c) => ({ caseId: c.id, key: c.key, covered: executed.has(c.id) }));
}

export async function checkCurrentState(deps: ServiceDeps, options: { milestoneId: string; repair: boolean }): Promise<StateDrift> {
  const [kept, derived, keptScope, keptFlaky, derivedFlaky] = await Promise.all([
    readCurrentState(deps.db, options.milestoneId),
    deriveCurrentState(deps.db, options.milestoneId),
    readScopeCases(deps, options.milestoneId),
    deps.db.prisma.flakyCase.findMany({ where: { milestoneId: options.milestoneId } }),
    loadFlakiness(deps.db, options.milestoneId),
  ]);
  const drift = {
    ...compareStates(kept, derived),
    scope: compareScopes(keptScope, await deriveScopeCases(deps, options.milestoneId, derived)),
    flaky: compareFlaky(
      keptFlaky,
      derivedFlaky.map((f) => ({ ...f, retried: f.retriedPasses })),
    ),
  };
  if (!hasDrift(drift) || !options.repair) return { ...drift, repaired: false };
  await deps.db.prisma.$transaction((tx) => rebuildMilestone(tx, deps.db.provider, options.milestoneId, deps.now()), {
    timeout: 10 * 60_000,
    maxWait: 30_000,
  });
  return { ...drift, repaired: true };
}
