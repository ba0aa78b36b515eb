// Owners (SPEC §11): a project's ordered list of rules, each a pattern over
// case keys and suites naming the Slack users and user groups who own the
// matching tests. As in GitHub's CODEOWNERS, the LAST rule that matches a case
// wins, so a general rule comes first and its exceptions after it; a rule with
// no owners makes its tests unowned. Patterns match exactly as a milestone's
// scope does (domain/scope.ts): without * or ? a pattern is one case key; with
// them it matches the case key or the suite. Ids only (U…/W… users, S…
// groups): mentions are built by the edges from these checked ids, never from text.
import { isApproverId, MAX_APPROVERS } from './approvers.js';
import { AppError } from './errors.js';
import { compileScope, MAX_SCOPE_PATTERN_LENGTH, type ScopedCase } from './scope.js';

export interface OwnerRule {
  pattern: string;
  /** Slack user ids (U…, W…) and user group ids (S…), in the order given; may be empty. */
  owners: string[];
}

export const MAX_OWNER_RULES = 500;
export const MAX_OWNERS_PER_RULE = MAX_APPROVERS;
export const MAX_OWNER_PATTERN_LENGTH = MAX_SCOPE_PATTERN_LENGTH;

/** Same ids as approvers: a Slack user (U…, W…) or user group (S…). */
export function isOwnerId(id: string): boolean {
  return isApproverId(id);
}

// Control characters cannot be typed in Slack, a file line or a case key Shipgate would store usefully.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** What is wrong with one rule, in words for the user (naming it as `where` says), or null when it is usable. */
export function ownerRuleProblem(rule: OwnerRule, where: string): string | null {
  const pattern = rule.pattern;
  if (pattern.trim() === '')
    return `${where}: the pattern is empty; give a case key such as checkout::pays-by-card, or a pattern such as checkout::*.`;
  if (pattern !== pattern.trim()) return `${where}: the pattern "${show(pattern)}" starts or ends with a space; remove it.`;
  if (pattern.length > MAX_OWNER_PATTERN_LENGTH)
    return `${where}: the pattern is ${pattern.length} characters long; the limit is ${MAX_OWNER_PATTERN_LENGTH}. Use * for the varying part, e.g. checkout::*.`;
  if (CONTROL.test(pattern)) return `${where}: the pattern holds a control character (a tab or line break); use ? for one character.`;
  const bad = rule.owners.filter((id) => !isOwnerId(id));
  if (bad.length) {
    return `${where}: ${bad
      .slice(0, 5)
      .map((id) => `"${show(id)}"`)
      .join(', ')} ${bad.length === 1 ? 'is' : 'are'} not a Slack user id (U… or W…) or user group id (S…).`;
  }
  if (new Set(rule.owners).size > MAX_OWNERS_PER_RULE)
    return `${where}: at most ${MAX_OWNERS_PER_RULE} owners per rule; name a user group for more people.`;
  return null;
}

/**
 * The list to store: each rule checked, owners de-duplicated in the order
 * given. Refused whole, with what works, when a rule is bad, a pattern repeats
 * (only the last of the two would ever count) or there are too many.
 * `name(i)` says how the user knows rule i ("rule 3", "line 12").
 */
export function checkOwnerRules(rules: readonly OwnerRule[], name: (index: number) => string = (i) => `rule ${i + 1}`): OwnerRule[] {
  if (rules.length > MAX_OWNER_RULES)
    throw new AppError(
      'VALIDATION_FAILED',
      `${rules.length} owner rules; the limit is ${MAX_OWNER_RULES}. Use * to cover many cases in one rule.`,
    );
  const seen = new Map<string, number>();
  const out: OwnerRule[] = [];
  for (const [i, rule] of rules.entries()) {
    const problem = ownerRuleProblem(rule, name(i));
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
    const earlier = seen.get(rule.pattern);
    if (earlier !== undefined) {
      throw new AppError(
        'VALIDATION_FAILED',
        `${name(i)} repeats the pattern "${show(rule.pattern)}" of ${name(earlier)}; only the last would ever count. Put all its owners on one rule.`,
      );
    }
    seen.set(rule.pattern, i);
    out.push({ pattern: rule.pattern, owners: [...new Set(rule.owners)] });
  }
  return out;
}

/** The stored owners of a rule (JSON text); anything unreadable counts as none. */
export function parseOwnerIds(stored: string | null | undefined): string[] {
  try {
    const list: unknown = JSON.parse(stored ?? '[]');
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string' && isOwnerId(id)) : [];
  } catch {
    return [];
  }
}

export interface CompiledOwners {
  /** The owners of a case: those of the last rule that matches it; [] when none matches (or it names none). */
  ownersOf(testCase: ScopedCase): string[];
  /** Every owner of these cases, each once, in the order first met. */
  ownersOfAll(cases: Iterable<ScopedCase>): string[];
}

/** Compiles the rules once (through scope's matcher) for resolving many cases. */
export function compileOwners(rules: readonly OwnerRule[]): CompiledOwners {
  const compiled = rules.map((r) => ({ matcher: compileScope([r.pattern]), owners: r.owners }));
  const ownersOf = (testCase: ScopedCase): string[] => {
    for (let i = compiled.length - 1; i >= 0; i--) if (compiled[i]!.matcher.matches(testCase)) return compiled[i]!.owners;
    return [];
  };
  return {
    ownersOf,
    ownersOfAll(cases) {
      const all = new Set<string>();
      if (compiled.length === 0) return [];
      for (const c of cases) for (const id of ownersOf(c)) all.add(id);
      return [...all];
    },
  };
}

/** Rules with one pattern's rule set: replaced where it stands, or added last (so it wins over the rules before it). */
export function withOwnerRule(rules: readonly OwnerRule[], rule: OwnerRule): OwnerRule[] {
  const at = rules.findIndex((r) => r.pattern === rule.pattern);
  return at < 0 ? [...rules, rule] : rules.map((r, i) => (i === at ? rule : r));
}

function show(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
