// One test case as read from a JUnit report, and the pure rules that turn a
// <testcase> element's facts into it: status, key, duration, flakiness and the
// critical tag. No XML here, so the rules can be read and tested on their own.

/** The results' status set; JUnit has no "blocked", so the reader never yields BLOCKED. */
export type JUnitStatus = 'PASSED' | 'FAILED' | 'SKIPPED' | 'BLOCKED';

export interface JUnitCase {
  /** `classname::name`; the innermost suite's name stands in for a missing classname; just `name` when neither exists. */
  key: string;
  /** The testcase's `name`. */
  title: string;
  /** Names of the enclosing <testsuite>s, outermost first, joined with " › "; the classname when no suite has a name. */
  suite: string | null;
  status: JUnitStatus;
  durationMs: number | null;
  message: string | null;
  attempts: number;
  flaky: boolean;
  critical: boolean;
}

/** What the reader gathered inside one <testcase> before it closed. */
export interface CaseFacts {
  name: string;
  classname: string | null;
  time: string | undefined;
  outcome: 'FAILED' | 'SKIPPED' | null;
  message: string | null;
  /** Surefire's <flakyFailure>/<flakyError>: failed attempts before a pass. */
  flakes: number;
  /** Surefire's <rerunFailure>/<rerunError>: failed re-runs after a failure. */
  reruns: number;
  criticalProperty: boolean;
}

/** Where the case sits: suite names outermost first, empty names dropped. */
export interface CasePlace {
  suitePath: string | null;
  innermostSuite: string | null;
}

export const SUITE_SEPARATOR = ' › ';
/** Postgres `integer`, the column durations are stored in. */
const MAX_DURATION_MS = 2_147_483_647;
/**
 * The longest case key and name, in bytes of UTF-8. Names are kept whole (a
 * cut would merge two cases that differ after it), and the key is in a unique
 * index: PostgreSQL refuses btree entries over about 2,700 bytes. 2,000 leaves
 * room for the project id beside it and is far beyond any real test name.
 */
export const NAME_MAX_BYTES = 2000;

/** A case's key: `owner::name`, or just the name when there is no owner (classname or suite). */
export function caseKey(owner: string | null, name: string): string {
  return owner ? `${owner}::${name}` : name;
}

export function toJUnitCase(facts: CaseFacts, place: CasePlace): JUnitCase {
  const status = facts.outcome ?? 'PASSED';
  const owner = facts.classname ?? place.innermostSuite;
  return {
    key: caseKey(owner, facts.name),
    title: facts.name,
    suite: place.suitePath ?? facts.classname,
    status,
    durationMs: parseDuration(facts.time),
    message: status === 'PASSED' ? null : facts.message,
    // Surefire writes flaky elements only on passes and rerun elements only on
    // failures, so the sum is "1 + the one that applies" for every real report.
    attempts: 1 + facts.flakes + facts.reruns,
    flaky: status === 'PASSED' && facts.flakes > 0,
    // A tag on a describe block lands in the classname (mocha) rather than the name.
    critical: facts.criticalProperty || hasCriticalTag(facts.name) || (facts.classname !== null && hasCriticalTag(facts.classname)),
  };
}

/**
 * JUnit `time` is in seconds. Some locales write a decimal comma ("0,5");
 * old Surefire wrote thousands separators ("1,234.5"). Anything else that is
 * not a plain non-negative number (NaN, "1e999", "-1", hex) gives null rather
 * than a made-up duration. So does a time beyond the integer column (about 24.8
 * days): such a value is a reporter's bug (milliseconds written as seconds),
 * clamping would store a number nobody measured, and refusing the whole report
 * would fail a CI build over a field the verdict never reads. Null is stored
 * and shown as "unknown duration", which is what it is.
 */
export function parseDuration(time: string | undefined): number | null {
  if (time === undefined) return null;
  let t = time.trim();
  t = t.includes('.') ? t.replace(/,/g, '') : t.replace(',', '.');
  if (!/^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const ms = Math.round(Number(t) * 1000);
  return Number.isSafeInteger(ms) && ms <= MAX_DURATION_MS ? ms : null;
}

// "@critical" as a tag: not inside a word or another tag ("foo@critical",
// "@critical-path", "@criticality" are other things).
const CRITICAL_TAG = /(?<![\w@])@critical(?![\w-])/i;

export function hasCriticalTag(text: string): boolean {
  return CRITICAL_TAG.test(text);
}

const TRUE_WORDS = new Set(['true', '1', 'yes']);

/** A `critical` property's value: true, 1 or yes, in any case. */
export function isTrueValue(value: string): boolean {
  return TRUE_WORDS.has(value.trim().toLowerCase());
}

/** At most `max` UTF-16 units, never ending on half of a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}
