import { describe, expect, it } from 'vitest';
import { USAGE } from '../../src/messages/command-usage.js';
import { parseCommand, parseMilestoneRef } from '../../src/slack/command-parser.js';

function ok(text: string) {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.problem}`);
  return r.command;
}
function bad(text: string) {
  const r = parseCommand(text);
  if (r.ok) throw new Error(`expected ${text} to fail, got ${JSON.stringify(r.command)}`);
  return r;
}

describe('parseCommand', () => {
  it('empty text and help are help', () => {
    expect(ok('')).toEqual({ kind: 'help' });
    expect(ok('   ')).toEqual({ kind: 'help' });
    expect(ok('HELP')).toEqual({ kind: 'help' });
  });

  it('milestone subcommands take PROJECT/name or a name with spaces', () => {
    expect(ok('status PAY/2.4')).toEqual({ kind: 'status', ref: { project: 'PAY', name: '2.4', raw: 'PAY/2.4' } });
    expect(ok('signoff  Spring   release ')).toEqual({
      kind: 'signoff',
      ref: { project: null, name: 'Spring release', raw: 'Spring release' },
    });
    expect(ok('link pay/Q3 hardening')).toEqual({ kind: 'link', ref: { project: 'PAY', name: 'Q3 hardening', raw: 'pay/Q3 hardening' } });
    for (const sub of ['scope', 'defect', 'complete', 'reopen', 'archive'] as const) expect(ok(`${sub} x`)).toMatchObject({ kind: sub });
  });

  it('a slash that is not after a project key is part of the name', () => {
    expect(parseMilestoneRef('2.4/hotfix')).toEqual({ project: null, name: '2.4/hotfix', raw: '2.4/hotfix' });
    expect(parseMilestoneRef('/x')).toMatchObject({ project: null, name: '/x' });
  });

  it('Slack non-breaking spaces count as spaces', () => {
    expect(ok('status\u00a0PAY/2.4')).toMatchObject({ kind: 'status', ref: { project: 'PAY' } });
  });

  it('create takes an optional name', () => {
    expect(ok('create')).toEqual({ kind: 'create', name: null });
    expect(ok('create 2.5 beta')).toEqual({ kind: 'create', name: '2.5 beta' });
  });

  it('list takes an optional project and `all` in any order', () => {
    expect(ok('list')).toEqual({ kind: 'list', project: null, all: false });
    expect(ok('list all pay')).toEqual({ kind: 'list', project: 'PAY', all: true });
    expect(bad('list PAY MOB').problem).toContain('`MOB` is not a project key or `all`');
  });

  it('subscribe reads [HH:MM] [zone] from the end', () => {
    expect(ok('subscribe PAY')).toEqual({ kind: 'subscribe', target: 'PAY', time: null, timeZone: null, days: null });
    expect(ok('subscribe PAY 9:05')).toEqual({ kind: 'subscribe', target: 'PAY', time: '09:05', timeZone: null, days: null });
    expect(ok('subscribe PAY/Spring release 17:30 Europe/Berlin')).toEqual({
      kind: 'subscribe',
      target: 'PAY/Spring release',
      time: '17:30',
      timeZone: 'Europe/Berlin',
      days: null,
    });
    expect(ok('subscribe PAY America/Argentina/Buenos_Aires')).toEqual({
      kind: 'subscribe',
      target: 'PAY',
      time: null,
      timeZone: 'America/Argentina/Buenos_Aires',
      days: null,
    });
    // A milestone named like PROJECT/x is not a zone.
    expect(ok('subscribe PAY/2.4')).toEqual({ kind: 'subscribe', target: 'PAY/2.4', time: null, timeZone: null, days: null });
  });

  it('subscribe reads a trailing daily or weekdays', () => {
    expect(ok('subscribe PAY 09:00 Europe/Berlin weekdays')).toEqual({
      kind: 'subscribe',
      target: 'PAY',
      time: '09:00',
      timeZone: 'Europe/Berlin',
      days: 'weekdays',
    });
    expect(ok('subscribe PAY/2.4 Daily')).toEqual({ kind: 'subscribe', target: 'PAY/2.4', time: null, timeZone: null, days: 'daily' });
    // A milestone named "weekdays" alone is still a target.
    expect(ok('subscribe weekdays')).toEqual({ kind: 'subscribe', target: 'weekdays', time: null, timeZone: null, days: null });
  });

  it('subscribe refuses a bad time or zone with the right form', () => {
    expect(bad('subscribe PAY 24:00')).toMatchObject({ usage: USAGE.subscribe });
    expect(bad('subscribe PAY 9:5').problem).toContain('HH:MM');
    expect(bad('subscribe PAY 09:00 Mars/Olympus').problem).toContain('not a time zone');
    expect(bad('subscribe PAY Mars/Olympus').problem).toContain('not a time zone');
    expect(bad('subscribe 09:00').problem).toContain('needs a project key or a milestone');
    expect(ok('subscribe')).toEqual({ kind: 'subscriptions' });
  });

  it('project create / jira / use', () => {
    expect(ok('project create pay Payments team')).toEqual({ kind: 'project-create', key: 'PAY', name: 'Payments team' });
    expect(ok('project jira PAY payj')).toEqual({ kind: 'project-jira', key: 'PAY', jiraKey: 'PAYJ' });
    expect(ok('project use mob')).toEqual({ kind: 'project-use', key: 'MOB' });
    expect(bad('project create PAY').usage).toBe(USAGE['project create']);
    expect(bad('project jira PAY').usage).toBe(USAGE['project jira']);
    expect(bad('project jira PAY not-a-key!').problem).toContain('not a Jira project key');
    expect(bad('project use').usage).toBe(USAGE['project use']);
    expect(bad('project delete PAY').problem).toContain("I don't know `project delete`");
    expect(bad('project').problem).toContain('needs an action');
  });

  it('apikey create / list / revoke', () => {
    expect(ok('apikey create pay')).toEqual({ kind: 'apikey-create', key: 'PAY', scope: 'report' });
    expect(ok('apikey create PAY Admin')).toEqual({ kind: 'apikey-create', key: 'PAY', scope: 'admin' });
    expect(ok('apikey create PAY read')).toEqual({ kind: 'apikey-create', key: 'PAY', scope: 'read' });
    expect(bad('apikey create PAY owner').problem).toContain('`owner` is not a key scope: use report');
    expect(bad('apikey create PAY admin extra').usage).toBe(USAGE['apikey create']);
    expect(ok('apikey list PAY')).toEqual({ kind: 'apikey-list', key: 'PAY' });
    expect(ok('apikey revoke ckabc123')).toEqual({ kind: 'apikey-revoke', id: 'ckabc123' });
    expect(bad('apikey create').usage).toBe(USAGE['apikey create']);
    expect(bad('apikey revoke').usage).toBe(USAGE['apikey revoke']);
    expect(bad('apikey').problem).toContain('needs an action');
  });

  it('unknown subcommands and missing milestones say what was wrong', () => {
    expect(bad('deploy PAY/2.4').problem).toContain("I don't know the subcommand `deploy`");
    expect(bad('status')).toEqual({ ok: false, problem: expect.stringContaining('needs a milestone'), usage: USAGE.status });
    expect(bad('unsubscribe').usage).toBe(USAGE.unsubscribe);
  });
});

describe('command text as Slack sends it', () => {
  it('decodes &amp;, &lt; and &gt; once: `R&amp;D 2.4` names R&D 2.4', () => {
    expect(parseCommand('status R&amp;D 2.4')).toMatchObject({ ok: true, command: { kind: 'status', ref: { name: 'R&D 2.4' } } });
    expect(parseMilestoneRef('PAY/a &lt;b&gt; &amp;amp;')).toMatchObject({ project: 'PAY', name: 'a <b> &amp;' });
  });
});

describe('approvers, and mentions as Slack escapes them (should_escape: true)', () => {
  it('shows, clears, or sets people and groups from their mentions or ids', () => {
    expect(ok('approvers pay')).toEqual({ kind: 'approvers', key: 'PAY', action: 'show', ids: [] });
    expect(ok('approvers PAY CLEAR')).toEqual({ kind: 'approvers', key: 'PAY', action: 'clear', ids: [] });
    expect(ok('approvers PAY <@U024BE7LH|ann> <!subteam^S0614TZR7|@release-managers>  <@W0ENTERPRISE> U0BYID')).toEqual({
      kind: 'approvers',
      key: 'PAY',
      action: 'set',
      ids: ['U024BE7LH', 'S0614TZR7', 'W0ENTERPRISE', 'U0BYID'],
    });
  });

  it('refuses typed names and text that only looks like a mention', () => {
    expect(bad('approvers PAY @ann').problem).toContain('`@ann` is not a person or user group Shipgate can read');
    // Typed "<@U1>" arrives encoded: it is text, not a mention.
    expect(bad('approvers PAY &lt;@U024BE7LH&gt;').problem).toContain('`<@U024BE7LH>` is not a person or user group');
    expect(bad('approvers PAY <#C0123|general>').problem).toContain('`#general` is not a person or user group');
    expect(bad('approvers').usage).toBe(USAGE.approvers);
    expect(bad('approvers pay-x').problem).toContain('is not a project key');
  });

  it('other subcommands read mentions, channels and links back as the typed text', () => {
    expect(ok('status PAY/Launch <@U1|ann> <#C1|general> <https://x.example|x.example> <!subteam^S1|@qa>')).toMatchObject({
      ref: { project: 'PAY', name: 'Launch @ann #general x.example @qa' },
    });
    expect(ok('project create QA Quality &amp; <!here>')).toEqual({ kind: 'project-create', key: 'QA', name: 'Quality & @here' });
    expect(ok('status R&amp;D &lt;b&gt;')).toMatchObject({ ref: { name: 'R&D <b>' } });
  });
});

describe('owners: a pattern, then its owners as mentions', () => {
  const owners = (action: string, pattern: string | null, ids: string[] = []) => ({ kind: 'owners', key: 'PAY', action, pattern, ids });

  it('shows, clears, removes one pattern, or sets a pattern (spaces and all) to the mentions that end the text', () => {
    expect(ok('owners pay')).toEqual(owners('show', null));
    expect(ok('owners PAY Clear')).toEqual(owners('clear', null));
    expect(ok('owners PAY remove billing › refunds*')).toEqual(owners('remove', 'billing › refunds*'));
    expect(ok('owners PAY checkout* <!subteam^S0614TZR7|@payments> <@U024BE7LH|ann> W0BOB')).toEqual(
      owners('set', 'checkout*', ['S0614TZR7', 'U024BE7LH', 'W0BOB']),
    );
    expect(ok('owners PAY a &lt;b&gt; &amp; c <@U01|x>')).toEqual(owners('set', 'a <b> & c', ['U01']));
    // A pattern that looks like an id is still the pattern when it comes first.
    expect(ok('owners PAY SMOKE U0ANN')).toEqual(owners('set', 'SMOKE', ['U0ANN']));
  });

  it('refuses a pattern without owners, a typed name among them, and a missing key or pattern', () => {
    expect(bad('owners PAY checkout*').problem).toContain('Name the owners of `checkout*` after it');
    expect(bad('owners PAY checkout* <@U01> @ann').problem).toContain('`@ann` is not a person or user group Shipgate can read');
    expect(bad('owners PAY checkout* &lt;@U01&gt;').problem).toContain('Name the owners of `checkout* <@U01>`');
    expect(bad('owners PAY remove').problem).toContain('needs the pattern of the rule to remove');
    expect(bad('owners').usage).toBe(USAGE.owners);
    expect(bad('owners pay-x').problem).toContain('is not a project key');
  });
});
