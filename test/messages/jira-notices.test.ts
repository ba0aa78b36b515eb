// The text posted to a channel when Jira work fails for good, or when a Jira
// change turns a verdict: what it says, and that text from data stays text.
import { describe, expect, it } from 'vitest';
import { failureText, fixHint, type FailureContext } from '../../src/messages/jira-failure-notice.js';
import { verdictChangeText, type VerdictChangeNotice } from '../../src/messages/verdict-change-notice.js';

const create: FailureContext = {
  action: 'create',
  defect: { id: 'd1', title: 'Refund <b>returns</b> 502 & more' },
  projectKey: 'PAY',
  jiraProjectKey: 'PAYJ',
  milestoneName: '2.4',
};

describe('Jira failure notice', () => {
  it('says what failed, where, why and what to do; everything escaped once', () => {
    const text = failureText(create, 'Jira said 404', fixHint({ status: 404, jiraMessages: [] }, create));
    expect(text).toBe(
      '⚠️ Shipgate could not create a Jira issue for the defect “Refund &lt;b&gt;returns&lt;/b&gt; 502 &amp; more” (PAY/2.4): Jira said 404\n' +
        'Jira has no project PAYJ the account can see: set the right key with `/milestone project jira PAY &lt;JIRA-KEY&gt;`; the issue is then created by itself.',
    );
  });

  it('a refused link names the issue; a 400 quotes Jira', () => {
    const link = { ...create, action: 'link' as const, issueKey: 'OPS-404' };
    expect(failureText(link, 'not found', '')).toContain('could not link OPS-404 to the defect');
    expect(fixHint({ status: 400, jiraMessages: ['priority: unknown'] }, create)).toContain('(priority: unknown)');
    expect(fixHint({ status: 401, jiraMessages: [] }, create)).toContain('check JIRA_EMAIL and JIRA_API_TOKEN');
  });
});

describe('verdict change notice', () => {
  const change: VerdictChangeNotice = {
    before: { verdict: 'GO' },
    after: {
      verdict: 'NO_GO',
      milestone: { projectKey: 'PAY', name: 'R&D' },
      reasons: [
        { code: 'SIGNOFF_REJECTED', severity: 'blocker', message: 'Sign-off rejected by U2 (“<!here> no”)', userIds: ['U2'] },
        { code: 'BLOCKING_DEFECT_OPEN', severity: 'blocker', message: '1 blocking defect open: PAYJ-1 A <b> (HIGH)' },
        { code: 'DUE_SOON', severity: 'info', message: 'never shown' },
      ],
    },
    defect: { title: 'A <b>', jiraKey: 'PAYJ-1', status: 'OPEN' },
    jiraStatus: 'Reopened',
  };

  it('new verdict and old, the Jira change, the reasons with people as mentions', () => {
    expect(verdictChangeText(change).split('\n')).toEqual([
      '🔴 PAY/R&amp;D is now NO-GO (was GO).',
      'PAYJ-1 “A &lt;b&gt;” moved to Reopened in Jira, so the defect is OPEN.',
      '• Sign-off rejected by <@U2> (“&lt;!here&gt; no”)',
      '• 1 blocking defect open: PAYJ-1 A &lt;b&gt; (HIGH)',
    ]);
  });
});
