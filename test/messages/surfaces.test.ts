// The other Block Kit builders: help, list, App Home, the modals, the nudge outcome.
import { describe, expect, it } from 'vitest';
import { appHome } from '../../src/messages/app-home.js';
import { helpMessage, problemMessage } from '../../src/messages/help-message.js';
import { blocksWithin, linesWithin } from '../../src/messages/limits.js';
import { milestoneList, type ListedMilestone } from '../../src/messages/milestone-list.js';
import { completeModal } from '../../src/messages/modals/complete-modal.js';
import { createMilestoneModal } from '../../src/messages/modals/create-milestone-modal.js';
import { linkRunModal } from '../../src/messages/modals/link-run-modal.js';
import { readContext } from '../../src/messages/modals/modal-shell.js';
import { reportDefectModal } from '../../src/messages/modals/report-defect-modal.js';
import { scopeModal } from '../../src/messages/modals/scope-modal.js';
import { signOffModal } from '../../src/messages/modals/sign-off-modal.js';
import { waiveDefectModal } from '../../src/messages/modals/waive-defect-modal.js';
import { quarantineTestModal } from '../../src/messages/modals/quarantine-test-modal.js';
import { nudgeOutcome } from '../../src/messages/nudge-outcome.js';
import { limitViolations } from './block-kit-limits.js';

const item = (i: number): ListedMilestone & { id: string } => ({
  id: `m${i}`,
  projectKey: 'PAY',
  name: `2.${i}`,
  status: 'ACTIVE',
  verdict: i % 2 ? 'GO' : 'NO_GO',
  passed: 9,
  executed: 10,
  passRate: 0.9,
  dueDate: '2026-04-01T23:59:59.999Z',
  timeZone: 'UTC',
  daysLeft: 5,
  scopeSize: i % 3 ? null : 12,
});

describe('limits helpers', () => {
  it('linesWithin ends with "…and N more" when lines do not fit', () => {
    const out = linesWithin(
      Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(50)}`),
      500,
    );
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out).toMatch(/…and (\d+) more$/);
    const shown = out.split('\n').length - 1;
    expect(out.endsWith(`…and ${100 - shown} more`)).toBe(true);
    expect(linesWithin(['a', 'b'], 500)).toBe('a\nb');
  });

  it('blocksWithin keeps the tail (buttons) and notes what was cut', () => {
    const blocks = Array.from({ length: 80 }, () => ({ type: 'divider' as const }));
    const tail = [{ type: 'actions' as const, elements: [] }];
    const out = blocksWithin(blocks, 50, tail, 'rows');
    expect(out).toHaveLength(50);
    expect(out.at(-1)).toBe(tail[0]);
    expect(JSON.stringify(out.at(-2))).toContain('…and 32 more rows');
  });
});

describe('help', () => {
  it('lists subcommands; problems carry the right form', () => {
    // Placeholders are escaped: a bare <m> is a link to Slack, not text.
    expect(JSON.stringify(helpMessage().blocks)).toContain('/milestone subscribe &lt;PROJECT or milestone&gt; [HH:MM] [time zone]');
    const p = problemMessage('No milestone "x".', '/milestone status <m>');
    expect(p.text).toBe('No milestone "x".\nTry: /milestone status &lt;m&gt;');
    expect(JSON.stringify(p.blocks)).toContain('Try: `/milestone status &lt;m&gt;`');
  });

  it('a problem that echoes a typed mention or link shows it as text, never as a mention', () => {
    const p = problemMessage('No milestone "<@U123> <!channel>".');
    expect(JSON.stringify(p)).not.toMatch(/<@U123>|<!channel>/);
    expect(JSON.stringify(p.blocks)).toContain('&lt;@U123&gt; &lt;!channel&gt;');
  });
});

describe('list and App Home', () => {
  it('list shows badge, pass rate with denominator, due date and scope size', () => {
    const { blocks } = milestoneList([item(0), item(1)], { title: 'Active milestones', total: 2 });
    const text = JSON.stringify(blocks);
    expect(text).toContain('🔴 *PAY/2.0* NO-GO · 90% (9/10) · due 2026-04-01 (in 5 days) · scope 12');
    expect(text).toContain('🟢 *PAY/2.1* GO');
  });

  it('a long list and a big Home tab stay within limits', () => {
    const many = Array.from({ length: 300 }, (_, i) => item(i));
    const list = milestoneList(many.slice(0, 25), { title: 'All', total: 300 });
    expect(limitViolations(list, 50)).toEqual([]);
    expect(JSON.stringify(list.blocks)).toContain('…and 275 more');
    const home = appHome(many, { total: 300, evaluatedAt: '2026-03-15T12:00:00Z' });
    expect(home.type).toBe('home');
    expect(limitViolations(home, 100)).toEqual([]);
    expect(JSON.stringify(home.blocks)).toMatch(/…and \d+ more milestones/);
  });

  it('an empty Home says how to start', () => {
    expect(JSON.stringify(appHome([], { total: 0, evaluatedAt: '2026-03-15T12:00:00Z' }).blocks)).toContain('/milestone create');
  });
});

describe('modals', () => {
  const milestone = { projectKey: 'PAY', name: 'A very long milestone name indeed' };
  const context = { m: 'm1', c: 'C1', t: '1.2' };
  const modals = {
    create: createMilestoneModal({ projects: [{ id: 'p1', key: 'PAY', name: 'Payments' }], name: '2.5', channelId: 'C1' }),
    link: linkRunModal({
      milestone,
      runs: Array.from({ length: 150 }, (_, i) => ({
        id: `r${i}`,
        name: `run ${i} ${'x'.repeat(100)}`,
        environment: 'staging',
        status: 'IN_PROGRESS',
      })),
      environments: ['staging'],
      context,
    }),
    scope: scopeModal({ milestone, patterns: ['checkout::*'], preview: { matching: 3, total: 10, sample: ['checkout::a'] }, context }),
    defect: reportDefectModal({ milestone, jiraConfigured: false, context }),
    signoff: signOffModal({ milestone, verdict: 'GO_WITH_RISKS', context }),
    complete: completeModal({ milestone, verdict: 'NO_GO', reasons: [{ message: 'Pass rate low' }], context }),
    waive: waiveDefectModal({ defect: { title: 'Crash', severity: 'HIGH', jiraKey: 'PAY-1' }, context: { ...context, d: 'd1' } }),
    quarantine: quarantineTestModal({ testCase: { key: 'checkout::a', title: 'a' }, projectKey: 'PAY', context: { ...context, k: 'c1' } }),
  };

  it.each(Object.entries(modals))('%s is a valid-sized modal that carries its context', (_name, modal) => {
    expect(modal.type).toBe('modal');
    expect(limitViolations(modal as never, 100)).toEqual([]);
    for (const b of modal.blocks as { type: string; element?: { options?: { text: { text: string } }[] } }[]) {
      if (b.element?.options) {
        expect(b.element.options.length).toBeLessThanOrEqual(100);
        for (const o of b.element.options) expect(o.text.text.length).toBeLessThanOrEqual(75);
      }
    }
    expect(readContext(modal.private_metadata)).toEqual(
      _name === 'create'
        ? {}
        : _name === 'scope'
          ? context
          : _name === 'waive'
            ? { ...context, d: 'd1' }
            : _name === 'quarantine'
              ? { ...context, k: 'c1' }
              : context,
    );
  });

  it('complete asks for an override reason only when the verdict needs one', () => {
    expect(JSON.stringify(modals.complete.blocks)).toContain('override_reason');
    expect(JSON.stringify(completeModal({ milestone, verdict: 'GO', reasons: [], context }).blocks)).not.toContain('override_reason');
  });

  it('complete lists the reasons escaped, with the people they name as mentions', () => {
    const reasons = [
      { message: 'Sign-off rejected by U2 (“<b>not</b> ready”)', userIds: ['U2'] },
      { message: '1 blocking defect open: A & B <crash> (HIGH)' },
    ];
    const text = JSON.stringify(completeModal({ milestone, verdict: 'NO_GO', reasons, context }).blocks);
    expect(text).toContain('• Sign-off rejected by <@U2> (“&lt;b&gt;not&lt;/b&gt; ready”)');
    expect(text).toContain('• 1 blocking defect open: A &amp; B &lt;crash&gt; (HIGH)');
  });

  it('scope shows its preview; create prefills name and project', () => {
    expect(JSON.stringify(modals.scope.blocks)).toContain('3 of 10 test cases match e.g. `checkout::a`');
    const create = JSON.stringify(modals.create.blocks);
    expect(create).toContain('"initial_value":"2.5"');
    expect(create).toContain('"initial_conversation":"C1"');
  });

  it('bad private_metadata reads as no context', () => {
    expect(readContext('not json')).toEqual({});
    expect(readContext(undefined)).toEqual({});
  });
});

describe('nudge outcome', () => {
  it('says what was done, by whom, without buttons', () => {
    const out = nudgeOutcome({ outcome: 'snoozed', runName: 'nightly', userId: 'U1', until: new Date('2026-03-16T10:00:00Z') });
    expect(out.text).toContain('snoozed by <@U1> until 2026-03-16 10:00 UTC');
    expect(JSON.stringify(out.blocks)).not.toContain('button');
  });
});
