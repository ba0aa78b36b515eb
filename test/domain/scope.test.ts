import { describe, expect, it } from 'vitest';
import { compileScope, isGlob, validateScopePattern } from '../../src/domain/scope.js';

const tc = (key: string, suite: string | null = null) => ({ key, suite });

describe('compileScope', () => {
  it('matches exact keys, case-sensitively, on the key only', () => {
    const scope = compileScope(['checkout::pays by card']);
    expect(scope.matches(tc('checkout::pays by card'))).toBe(true);
    expect(scope.matches(tc('Checkout::pays by card'))).toBe(false);
    expect(scope.matches(tc('checkout::pays by card twice'))).toBe(false);
    expect(scope.matches(tc('other', 'checkout::pays by card'))).toBe(false);
  });

  it('* matches any run of characters, separators included', () => {
    const scope = compileScope(['checkout::*']);
    expect(scope.matches(tc('checkout::pay'))).toBe(true);
    expect(scope.matches(tc('checkout::'))).toBe(true);
    expect(scope.matches(tc('checkout::cards/visa.spec.ts::pays'))).toBe(true);
    expect(scope.matches(tc('checkout:pay'))).toBe(false);
    expect(scope.matches(tc('xcheckout::pay'))).toBe(false);
  });

  it('globs match the suite too', () => {
    const scope = compileScope(['billing › *']);
    expect(scope.matches(tc('refunds a card', 'billing › refunds'))).toBe(true);
    expect(scope.matches(tc('billing › refunds a card', null))).toBe(true);
    expect(scope.matches(tc('refunds a card', 'billing'))).toBe(false);
  });

  it('? matches exactly one character', () => {
    const scope = compileScope(['api::v?::get']);
    expect(scope.matches(tc('api::v1::get'))).toBe(true);
    expect(scope.matches(tc('api::v10::get'))).toBe(false);
    expect(scope.matches(tc('api::v::get'))).toBe(false);
  });

  it('everything else is literal, regular-expression characters included', () => {
    const scope = compileScope(['com.acme.CartTest::add(item)[0] +1 $x ^y |z {2} \\*']);
    expect(scope.matches(tc('com.acme.CartTest::add(item)[0] +1 $x ^y |z {2} \\anything'))).toBe(true);
    expect(scope.matches(tc('comXacme.CartTest::add(item)[0] +1 $x ^y |z {2} \\anything'))).toBe(false);
    expect(compileScope(['a.b*']).matches(tc('axb'))).toBe(false);
  });

  it('matches any of several patterns; blank patterns and stray spaces are ignored', () => {
    const scope = compileScope(['  login::sso ', '', 'checkout::*']);
    expect(scope.matches(tc('login::sso'))).toBe(true);
    expect(scope.matches(tc('checkout::x'))).toBe(true);
    expect(scope.matches(tc('search::x'))).toBe(false);
  });

  it('an empty scope matches nothing; * matches everything', () => {
    expect(compileScope([]).matches(tc('a'))).toBe(false);
    expect(compileScope(['*']).matches(tc('anything at all'))).toBe(true);
  });
});

describe('isGlob and validateScopePattern', () => {
  it('isGlob is true only with * or ?', () => {
    expect(isGlob('checkout::*')).toBe(true);
    expect(isGlob('v?')).toBe(true);
    expect(isGlob('checkout::pay.card[0]')).toBe(false);
  });

  it('refuses empty, blank and over-long patterns with a way out', () => {
    expect(validateScopePattern('')).toMatch(/empty: give a test case key/);
    expect(validateScopePattern('   ')).toMatch(/empty/);
    expect(validateScopePattern('x'.repeat(501))).toMatch(/501 characters long; the limit is 500/);
    expect(validateScopePattern('x'.repeat(500))).toBeNull();
    expect(validateScopePattern('checkout::*')).toBeNull();
  });
});
