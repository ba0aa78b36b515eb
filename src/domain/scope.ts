// Milestone scope: the test cases that must run, named by exact case
// key or by glob over case keys and suites. Globs are deliberately minimal —
// `*` is any run of characters (separators included, since keys look like
// `checkout::pay` or `billing › refunds`), `?` is one character, and nothing
// else is special, so a key containing brackets or dots is matched literally.

export const MAX_SCOPE_PATTERN_LENGTH = 500;

export interface ScopedCase {
  key: string;
  suite: string | null;
}

export interface CompiledScope {
  matches(testCase: ScopedCase): boolean;
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Returns what is wrong with a pattern, in words for the user, or null when it is usable. */
export function validateScopePattern(pattern: string): string | null {
  if (pattern.trim() === '') {
    return 'A scope pattern is empty: give a test case key such as checkout::pays-by-card, or a pattern such as checkout::*.';
  }
  if (pattern.length > MAX_SCOPE_PATTERN_LENGTH) {
    return `A scope pattern is ${pattern.length} characters long; the limit is ${MAX_SCOPE_PATTERN_LENGTH}. Use a shorter pattern with * for the varying part, e.g. checkout::*.`;
  }
  return null;
}

/** Anchored, case-sensitive regular expression for one glob. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  // `s` so that `*` also spans line breaks in odd keys; `u` so `?` is one code point, not half of one.
  return new RegExp(`^${source}$`, 'su');
}

/**
 * Compiles patterns once for matching many cases. Patterns are trimmed (a
 * pasted list often carries stray spaces) and blank ones ignored. Exact keys
 * match the case key only; globs match the key or the suite.
 */
export function compileScope(patterns: readonly string[]): CompiledScope {
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim();
    if (pattern === '') continue;
    if (isGlob(pattern)) globs.push(globToRegExp(pattern));
    else exact.add(pattern);
  }
  return {
    matches({ key, suite }) {
      if (exact.has(key)) return true;
      return globs.some((re) => re.test(key) || (suite !== null && re.test(suite)));
    },
  };
}
