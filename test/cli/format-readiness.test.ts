// The terminal text of `shipgate check` and `shipgate digest`, compared whole.
import { describe, expect, it } from 'vitest';
import { formatCheck, formatDigest, formatDigestEntry, passRateLine, type ReadinessAnswer } from '../../src/cli/format-readiness.js';
import type { ReadinessMetrics } from '../../src/domain/readiness.js';
import { readinessMetrics } from '../helpers/readiness-views.js';
import type { FailingTest, MilestoneReport } from '../../src/cli/milestone-report.js';

function metrics(over: Partial<ReadinessMetrics> = {}): ReadinessMetrics {
  return readinessMetrics({ failed: 16, blocked: 2, skipped: 5, flaky: 3, ...over });
}

function answer(over: Partial<ReadinessAnswer> = {}): ReadinessAnswer {
  return {
    milestone: {
      id: 'm1',
      name: '2.4',
      projectKey: 'PAY',
      status: 'ACTIVE',
      dueDate: '2026-11-25T22:59:59.999Z',
      timeZone: 'Europe/Berlin',
      completedAt: null,
    },
    verdict: 'NO_GO',
    reasons: [
      { code: 'RUNS_IN_PROGRESS', severity: 'risk', message: '1 run is still in progress' },
      { code: 'PASS_RATE_BELOW_THRESHOLD', severity: 'blocker', message: 'Pass rate 91% (182/200) is below the 95% gate' },
    ],
    metrics: metrics(),
    policy: { blockingSeverities: ['CRITICAL', 'HIGH'] },
    evaluatedAt: '2026-11-22T10:00:00.000Z',
    ...over,
  };
}

describe('formatCheck', () => {
  it('prints the verdict, blockers before risks, and whether the gate passes', () => {
    expect(formatCheck(answer(), false)).toBe(
      [
        'NO_GO  PAY/2.4: not ready to ship',
        '  [blocker] Pass rate 91% (182/200) is below the 95% gate',
        '  [risk]    1 run is still in progress',
        'Not allowed: NO_GO does not pass this gate (allow it with --allow NO_GO).',
      ].join('\n'),
    );
    expect(formatCheck(answer({ verdict: 'GO', reasons: [] }), true)).toBe('GO  PAY/2.4: ready to ship\nAllowed: GO passes this gate.');
  });
});

describe('formatCheck on a milestone that is no longer active', () => {
  const completedAt = '2026-11-20T16:30:00.000Z';
  it('a completed milestone: says so under the verdict, with since when, and how to add results', () => {
    const done = answer({ verdict: 'GO', reasons: [] });
    done.milestone = { ...done.milestone, status: 'COMPLETED', completedAt };
    expect(formatCheck(done, true)).toBe(
      [
        'GO  PAY/2.4: ready to ship',
        'Milestone "2.4" is COMPLETED (since 2026-11-20 16:30 UTC): the verdict is from its final state; reopen it to add results.',
        'Allowed: GO passes this gate.',
      ].join('\n'),
    );
  });

  it('an archived milestone: says so, and that it takes no more results; the gate line is unchanged', () => {
    const archived = answer();
    archived.milestone = { ...archived.milestone, status: 'ARCHIVED', completedAt };
    const lines = formatCheck(archived, false).split('\n');
    expect(lines[1]).toBe('Milestone "2.4" is ARCHIVED: the verdict is from its final state; an archived milestone takes no more results.');
    expect(lines.at(-1)).toBe('Not allowed: NO_GO does not pass this gate (allow it with --allow NO_GO).');
  });

  it('an active milestone gets no such line', () => {
    expect(formatCheck(answer(), false)).not.toContain('final state');
  });
});

describe('digest text', () => {
  it('shows the pass rate with its denominator, never rounding up to the gate', () => {
    expect(passRateLine(metrics())).toBe('91% (182/200 executed passed) · 16 failed · 2 blocked · 5 skipped · 3 flaky');
    expect(passRateLine(metrics({ passed: 1899, failed: 1, blocked: 0, executed: 1900, skipped: 0, flaky: 0 }))).toBe(
      '99.9% (1,899/1,900 executed passed) · 1 failed',
    );
    expect(passRateLine(metrics({ passed: 0, failed: 0, blocked: 0, executed: 0, skipped: 4 }))).toBe(
      'no results executed yet (4 skipped)',
    );
  });

  it('renders one milestone block with runs, environments, due date in its zone, blockers and risks', () => {
    expect(
      formatDigestEntry(answer({ metrics: metrics({ inScope: 40, covered: 38, untested: ['checkout::refund', 'checkout::void'] }) })),
    ).toBe(
      [
        'PAY/2.4  —  NO_GO (not ready to ship)',
        '  Pass rate  91% (182/200 executed passed) · 16 failed · 2 blocked · 5 skipped · 3 flaky',
        '  Scope      38/40 cases covered · untested: checkout::refund, checkout::void',
        '  Runs       1 in progress, 2 completed',
        '    staging: 2 runs, 90% of 150 passed',
        '    production: 1 run, 94% of 50 passed',
        '  Due        2026-11-25 (in 3 days) · due risk HIGH',
        '  Blockers',
        '    - Pass rate 91% (182/200) is below the 95% gate',
        '  Risks',
        '    - 1 run is still in progress',
      ].join('\n'),
    );
  });

  it('says overdue and no due date plainly', () => {
    const late = formatDigestEntry(
      answer({ verdict: 'GO_WITH_RISKS', reasons: [], metrics: metrics({ daysLeft: -2, dueRisk: 'OVERDUE' }) }),
    );
    expect(late).toContain('  Due        2026-11-25 (2 days overdue) · due risk OVERDUE');
    expect(late).toContain('  Blockers   none');
    const undated = formatDigestEntry(
      answer({ milestone: { ...answer().milestone, dueDate: null }, metrics: metrics({ daysLeft: null, dueRisk: 'NONE' }) }),
    );
    expect(undated).toContain('  Due        no due date');
  });

  it('lists milestones worst verdict first under a header with the tally', () => {
    const text = formatDigest(
      'PAY',
      [answer({ verdict: 'GO', reasons: [], milestone: { ...answer().milestone, name: '2.5' } }), answer()],
      new Date('2026-11-22T09:30:00Z'),
    );
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Shipgate digest for PAY — 2026-11-22 09:30 UTC', '2 active milestones: 1 NO_GO, 1 GO', '']);
    expect(text.indexOf('PAY/2.4  —  NO_GO')).toBeLessThan(text.indexOf('PAY/2.5  —  GO'));
    expect(formatDigest('PAY', [], new Date('2026-11-22T09:30:00Z'))).toMatch(/No active milestones/);
  });
});

describe('failing tests and blocking defects in the text', () => {
  const run = (name: string) => ({ id: `r-${name}`, name, url: null, startedAt: '2026-11-20T10:00:00.000Z' });
  const failing = (key: string, over: Partial<FailingTest> = {}): FailingTest => ({
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
  });
  const report = (over: Partial<MilestoneReport> = {}): MilestoneReport => ({
    ...answer(),
    blockingDefects: [
      { id: 'd1', title: 'Card declined', severity: 'CRITICAL', status: 'OPEN', jira: null },
      { id: 'd2', title: 'Login fails on Safari', severity: 'HIGH', status: 'OPEN', jira: { key: 'PAY-12' } },
    ],
    failingTests: { total: 2, tests: [failing('auth::login', { critical: true }), failing('cart::totals', { environment: 'production' })] },
    ...over,
  });

  it('check names the blocking defects and each failing test with environment, since-run and message, before the gate line', () => {
    expect(formatCheck(report(), false)).toBe(
      [
        'NO_GO  PAY/2.4: not ready to ship',
        '  [blocker] Pass rate 91% (182/200) is below the 95% gate',
        '  [risk]    1 run is still in progress',
        'Blocking defects: 2',
        '  - CRITICAL  Card declined',
        '  - HIGH  PAY-12 Login fails on Safari',
        'Failing tests: 2',
        '  - auth::login [staging, since CI #40, critical]: expected 200, got 500',
        '  - cart::totals [production, since CI #40]: expected 200, got 500',
        'Not allowed: NO_GO does not pass this gate (allow it with --allow NO_GO).',
      ].join('\n'),
    );
  });

  it('shows the first few and how many more; the first line of a message with text, without terminal codes, cut at a character', () => {
    const tests = Array.from({ length: 10 }, (_, i) => failing(`t${i}`, { message: null }));
    tests[0] = failing('t0', { message: '\n\u001b[31m  AssertionError:\u001b[0m ' + 'x'.repeat(200) + '\nat line 2' });
    tests[1] = failing('multi\nline\u0007 name');
    const lines = formatCheck(report({ failingTests: { total: 1234, tests } }), false).split('\n');
    const start = lines.indexOf('Failing tests: 1,234 (first 10)');
    expect(start).toBeGreaterThan(0);
    expect(lines[start + 1]).toBe(`  - t0 [staging, since CI #40]: AssertionError: ${'x'.repeat(160 - 'AssertionError: '.length - 1)}…`);
    expect(lines[start + 2]).toBe('  - multi line name [staging, since CI #40]: expected 200, got 500');
    expect(lines[start + 3]).toBe('  - t2 [staging, since CI #40]');
    expect(lines[start + 11]).toBe('  …and 1,224 more (--format json lists them all)');
  });

  it('nothing about them when nothing fails and no defect blocks; a line when the server cannot list tests', () => {
    const clean = report({ verdict: 'GO', reasons: [], blockingDefects: [], failingTests: { total: 0, tests: [] } });
    expect(formatCheck(clean, true)).toBe('GO  PAY/2.4: ready to ship\nAllowed: GO passes this gate.');
    expect(formatCheck(report({ failingTests: null }), false)).toContain(
      '\nFailing tests: not listed by this server (it has no GET …/tests; upgrade it to see them)\n',
    );
  });

  it('a digest entry shows the first 5 failing tests under its milestone, indented', () => {
    const tests = Array.from({ length: 5 }, (_, i) => failing(`t${i}`));
    const entry = formatDigestEntry(report({ failingTests: { total: 6, tests } }));
    expect(entry).toContain(
      [
        '  Blocking defects: 2',
        '    - CRITICAL  Card declined',
        '    - HIGH  PAY-12 Login fails on Safari',
        '  Failing tests: 6 (first 5)',
        '    - t0 [staging, since CI #40]: expected 200, got 500',
      ].join('\n'),
    );
    expect(entry.endsWith('    - t4 [staging, since CI #40]: expected 200, got 500\n    …and 1 more (--format json lists them all)')).toBe(
      true,
    );
  });
});
