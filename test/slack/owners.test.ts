// `/milestone owners` over signed requests through the real Bolt app with the
// Slack Web API stand-in: rules set from mentions (a pattern with spaces too),
// listed in order as mentions built from stored ids, one removed, all cleared;
// typed names and a pattern without owners refused with the way out; and once
// the project has approvers, only they may change the rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../helpers/audit.js';
import { seedProject } from '../helpers/factories.js';
import { TEAM_A, type Team } from '../helpers/slack-payloads.js';
import { testProvider } from '../helpers/test-database.js';
import { listOwnerRules } from '../../src/services/list-owner-rules.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

const APPROVER: Team = { ...TEAM_A, userId: 'U0APPROVER' };
const OUTSIDER: Team = { ...TEAM_A, userId: 'U0OUTSIDER' };

let h: SlackHarness;
let projectId = '';

beforeAll(async () => {
  h = await startSlackHarness();
  projectId = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments' })).project.id;
});
afterAll(async () => h?.stop());

const rules = () => listOwnerRules(h.db, { projectId });
const ownerEntries = async () => (await auditEntries(h.db.prisma, { projectId })).filter((e) => e.kind === 'project.owners');

describe(`/milestone owners (${testProvider()})`, () => {
  it('with no rules, says so and how to add one', async () => {
    const shown = textOf(await (await h.command(TEAM_A, 'owners PAY')).reply());
    expect(shown).toContain('*PAY* has no owner rules');
    expect(shown).toContain('/milestone owners PAY checkout::* @person @group');
  });

  it('sets rules from mentions (the last one added goes last), and lists them in order as mentions', async () => {
    const reply = await (await h.command(TEAM_A, 'owners pay checkout* <!subteam^S0PAYMENTS|@payments>')).reply();
    expect(textOf(reply)).toContain('Owners of `checkout*` in *PAY* set');
    await (await h.command(TEAM_A, 'owners PAY checkout::pays-by-card <@U0ANN|ann> <@W0BOB> U0CAROL')).reply();
    // A suite with spaces (and Slack's escaped >) is one pattern: everything before the owners.
    await (await h.command(TEAM_A, 'owners PAY billing › refunds &gt; * <@U0ANN|ann>')).reply();
    expect(await rules()).toEqual([
      { pattern: 'checkout*', owners: ['S0PAYMENTS'] },
      { pattern: 'checkout::pays-by-card', owners: ['U0ANN', 'W0BOB', 'U0CAROL'] },
      { pattern: 'billing › refunds > *', owners: ['U0ANN'] },
    ]);
    const shown = textOf(await (await h.command(OUTSIDER, 'owners PAY')).reply());
    expect(shown).toContain('The last rule that matches');
    expect(shown).toContain('1. `checkout*` → <!subteam^S0PAYMENTS>');
    expect(shown).toContain('2. `checkout::pays-by-card` → <@U0ANN>, <@W0BOB>, <@U0CAROL>');
    expect(shown).toContain('3. `billing › refunds &gt; *` → <@U0ANN>');
    // Setting a pattern again replaces its owners where the rule stands.
    await (await h.command(TEAM_A, 'owners PAY checkout* <@U0DAVE>')).reply();
    expect((await rules())[0]).toEqual({ pattern: 'checkout*', owners: ['U0DAVE'] });
    const trail = await ownerEntries();
    expect(trail).toHaveLength(4);
    expect(trail[0]).toMatchObject({ actorType: 'slack', actorId: TEAM_A.userId, actorTeam: TEAM_A.teamId });
  });

  it('refuses typed names and a pattern without owners, changing nothing', async () => {
    const before = await rules();
    let ack = (await h.command(TEAM_A, 'owners PAY checkout* @ann')).ack;
    expect(textOf(ack.json)).toContain('Name the owners of `checkout* @ann` after it');
    ack = (await h.command(TEAM_A, 'owners PAY checkout* <@U0ANN> ann')).ack;
    expect(textOf(ack.json)).toContain('`ann` is not a person or user group Shipgate can read');
    ack = (await h.command(TEAM_A, 'owners PAY remove')).ack;
    expect(textOf(ack.json)).toContain('needs the pattern of the rule to remove');
    const reply = await (await h.command(TEAM_A, 'owners PAY remove nothing::here')).reply();
    expect((reply as { text: string }).text).toContain(
      'No owner rule has the pattern "nothing::here"; nothing was changed. The patterns are: checkout*, checkout::pays-by-card,',
    );
    expect(await rules()).toEqual(before);
  });

  it('removes one rule, then clears them all', async () => {
    let reply = await (await h.command(TEAM_A, 'owners PAY remove billing › refunds &gt; *')).reply();
    expect(textOf(reply)).toContain('Owner rule `billing › refunds &gt; *` of *PAY* removed');
    expect((await rules()).map((r) => r.pattern)).toEqual(['checkout*', 'checkout::pays-by-card']);
    reply = await (await h.command(TEAM_A, 'owners PAY clear')).reply();
    expect(textOf(reply)).toContain('Every owner rule of *PAY* removed');
    expect(await rules()).toEqual([]);
  });

  it('once the project has approvers, only they may change the rules; anyone may list them', async () => {
    await (await h.command(TEAM_A, `approvers PAY <@${APPROVER.userId}>`)).reply();
    const entries = (await ownerEntries()).length;
    const refused = textOf(await (await h.command(OUTSIDER, 'owners PAY checkout* <@U0OUTSIDER>')).reply());
    expect(refused).toContain("Only the approvers of *PAY* may change the project's owners");
    expect(refused).toContain(`<@${APPROVER.userId}>`);
    expect(await rules()).toEqual([]);
    expect(await ownerEntries()).toHaveLength(entries);
    expect(textOf(await (await h.command(OUTSIDER, 'owners PAY')).reply())).toContain('has no owner rules');
    const allowed = textOf(await (await h.command(APPROVER, 'owners PAY checkout* <@U0ANN>')).reply());
    expect(allowed).toContain('Owners of `checkout*` in *PAY* set');
    expect(await rules()).toEqual([{ pattern: 'checkout*', owners: ['U0ANN'] }]);
  });
});
