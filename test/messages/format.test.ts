// The shared formatting: percentages as every surface shows them, verdict and
// reason order, escaping, and people rendered from ids.
import { describe, expect, it } from 'vitest';
import {
  escape,
  gatePercent,
  jiraRef,
  heaviestReasonFirst,
  link,
  mention,
  passRateText,
  percent,
  ratioPercent,
  reasonMrkdwn,
  VERDICTS_WORST_FIRST,
  worstVerdictFirst,
} from '../../src/messages/format.js';

describe('percentages', () => {
  it.each([
    [0, '0%'],
    [1, '100%'],
    [189 / 200, '94.5%'],
    [0.9499, '94.9%'],
    [0.99999, '99.9%'],
    [1 / 3, '33.3%'],
    [null, '—'],
  ])('percent(%s) is %s', (fraction, text) => {
    expect(percent(fraction)).toBe(text);
  });

  it('counts: exact, and a dash when there is nothing to divide by', () => {
    expect(ratioPercent(189, 200)).toBe('94.5%');
    expect(ratioPercent(38, 40)).toBe('95%');
    expect(ratioPercent(0, 0)).toBe('—');
  });

  it('a pass rate keeps its denominator; nothing executed is never 0%', () => {
    expect(passRateText(189, 200)).toBe('94.5% (189/200)');
    expect(passRateText(200, 200)).toBe('100% (200/200)');
    expect(passRateText(0, 0)).toBe('— (0 executed)');
  });

  it('gates are never shown lower than they are', () => {
    expect(gatePercent(0.95)).toBe('95%');
    expect(gatePercent(0.995)).toBe('99.5%');
    expect(gatePercent(0.9999)).toBe('99.99%');
  });
});

describe('orders', () => {
  it('verdicts worst first', () => {
    expect(VERDICTS_WORST_FIRST).toEqual(['NO_GO', 'INSUFFICIENT_EVIDENCE', 'GO_WITH_RISKS', 'GO']);
    expect((['GO', 'NO_GO', 'GO_WITH_RISKS'] as const).slice().sort(worstVerdictFirst)).toEqual(['NO_GO', 'GO_WITH_RISKS', 'GO']);
  });

  it('reasons heaviest first', () => {
    const reasons = [{ severity: 'info' as const }, { severity: 'risk' as const }, { severity: 'blocker' as const }];
    expect(reasons.sort(heaviestReasonFirst).map((r) => r.severity)).toEqual(['blocker', 'risk', 'info']);
  });
});

describe('Slack mrkdwn', () => {
  it('escapes &, < and > in text from data', () => {
    expect(escape('R&D <beta> <!channel>')).toBe('R&amp;D &lt;beta&gt; &lt;!channel&gt;');
  });

  it('mentions a user id; anything else stays text', () => {
    expect(mention('U123ABC')).toBe('<@U123ABC>');
    expect(mention('W9')).toBe('<@W9>');
    expect(mention('<!here>')).toBe('&lt;!here&gt;');
  });

  it('renders the people a reason names as mentions and escapes the rest', () => {
    expect(reasonMrkdwn({ message: 'Sign-off rejected by U123 (“<!channel> & not U1234”)', userIds: ['U123'] })).toBe(
      'Sign-off rejected by <@U123> (“&lt;!channel&gt; &amp; not U1234”)',
    );
    expect(reasonMrkdwn({ message: '2 sign-offs rejected: U1 and U2', userIds: ['U1', 'U2'] })).toBe(
      '2 sign-offs rejected: <@U1> and <@U2>',
    );
    // An id the reason does not list is never a mention, even if typed in a comment.
    expect(reasonMrkdwn({ message: 'Sign-off rejected by U1 (“ask U9”)', userIds: ['U1'] })).toBe('Sign-off rejected by <@U1> (“ask U9”)');
    expect(reasonMrkdwn({ message: 'Pass rate 94.5% (189/200) is below the 95% gate' })).toBe(
      'Pass rate 94.5% (189/200) is below the 95% gate',
    );
  });

  it('links keep their URL inside the link; only http(s) URLs without whitespace or <>| become links', () => {
    expect(link('https://ci.example/run?a=1&b=2', 'run')).toBe('<https://ci.example/run?a=1&amp;b=2|run>');
    for (const url of [
      'https://ci.example/run?a=1&b=2|x',
      'https://ci.example/x> <!here',
      'https://ci.example/x <!here>',
      'javascript:alert(1)',
      'mailto:a@b.example',
      'ftp://ci.example/x',
      'https://',
      '',
    ]) {
      expect(link(url, 'run'), url).toBe('run');
    }
  });
});

describe('jiraRef: a defect’s Jira issue beside its title', () => {
  it('a linked issue is its key as a link, then its status', () => {
    expect(jiraRef({ jiraKey: 'PAY-1', jiraUrl: 'https://jira.test/browse/PAY-1', jiraStatus: 'To Do', jiraSync: 'LINKED' })).toBe(
      '<https://jira.test/browse/PAY-1|PAY-1> _To Do_ · ',
    );
  });

  it('a link that failed is visible, with why (escaped)', () => {
    expect(jiraRef({ jiraKey: 'PAY-404', jiraUrl: null, jiraSync: 'FAILED', jiraSyncError: 'PAY-404 does not exist in Jira <here>' })).toBe(
      ':warning: PAY-404 link failed (PAY-404 does not exist in Jira &lt;here&gt;) · ',
    );
    expect(jiraRef({ jiraKey: null, jiraUrl: null, jiraSync: 'FAILED', jiraSyncError: 'Jira refused the request (400)' })).toBe(
      ':warning: Jira issue not created (Jira refused the request (400)) · ',
    );
  });

  it('a link or creation not yet confirmed says so', () => {
    expect(jiraRef({ jiraKey: 'PAY-2', jiraUrl: null, jiraSync: 'PENDING' })).toBe('PAY-2 _checking in Jira_ · ');
    expect(jiraRef({ jiraKey: null, jiraUrl: null, jiraSync: 'PENDING' })).toBe('_Jira issue pending_ · ');
  });

  it('no Jira issue: nothing', () => {
    expect(jiraRef({ jiraKey: null, jiraUrl: null })).toBe('');
  });
});
