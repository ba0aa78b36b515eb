import { describe, expect, it } from 'vitest';
import type { ReadinessView } from '../../src/services/get-readiness.js';
import { readinessCard, type CardData } from '../../src/messages/readiness-card.js';
import { reminderMessage } from '../../src/messages/reminder-message.js';
import { DEFAULT_GATE_POLICY } from '../../src/domain/gate-policy.js';
import { limitViolations } from './block-kit-limits.js';
import { milestoneView, readinessMetrics } from '../helpers/readiness-views.js';

function view(overrides: Partial<ReadinessView> = {}): ReadinessView {
  const policy = { ...DEFAULT_GATE_POLICY, requiredSignoffs: 2 };
  return {
    milestone: milestoneView({ dueDate: '2026-03-18T23:59:59.999Z', policy }),
    verdict: 'NO_GO',
    reasons: [
      { code: 'PASS_RATE_BELOW_THRESHOLD', severity: 'blocker', message: 'Pass rate 91% (182/200) is below the 95% gate' },
      { code: 'RUNS_IN_PROGRESS', severity: 'risk', message: '1 test run still in progress: results may still change' },
    ],
    checks: [
      { rule: 'passRate', status: 'fail', actual: 0.91, threshold: 0.95 },
      { rule: 'minExecuted', status: 'pass', actual: 200, threshold: 1 },
      { rule: 'requiredEnvironment', status: 'n/a', actual: null, threshold: null },
      { rule: 'runsInProgress', status: 'risk', actual: 1, threshold: 0 },
      { rule: 'requiredSignoffs', status: 'risk', actual: 1, threshold: 2 },
      { rule: 'flakyTests', status: 'pass', actual: 0, threshold: 0 },
    ],
    metrics: readinessMetrics({
      openDefectsBySeverity: { CRITICAL: 1, HIGH: 0, MEDIUM: 2, LOW: 0 },
      waivedDefects: 1,
      resolvedDefects: 4,
      approvals: 1,
    }),
    policy,
    signoffs: [{ userId: 'U1', decision: 'APPROVE', comment: 'LGTM', at: '2026-03-15T10:00:00Z' }],
    evaluatedAt: '2026-03-15T12:00:00.000Z',
    forecast: null,
    forecastUnavailable: null,
    ...overrides,
  };
}

function card(overrides: Partial<CardData> = {}) {
  return readinessCard({
    readiness: view(),
    blockers: [
      {
        id: 'd1',
        title: 'Card payments time out',
        severity: 'CRITICAL',
        jiraKey: 'PAY-7',
        jiraUrl: 'https://jira.example/browse/PAY-7',
        jiraStatus: 'In Progress',
      },
    ],
    blockerCount: 1,
    runsInProgress: [{ id: 'r1', name: 'nightly', environment: 'staging', startedAt: '2026-03-15T02:00:00.000Z' }],
    ...overrides,
  });
}

const texts = (blocks: unknown[]) => JSON.stringify(blocks);

describe('readinessCard', () => {
  it('shows verdict, reasons, pass rate with denominator, due date and risk, runs, environments, sign-offs', () => {
    const { text, blocks } = card();
    expect(text).toBe('PAY/2.4: NO-GO — pass rate 91% (182/200)');
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'PAY/2.4 — NO-GO', emoji: true } });
    const all = texts(blocks);
    for (const part of [
      'Pass rate 91% (182/200) is below the 95% gate',
      '1 test run still in progress',
      '*Pass rate*\\n91% (182/200) · gate 95%',
      '2026-03-18 (in 3 days) · :warning: high risk',
      '1 in progress · 2 completed',
      '1/2 approvals',
      '1 critical, 2 medium open · 1 waived',
      '<https://jira.example/browse/PAY-7|PAY-7> _In Progress_ · Card payments time out (CRITICAL)',
      'nightly on staging',
      '*staging*: 90% of 150 executed',
      ':white_check_mark: <@U1>: LGTM',
    ]) {
      expect(all).toContain(part);
    }
  });

  it('shows every check compactly: failing, then risky, by name with values, then how many held and were not applied', () => {
    const { blocks } = card();
    expect(blocks[2]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: '*Checks* :x: pass rate 91%, gate 95% · :warning: 1 run in progress · :warning: 1 of 2 sign-offs · :white_check_mark: 2 held · 1 not applied',
        },
      ],
    });
  });

  it('has the five buttons, each carrying the milestone id; Complete only while active', () => {
    const actions = card().blocks.at(-1) as { type: string; elements: { action_id: string; value: string }[] };
    expect(actions.type).toBe('actions');
    expect(actions.elements.map((e) => e.action_id)).toEqual(['card_refresh', 'card_signoff', 'card_defect', 'card_link', 'card_complete']);
    expect(new Set(actions.elements.map((e) => e.value))).toEqual(new Set(['m1']));
    const done = readinessCard({
      readiness: view({ milestone: { ...view().milestone, status: 'COMPLETED' } }),
      blockers: [],
      blockerCount: 0,
      runsInProgress: [],
    });
    expect((done.blocks.at(-1) as { elements: { action_id: string }[] }).elements.map((e) => e.action_id)).not.toContain('card_complete');
    expect(texts(done.blocks)).toContain('Status: *completed*');
  });

  it('ends with Open report, a link button, when the card carries a link; never with a link that is not http(s) or too long', () => {
    const url = 'https://shipgate.example.com/m/m1.t0k3n.abc';
    const last = (c: ReturnType<typeof card>) => (c.blocks.at(-1) as unknown as { elements: Record<string, unknown>[] }).elements.at(-1);
    expect(last(card({ reportUrl: url }))).toEqual({
      type: 'button',
      action_id: 'card_open_report',
      text: { type: 'plain_text', text: 'Open report', emoji: true },
      url,
    });
    for (const bad of ['javascript:alert(1)', 'https://x.example/<script>', `https://x.example/${'a'.repeat(3000)}`]) {
      expect(last(card({ reportUrl: bad }))!.action_id, bad.slice(0, 40)).toBe('card_complete');
    }
  });

  it('each blocker has a Waive button with the defect id', () => {
    const waive = card().blocks.find(
      (b) => 'accessory' in b && (b as { accessory: { action_id: string } }).accessory.action_id === 'defect_waive',
    );
    expect(waive).toMatchObject({ accessory: { value: 'd1', text: { text: 'Waive' } } });
  });

  it('says "— (0 executed)" when nothing ran, never 0%', () => {
    const empty = view({ metrics: { ...view().metrics, passed: 0, failed: 0, executed: 0, passRate: null } });
    const { text } = readinessCard({ readiness: empty, blockers: [], blockerCount: 0, runsInProgress: [] });
    expect(text).toContain('— (0 executed)');
  });

  it('escapes mrkdwn control characters in names people typed', () => {
    const { blocks } = card({ blockers: [{ id: 'd', title: '<!channel> & friends', severity: 'HIGH', jiraKey: null, jiraUrl: null }] });
    expect(texts(blocks)).toContain('&lt;!channel&gt; &amp; friends');
    expect(texts(blocks)).not.toContain('<!channel>');
  });

  it('renders the person a rejected sign-off names as a mention, and escapes the comment', () => {
    const rejected = view({
      reasons: [
        {
          code: 'SIGNOFF_REJECTED',
          severity: 'blocker',
          message: 'Sign-off rejected by U2 (“<!channel> is broken & slow”)',
          userIds: ['U2'],
        },
      ],
    });
    const all = texts(readinessCard({ readiness: rejected, blockers: [], blockerCount: 0, runsInProgress: [] }).blocks);
    expect(all).toContain(':no_entry: Sign-off rejected by <@U2> (“&lt;!channel&gt; is broken &amp; slow”)');
    expect(all).not.toContain('&lt;@U2&gt;');
  });

  it('stays within Slack limits for a huge milestone, truncating with "and N more"', () => {
    const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
    const big = view({
      milestone: { ...view().milestone, name: 'N'.repeat(300) },
      reasons: many(200, (i) => ({
        code: 'BLOCKING_DEFECT_OPEN' as const,
        severity: 'blocker' as const,
        message: `Reason ${i} ${'x'.repeat(100)}`,
      })),
      metrics: {
        ...view().metrics,
        environments: many(60, (i) => ({ name: `env-${i}`, runs: 1, executed: 10, passRate: 1 })),
        runs: { total: 500, inProgress: 400, completed: 100, aborted: 0 },
      },
      signoffs: many(80, (i) => ({ userId: `U${i}`, decision: 'REJECT', comment: 'no '.repeat(400), at: '2026-03-15T10:00:00Z' })),
    });
    const { text, blocks } = readinessCard({
      readiness: big,
      blockers: many(10, (i) => ({ id: `d${i}`, title: 'T'.repeat(4000), severity: 'CRITICAL', jiraKey: `PAY-${i}`, jiraUrl: null })),
      blockerCount: 250,
      runsInProgress: many(10, (i) => ({ id: `r${i}`, name: `run ${i}`, environment: null, startedAt: '2026-03-15T02:00:00.000Z' })),
    });
    expect(limitViolations({ blocks }, 50)).toEqual([]);
    expect(text.length).toBeLessThanOrEqual(3000);
    const all = texts(blocks);
    expect(all).toMatch(/…and \d+ more/);
    expect(all).toContain('…and 242 more blocking defects');
    expect(all).toContain('…and 390 more');
    expect((blocks.at(-1) as { type: string }).type).toBe('actions');
  });
});

describe('due-date reminder', () => {
  it('puts an escaped headline above the card and keeps the card whole', () => {
    const base = view();
    const data = {
      readiness: { ...base, milestone: { ...base.milestone, name: 'R&D <beta>' } },
      blockers: [],
      blockerCount: 0,
      runsInProgress: [],
    };
    const message = reminderMessage(data, 3);
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '⏰ *PAY/R&amp;D &lt;beta&gt;* is due in 3 days.' },
    });
    expect(message.blocks.slice(1)).toEqual(readinessCard(data).blocks);
    expect(message.text.startsWith('⏰ PAY/R&amp;D &lt;beta&gt; is due in 3 days.')).toBe(true);
  });
});
