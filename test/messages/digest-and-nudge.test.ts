// The digest and nudge messages: content, the change since the last digest,
// and Slack's size limits with many milestones.
import { describe, expect, it } from 'vitest';
import { digestMessage, passRateChange } from '../../src/messages/digest-message.js';
import { nudgeMessage } from '../../src/messages/nudge-message.js';
import { nudgeWindow } from '../../src/jobs/nudges-tick.js';
import type { CardData } from '../../src/messages/readiness-card.js';
import { limitViolations } from './block-kit-limits.js';

function card(name: string, verdict: CardData['readiness']['verdict'], passRate: number | null): CardData {
  return {
    readiness: {
      milestone: { id: `id-${name}`, projectKey: 'PAY', name, dueDate: '2027-06-30T23:59:59.999Z', timeZone: 'UTC', status: 'ACTIVE' },
      verdict,
      reasons: [{ code: 'PASS_RATE_BELOW_THRESHOLD', severity: 'blocker', message: `Pass rate of ${name} is below the gate` }],
      metrics: { passed: 9, executed: 10, passRate, daysLeft: 10, dueRisk: 'LOW', runs: { total: 1, inProgress: 1, completed: 0 } },
      policy: { blockingSeverities: ['CRITICAL', 'HIGH'] },
      signoffs: [],
      evaluatedAt: '2027-05-20T09:00:00.000Z',
    } as unknown as CardData['readiness'],
    blockers: [
      { id: 'd1', title: 'Checkout <broken>', severity: 'CRITICAL', jiraKey: 'PAY-1', jiraUrl: 'https://jira.example/browse/PAY-1' },
    ],
    blockerCount: 3,
    runsInProgress: [{ id: 'r1', name: 'manual', environment: 'staging', startedAt: '2027-05-19T09:00:00.000Z' }],
  };
}

describe('digest message', () => {
  it('says how the pass rate moved since the last digest', () => {
    expect(passRateChange(0.95, 0.9)).toBe('▲ +5 pts');
    expect(passRateChange(0.9, 0.925)).toBe('▼ −2.5 pts');
    expect(passRateChange(0.9, 0.9)).toBe('no change');
    expect(passRateChange(0.9, undefined)).toBeNull();
    expect(passRateChange(null, 0.9)).toBeNull();
  });

  it('shows the worst milestone first, blockers with Jira links (escaped), runs and the sparkline', () => {
    const trend = [
      { day: '2027-05-19', passRate: 0.5, openBlockers: 1 },
      { day: '2027-05-20', passRate: 1, openBlockers: 3 },
    ];
    const m = digestMessage({
      subject: 'PAY',
      day: '2027-05-20',
      items: [
        { card: card('good', 'GO', 1), trend },
        { card: card('bad', 'NO_GO', 0.5), trend, previousPassRate: 0.6 },
      ],
    });
    const body = JSON.stringify(m.blocks);
    expect(body.indexOf('PAY/bad')).toBeLessThan(body.indexOf('PAY/good'));
    expect(body).toContain('▼ −10 pts since the last digest');
    expect(body).toContain('<https://jira.example/browse/PAY-1|PAY-1> · Checkout &lt;broken&gt;');
    expect(body).toContain('…and 2 more');
    expect(body).toContain('manual on staging');
    expect(body).toContain('pass rate `▅█`'); // 50% on a 0–100% scale
    expect(m.text).toBe('Go/no-go digest for PAY: 1 NO-GO, 1 GO');
  });

  it('stays within Slack limits with 200 milestones', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ card: card(`m${i}`, 'GO_WITH_RISKS', 0.9), trend: [] }));
    const m = digestMessage({ subject: 'PAY', day: '2027-05-20', items });
    expect(limitViolations(m, 50)).toEqual([]);
    const shown = m.blocks.filter((b) => b.type === 'section').length;
    expect(shown).toBeGreaterThan(10);
    expect(JSON.stringify(m.blocks)).toContain(`…and ${200 - shown} more milestones`);
  });
});

describe('nudge', () => {
  it('belongs to one window per threshold, moved by a snooze', () => {
    const day = 86_400_000;
    const startedAt = new Date('2027-01-01T00:00:00Z');
    const at = (h: number) => new Date(startedAt.getTime() + h * 3_600_000);
    const run = { id: 'r', startedAt, snoozedUntil: null };
    expect(nudgeWindow(run, at(23), day)).toBeNull();
    expect(nudgeWindow(run, at(24), day)).toBe(nudgeWindow(run, at(47), day));
    expect(nudgeWindow(run, at(48), day)).not.toBe(nudgeWindow(run, at(47), day));
    const snoozed = { ...run, snoozedUntil: at(60) };
    expect(nudgeWindow(snoozed, at(59), day)).toBeNull();
    expect(nudgeWindow(snoozed, at(60), day)).toBe(nudgeWindow(snoozed, at(83), day));
    expect(nudgeWindow(snoozed, at(84), day)).not.toBe(nudgeWindow(snoozed, at(83), day));
  });

  it('carries the run id on its three buttons and links the CI run', () => {
    const m = nudgeMessage({
      runId: 'run-1',
      runName: 'e2e <nightly>',
      projectKey: 'PAY',
      milestoneName: '2.4',
      environment: 'staging',
      startedAt: new Date('2027-01-01T00:00:00Z'),
      now: new Date('2027-01-03T12:00:00Z'),
      ownerUserId: 'U1',
      toChannel: false,
      url: 'https://ci.example/1',
    });
    expect(limitViolations(m, 50)).toEqual([]);
    const body = JSON.stringify(m.blocks);
    expect(body).toContain('<https://ci.example/1|e2e &lt;nightly&gt;>');
    expect(body).toContain('2 days');
    expect(m.text).toContain('PAY/2.4 on staging');
  });
});
