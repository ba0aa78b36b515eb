// `--format markdown` of `shipgate check` and `shipgate digest`: what a CI job
// summary shows. Test names, messages, defect titles and reasons come from CI
// and people, so none of them may become markup: no HTML, no link or image, no
// emphasis, no table, no heading, no list of its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, markdownCheck, markdownDigest } from '../../src/cli/format-markdown.js';
import type { FailingTest, MilestoneReport } from '../../src/cli/milestone-report.js';
import { readinessMetrics } from '../helpers/readiness-views.js';
import { brokenCharacters } from '../helpers/slack-markup.js';

const FAMILY = '👨‍👩‍👧';
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<!-- hide the rest',
  '**bold** _em_ ~~gone~~ `code`',
  '[click](https://evil.example) ![pic](https://evil.example/x.png)',
  '| a | b |',
  '# Heading',
  '- list',
  '1. ordered',
  '$x^2$ &amp; &lt;',
  'back\\slash\\',
];

const run = (name: string) => ({ id: `r-${name}`, name, url: null, startedAt: '2026-11-20T10:00:00.000Z' });

function failingTest(key: string, over: Partial<FailingTest> = {}): FailingTest {
  return {
    key,
    title: key,
    suite: null,
    environment: 'staging',
    status: 'FAILED',
    message: 'expected 200, got 500',
    flaky: false,
    flakiness: { flipRate: 0, flips: 0, flaky: false },
    critical: false,
    regression: null,
    owners: [],
    quarantine: null,
    since: run('CI #40'),
    latestRun: run('CI #42'),
    ...over,
  };
}

function report(over: Partial<MilestoneReport> = {}): MilestoneReport {
  return {
    milestone: { id: 'm1', name: '2.4', projectKey: 'PAY', status: 'ACTIVE', dueDate: null, timeZone: 'UTC', completedAt: null },
    verdict: 'NO_GO',
    reasons: [
      { code: 'RUNS_IN_PROGRESS', severity: 'risk', message: '1 test run still in progress: results may still change' },
      { code: 'BLOCKING_DEFECT_OPEN', severity: 'blocker', message: '1 blocking defect open: PAY-12 Login fails on Safari (HIGH)' },
    ],
    metrics: readinessMetrics(),
    policy: { blockingSeverities: ['CRITICAL', 'HIGH'] },
    evaluatedAt: '2026-11-22T10:00:00.000Z',
    blockingDefects: [{ id: 'd1', title: 'Login fails on Safari', severity: 'HIGH', status: 'OPEN', jira: { key: 'PAY-12' } }],
    failingTests: {
      total: 2,
      tests: [failingTest('auth::login', { critical: true }), failingTest('cart::totals', { environment: 'production' })],
    },
    ...over,
  };
}

/** The text again from its escaped form: backslash escapes and the three entities undone. */
function unescape(md: string): string {
  return md
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Marks that would be markup in escaped text: HTML's < and >, or a markdown mark not behind a backslash. */
function liveMarks(md: string): string[] {
  const marks: string[] = [];
  for (let i = 0; i < md.length; i++) {
    const c = md[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if ('<>`*_[]|~$#!'.includes(c)) marks.push(c);
  }
  if (/^[-+]|^\d+[.)]/.test(md)) marks.push('list marker');
  return marks;
}

describe('escapeMarkdown', () => {
  it('leaves no live mark in any text, and loses nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const md = escapeMarkdown(s);
        expect(liveMarks(md)).toEqual([]);
        expect(unescape(md)).toBe(s);
      }),
      { seed: 13, numRuns: 500 },
    );
    for (const s of HOSTILE) {
      expect(liveMarks(escapeMarkdown(s))).toEqual([]);
      expect(unescape(escapeMarkdown(s))).toBe(s);
    }
  });

  it('reads plainly where nothing needs escaping', () => {
    expect(escapeMarkdown('checkout::pays by card (EUR) on 2026-11-20, 3.5 s')).toBe('checkout::pays by card (EUR) on 2026-11-20, 3.5 s');
    expect(escapeMarkdown('<b>')).toBe('&lt;b&gt;');
    expect(escapeMarkdown('[x](y)')).toBe('\\[x\\](y)');
  });
});

describe('markdownCheck', () => {
  it('the verdict, the gate, the reasons, the blocking defects and the failing tests with where, since when and the message', () => {
    expect(markdownCheck(report(), false)).toBe(
      [
        '### 🔴 NO-GO: PAY/2.4',
        '',
        'Not ready to ship. **Not allowed**: NO_GO does not pass this gate (allow it with `--allow NO_GO`).',
        '',
        'Pass rate: 91% (182/200 executed passed) · 18 failed · 3 skipped · 2 flaky  ',
        'Due: no due date',
        '',
        '**Blockers**',
        '',
        '- 1 blocking defect open: PAY-12 Login fails on Safari (HIGH)',
        '',
        '**Risks**',
        '',
        '- 1 test run still in progress: results may still change',
        '',
        '**Blocking defects (1)**',
        '',
        '- **HIGH** PAY-12 Login fails on Safari',
        '',
        '**Failing tests (2)**',
        '',
        '- **auth::login** (staging, since CI \\#40, critical): expected 200, got 500',
        '- **cart::totals** (production, since CI \\#40): expected 200, got 500',
      ].join('\n'),
    );
    expect(markdownCheck(report({ verdict: 'GO', reasons: [], blockingDefects: [], failingTests: { total: 0, tests: [] } }), true)).toBe(
      [
        '### 🟢 GO: PAY/2.4',
        '',
        'Ready to ship. **Allowed**: GO passes this gate.',
        '',
        'Pass rate: 91% (182/200 executed passed) · 18 failed · 3 skipped · 2 flaky  ',
        'Due: no due date',
      ].join('\n'),
    );
  });

  it('shows the first 10 failing tests and how many more there are; the first line of each message, cut at a character', () => {
    const tests = Array.from({ length: 10 }, (_, i) =>
      failingTest(`t${String(i).padStart(2, '0')}`, { message: i === 0 ? `\n\n  ${'x'.repeat(158)}${FAMILY}tail\nsecond line` : null }),
    );
    const md = markdownCheck(report({ failingTests: { total: 4321, tests } }), false);
    const items = md.split('**Failing tests (4321)**\n\n')[1]!.split('\n');
    expect(items).toHaveLength(11);
    expect(items[0]).toBe(`- **t00** (staging, since CI \\#40): ${'x'.repeat(158)}…`);
    expect(items[1]).toBe('- **t01** (staging, since CI \\#40)');
    expect(items[10]).toBe('- …and 4,311 more (--format json lists them all)');
    expect(md).not.toContain('second line');
  });

  it('says so when the server does not list failing tests', () => {
    expect(markdownCheck(report({ failingTests: null }), false)).toMatch(/\n\nFailing tests are not listed by this server .*upgrade it/);
  });

  it('hostile names, messages, titles, Jira keys and run names stay text, whole lines of our own shape', () => {
    const hostile = HOSTILE.join(' ');
    const md = markdownCheck(
      report({
        milestone: { ...report().milestone, name: hostile },
        reasons: [{ code: 'CRITICAL_TEST_FAILED', severity: 'blocker', message: `1 failure on critical test cases: ${hostile}` }],
        blockingDefects: HOSTILE.map((title, i) => ({ id: `d${i}`, title, severity: 'CRITICAL', status: 'OPEN', jira: { key: title } })),
        failingTests: {
          total: HOSTILE.length,
          tests: HOSTILE.map((key) =>
            failingTest(key, { environment: key, message: `${key}\n${hostile}`, since: run(key), critical: true }),
          ),
        },
      }),
      false,
    );
    expect(md).not.toMatch(/[<>]/);
    expect(brokenCharacters(md)).toEqual([]);
    for (const line of md.split('\n')) {
      // Every line is one of ours, whatever the data: a heading, a blank, a paragraph, a bold title or a list item.
      expect(line).toMatch(/^(### 🔴 NO-GO: |Not ready to ship\. |Pass rate: |Due: |\*\*[A-Z][a-z]+( [a-z]+)?( \(\d+\))?\*\*$|- |$)/);
      // Data between our marks has none live: take out our own ** and the backticked hint, then look.
      const data = line
        .replace(/^(### |- )/, '')
        .replace(/\*\*/g, '')
        .replace('`--allow NO_GO`', '')
        .replace(/NO_GO/g, '');
      expect(liveMarks(data), line).toEqual([]);
    }
    // Ten defects: the first ten, nothing more; ten tests: all of them.
    expect(md.match(/^- \*\*CRITICAL\*\* /gm)).toHaveLength(10);
    expect(md).toContain('- **&lt;img src=x onerror=alert(1)&gt;** (&lt;img src=x onerror=alert(1)&gt;, since &lt;img');
  });
});

describe('markdownDigest', () => {
  it('a header, the tally, then each milestone worst first with its first 5 failing tests', () => {
    const tests = Array.from({ length: 5 }, (_, i) => failingTest(`t${i}`));
    const green = report({
      milestone: { ...report().milestone, name: 'green' },
      verdict: 'GO',
      reasons: [],
      blockingDefects: [],
      failingTests: { total: 0, tests: [] },
    });
    const md = markdownDigest('PAY', [green, report({ failingTests: { total: 7, tests } })], new Date('2026-11-22T10:00:00Z'));
    const lines = md.split('\n');
    expect(lines.slice(0, 3)).toEqual(['## Shipgate digest for PAY', '', '2026-11-22 10:00 UTC · 2 active milestones: 1 NO-GO, 1 GO']);
    expect(md.indexOf('### 🔴 NO-GO: PAY/2.4')).toBeLessThan(md.indexOf('### 🟢 GO: PAY/green'));
    expect(md).toContain('**Failing tests (7)**\n\n- **t0** (staging, since CI \\#40): expected 200, got 500\n');
    expect(md).toContain('- **t4** (staging, since CI \\#40): expected 200, got 500\n- …and 2 more (--format json lists them all)\n');
    expect(md).not.toContain('Allowed');
  });

  it('no active milestones', () => {
    expect(markdownDigest('PAY', [], new Date('2026-11-22T10:00:00Z'))).toBe(
      '## Shipgate digest for PAY\n\n2026-11-22 10:00 UTC: no active milestones.',
    );
  });
});
