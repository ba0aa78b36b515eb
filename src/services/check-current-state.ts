// Checks a milestone's kept current state (CurrentResult) against the state its
// result history derives (deriveCurrentState), and on request rebuilds it: what
// `shipgate doctor` runs. Drift should never happen (the state is written in the
// same transaction as what changes it); this is how to prove it, or repair it
// after a manual edit or a restore of one table without the other.
import { rebuildMilestone } from '../db/current-state.js';
import { deriveCurrentState, readCurrentState, type StateRow } from '../db/derive-current-state.js';
import type { ServiceDeps } from './service-deps.js';

export interface StateDrift {
  /** Rows the history derives. */
  expected: number;
  missing: number;
  extra: number;
  /** Rows present in both with another run, status or flaky flag. */
  changed: number;
  repaired: boolean;
}

const keyOf = (r: StateRow) => `${r.caseId}\u0000${r.environment}`;

export function compareStates(kept: StateRow[], derived: StateRow[]): Omit<StateDrift, 'repaired'> {
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

export const hasDrift = (d: Omit<StateDrift, 'repaired'>) => d.missing + d.extra + d.changed > 0;

export async function checkCurrentState(deps: ServiceDeps, options: { milestoneId: string; repair: boolean }): Promise<StateDrift> {
  const [kept, derived] = await Promise.all([
    readCurrentState(deps.db, options.milestoneId),
    deriveCurrentState(deps.db, options.milestoneId),
  ]);
  const drift = compareStates(kept, derived);
  if (!hasDrift(drift) || !options.repair) return { ...drift, repaired: false };
  await deps.db.prisma.$transaction((tx) => rebuildMilestone(tx, deps.db.provider, options.milestoneId), {
    timeout: 10 * 60_000,
    maxWait: 30_000,
  });
  return { ...drift, repaired: true };
}
