// Owners resolved from the ordered rules (the LAST match wins, as in GitHub's
// CODEOWNERS; patterns match as a scope's do), the rules checked whole, and
// the CODEOWNERS-style file: comments, escapes, and a bad line named by number.
import { describe, expect, it } from 'vitest';
import { checkOwnerRules, compileOwners, withOwnerRule, type OwnerRule } from '../../src/domain/owners.js';
import { formatOwnersFile, parseOwnersFile } from '../../src/domain/owners-file.js';
import { AppError } from '../../src/domain/errors.js';

const tc = (key: string, suite: string | null = null) => ({ key, suite });
const rule = (pattern: string, ...owners: string[]): OwnerRule => ({ pattern, owners });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    return (err as AppError).message;
  }
  throw new Error('expected a refusal');
}

describe('compileOwners', () => {
  const owners = compileOwners([
    rule('*', 'S0QA'),
    rule('checkout*', 'S0PAYMENTS'),
    rule('checkout::pays-by-card', 'U0ANN'),
    rule('checkout::legacy-*'),
  ]);

  it('the last matching rule wins, whatever came before it', () => {
    expect(owners.ownersOf(tc('checkout::pays-by-card', 'checkout'))).toEqual(['U0ANN']);
    expect(owners.ownersOf(tc('checkout::refunds', 'checkout'))).toEqual(['S0PAYMENTS']);
    expect(owners.ownersOf(tc('search::finds', 'search'))).toEqual(['S0QA']);
  });

  it('a later rule with no owners leaves its tests unowned', () => {
    expect(owners.ownersOf(tc('checkout::legacy-paypal', 'checkout'))).toEqual([]);
  });

  it('matches as a scope does: an exact pattern is one case key; a glob matches the key or the suite', () => {
    const o = compileOwners([rule('billing › refunds*', 'U0BILL'), rule('smoke', 'U0SMOKE')]);
    expect(o.ownersOf(tc('pays back', 'billing › refunds'))).toEqual(['U0BILL']);
    expect(o.ownersOf(tc('smoke'))).toEqual(['U0SMOKE']);
    expect(o.ownersOf(tc('other', 'smoke'))).toEqual([]);
    expect(o.ownersOf(tc('Smoke'))).toEqual([]);
  });

  it('no rules: nobody owns anything; many cases: every owner once, in the order met', () => {
    expect(compileOwners([]).ownersOf(tc('a'))).toEqual([]);
    expect(
      owners.ownersOfAll([tc('checkout::refunds'), tc('checkout::pays-by-card'), tc('x'), tc('checkout::again'), tc('checkout::legacy-a')]),
    ).toEqual(['S0PAYMENTS', 'U0ANN', 'S0QA']);
  });
});

describe('checkOwnerRules and withOwnerRule', () => {
  it('keeps the order, de-duplicates owners, and refuses a bad rule naming it', () => {
    expect(checkOwnerRules([rule('a*', 'U01', 'U01', 'S02'), rule('b')])).toEqual([rule('a*', 'U01', 'S02'), rule('b')]);
    expect(refusal(() => checkOwnerRules([rule('a'), rule('  ', 'U01')]))).toMatch(/^rule 2: the pattern is empty/);
    expect(refusal(() => checkOwnerRules([rule('a', 'ann')]))).toBe(
      'rule 1: "ann" is not a Slack user id (U… or W…) or user group id (S…).',
    );
    expect(refusal(() => checkOwnerRules([rule('a\tb', 'U01')]))).toMatch(/control character/);
    expect(refusal(() => checkOwnerRules([rule('x'.repeat(501), 'U01')]))).toMatch(/the limit is 500/);
  });

  it('refuses a pattern given twice: only the last would ever count', () => {
    expect(refusal(() => checkOwnerRules([rule('a*', 'U01'), rule('b'), rule('a*', 'U02')]))).toBe(
      'rule 3 repeats the pattern "a*" of rule 1; only the last would ever count. Put all its owners on one rule.',
    );
  });

  it('setting one pattern replaces its rule in place, or adds it last', () => {
    const rules = [rule('a*', 'U01'), rule('b', 'U02')];
    expect(withOwnerRule(rules, rule('a*', 'S03'))).toEqual([rule('a*', 'S03'), rule('b', 'U02')]);
    expect(withOwnerRule(rules, rule('c', 'U04'))).toEqual([...rules, rule('c', 'U04')]);
  });
});

describe('the CODEOWNERS-style file', () => {
  it('reads rules in order, with comments, blank lines, escaped spaces and a pattern alone (no owners)', () => {
    const text = [
      '\uFEFF# Owners of PAY',
      '',
      '*                        @S0QA',
      'checkout*   @S0PAYMENTS  @U0ANN   # the payments team',
      '  billing\\ ›\\ refunds*\t@W0BOB',
      'checkout::legacy-*',
      '\\#hash-key @U0HASH',
      'back\\\\slash @U0BACK',
    ].join('\r\n');
    expect(parseOwnersFile(text)).toEqual([
      rule('*', 'S0QA'),
      rule('checkout*', 'S0PAYMENTS', 'U0ANN'),
      rule('billing › refunds*', 'W0BOB'),
      rule('checkout::legacy-*'),
      rule('#hash-key', 'U0HASH'),
      rule('back\\slash', 'U0BACK'),
    ]);
  });

  it('writes a file that reads back to the same rules', () => {
    const rules = [rule('#x y', 'U01'), rule('a\\ b*', 'S02', 'U03'), rule('c')];
    expect(parseOwnersFile(formatOwnersFile(rules))).toEqual(rules);
    expect(formatOwnersFile([rule('checkout*', 'S0PAY')])).toBe('checkout* @S0PAY\n');
  });

  it('an owner that is not an @id is an error naming its line; so is a second space in a pattern written unescaped', () => {
    expect(refusal(() => parseOwnersFile('# ok\na* @U01\nb* @ann'))).toMatch(
      /^Line 3: "@ann" is not an owner\. Write owners as Slack ids after an @/,
    );
    expect(refusal(() => parseOwnersFile('a* U01'))).toMatch(/^Line 1: "U01" is not an owner/);
    expect(refusal(() => parseOwnersFile('billing › refunds* @U01'))).toMatch(/^Line 1: "›" is not an owner.*"\\ "/);
    expect(refusal(() => parseOwnersFile('a* ann@example.com'))).toMatch(/^Line 1: "ann@example.com" is not an owner/);
  });

  it('a repeated pattern names both lines', () => {
    expect(refusal(() => parseOwnersFile('a* @U01\n\n# c\na* @U02'))).toBe(
      'Line 4 repeats the pattern "a*" of Line 1; only the last would ever count. Put all its owners on one rule.',
    );
  });

  it('an empty file (or only comments) is no rules', () => {
    expect(parseOwnersFile('')).toEqual([]);
    expect(parseOwnersFile('# nothing yet\n\n')).toEqual([]);
  });
});
