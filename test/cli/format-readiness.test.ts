// The terminal text of `shipgate check` and `shipgate digest`, compared whole.
import { describe, expect, it } from 'vitest';
import { formatCheck, formatDigest, formatDigestEntry, passRateLine, type ReadinessAnswer } from '../../src/cli/format-readiness.js';
import type { ReadinessMetrics } from '../../src/domain/readiness.js';
import { readinessMetrics } from '../helpers/readiness-views.js';

function metrics(over: Partial<ReadinessMetrics> = {}): ReadinessMetrics {
  return readinessMetrics({ failed: 16, blocked: 2, skipped: 5, flaky: 3, ...over });
}

function answer(over: Partial<ReadinessAnswer> = {}): ReadinessAnswer {
  return {
    milestone: {
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
