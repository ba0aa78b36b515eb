// Changes a project's owner rules (SPEC §11 Owners): the whole list replaced
// (the API's PUT, the CLI's file import), or one pattern's rule set or removed
// (Slack). Each change is checked whole, written with its audit entry
// (project.owners: the list before and after) in one transaction, and two
// changes of one project take turns, so neither is lost.
import { changedFields, type Actor } from '../domain/audit.js';
import { AppError } from '../domain/errors.js';
import { checkOwnerRules, withOwnerRule, type OwnerRule } from '../domain/owners.js';
import { recordAudit } from '../db/audit-trail.js';
import { loadOwnerRules, lockOwnerRules, replaceOwnerRules } from '../db/owner-rules.js';
import type { ServiceDeps } from './service-deps.js';

export interface OwnerRulesChange {
  /** The list as it stands after the change. */
  rules: OwnerRule[];
  /** Whether anything changed (the same list again writes nothing, not even an audit entry). */
  changed: boolean;
}

/** Replaces the whole list; `name(i)` names rule i in an error (the CLI says "Line 12"). */
export function setOwnerRules(
  deps: ServiceDeps,
  options: { projectId: string; rules: readonly OwnerRule[]; actor: Actor; name?: (index: number) => string },
): Promise<OwnerRulesChange> {
  const rules = checkOwnerRules(options.rules, options.name);
  return changeOwnerRules(deps, options, () => rules);
}

/** Sets the owners of one pattern: its rule keeps its place, or a new one is added last. */
export function setOwnerRule(deps: ServiceDeps, options: { projectId: string; rule: OwnerRule; actor: Actor }): Promise<OwnerRulesChange> {
  return changeOwnerRules(deps, options, (current) => checkOwnerRules(withOwnerRule(current, options.rule)));
}

/** Removes the rule of one pattern; NOT_FOUND (naming the patterns there are) when there is none. */
export function removeOwnerRule(
  deps: ServiceDeps,
  options: { projectId: string; pattern: string; actor: Actor },
): Promise<OwnerRulesChange> {
  return changeOwnerRules(deps, options, (current) => {
    const next = current.filter((r) => r.pattern !== options.pattern);
    if (next.length === current.length) {
      const there = current.slice(0, 10).map((r) => r.pattern);
      throw new AppError(
        'NOT_FOUND',
        `No owner rule has the pattern "${options.pattern.slice(0, 80)}"; nothing was changed. ${
          there.length
            ? `The patterns are: ${there.join(', ')}${current.length > there.length ? ', …' : ''}.`
            : 'The project has no owner rules.'
        }`,
      );
    }
    return next;
  });
}

async function changeOwnerRules(
  deps: ServiceDeps,
  options: { projectId: string; actor: Actor },
  next: (current: OwnerRule[]) => OwnerRule[],
): Promise<OwnerRulesChange> {
  const now = deps.now();
  return deps.db.prisma.$transaction(async (tx) => {
    await lockOwnerRules(tx, deps.db.provider, options.projectId);
    const current = await loadOwnerRules(tx, options.projectId);
    const rules = next(current);
    const change = changedFields('project.owners', { rules: current.map(plain) }, { rules: rules.map(plain) });
    if (!change) return { rules: current, changed: false };
    await replaceOwnerRules(tx, options.projectId, rules);
    await recordAudit(tx, { projectId: options.projectId }, options.actor, [change], now);
    return { rules, changed: true };
  });
}

function plain(r: OwnerRule) {
  return { pattern: r.pattern, owners: r.owners };
}
