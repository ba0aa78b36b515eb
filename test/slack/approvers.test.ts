// Approvers in Slack, over signed requests through the real Bolt app with the
// Slack Web API stand-in: with none set anyone may sign off; once a project
// has approvers (set with mentions), anyone else gets an ephemeral refusal
// naming who may — from the command, the card's buttons and a modal submitted
// anyway — and nothing changes, not even the audit trail; approvers in person
// and members of a listed user group may; clearing lets anyone again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, changes } from '../helpers/audit.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { blockAction, date, radio, select, TEAM_A, text, viewSubmission, type Team } from '../helpers/slack-payloads.js';
import { testProvider } from '../helpers/test-database.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

const APPROVER: Team = { ...TEAM_A, userId: 'U0APPROVER' };
const GROUPIE: Team = { ...TEAM_A, userId: 'U0GROUPIE' };
const OUTSIDER: Team = { ...TEAM_A, userId: 'U0OUTSIDER' };
const GROUP = 'S0RELEASE';

let h: SlackHarness;
let pay: { id: string };
let failing: { id: string };
let defectId = '';
const card = { c: TEAM_A.channelId, t: '1700000000.000100' };

beforeAll(async () => {
  h = await startSlackHarness();
  pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments', slackChannelId: 'C0PROJECT' })).project;
  failing = await seedMilestone(h.db, pay.id, '2.4');
  await seedRun(h.db, { projectId: pay.id, milestoneId: failing.id, passed: 9, failed: 1 });
  defectId = (
    await h.db.prisma.defect.create({ data: { projectId: pay.id, milestoneId: failing.id, title: 'Crash', severity: 'CRITICAL' } })
  ).id;
  await resetSlack();
});

/** Forgets the calls so far; Slack's answer for the group stays: its members. */
async function resetSlack() {
  // Work still running from earlier requests (a card refresh) would land among the calls a test counts.
  await h.idle();
  h.slack.reset();
  h.slack.respond('usergroups.users.list', (call) =>
    call.body.usergroup === GROUP ? { body: { ok: true, users: [GROUPIE.userId] } } : { body: { ok: false, error: 'no_such_subteam' } },
  );
}
afterAll(async () => h?.stop());

function submit(team: Team, callbackId: string, values: Parameters<typeof viewSubmission>[2], metadata: object) {
  return h.send(viewSubmission(team, callbackId, values, JSON.stringify(metadata)));
}

const signoffs = (milestoneId: string) => h.db.prisma.signoff.count({ where: { milestoneId } });

/** The refusal's text names the approvers as mentions: the person and the group. */
function expectRefusal(message: unknown, doing: string) {
  const shown = textOf(message);
  expect(shown).toContain(`Only the approvers of *PAY* may ${doing}`);
  expect(shown).toContain(`<@${APPROVER.userId}>`);
  expect(shown).toContain(`<!subteam^${GROUP}>`);
  expect(shown).toContain('Nothing was changed');
}

describe(`approvers in Slack (${testProvider()})`, () => {
  it('with no approvers anyone may sign off, and the list says so', async () => {
    const open = await seedMilestone(h.db, pay.id, 'open to all');
    expect((await submit(OUTSIDER, 'sign_off', { decision: radio('APPROVE') }, { m: open.id })).body).toBe('');
    expect(await signoffs(open.id)).toBe(1);
    const shown = await (await h.command(OUTSIDER, 'approvers PAY')).reply();
    expect(textOf(shown)).toContain('*PAY* has no approvers: anyone in the workspace may');
  });

  it('sets approvers from mentions; the change is on the audit trail and told in the project channel', async () => {
    const { reply } = await h.command(TEAM_A, `approvers pay <@${APPROVER.userId}|ann> <!subteam^${GROUP}|@release>`);
    expect(textOf(await reply())).toContain(`Approvers of *PAY* set: <@${APPROVER.userId}>, <!subteam^${GROUP}>.`);
    expect(JSON.parse((await h.db.prisma.project.findUniqueOrThrow({ where: { id: pay.id } })).approvers)).toEqual([
      APPROVER.userId,
      GROUP,
    ]);
    const trail = (await auditEntries(h.db.prisma, { projectId: pay.id })).filter((e) => e.kind === 'project.approvers');
    expect(changes(trail)).toEqual([
      { kind: 'project.approvers', before: { approvers: [] }, after: { approvers: [APPROVER.userId, GROUP] } },
    ]);
    expect(trail[0]).toMatchObject({ actorType: 'slack', actorId: TEAM_A.userId, actorTeam: TEAM_A.teamId });
    expect(await h.db.prisma.outboxItem.count({ where: { kind: 'slack.auditNotice' } })).toBe(1);
  });

  it('refuses a typed name that is not a mention, saying how to name people', async () => {
    const { ack } = await h.command(APPROVER, 'approvers PAY @ann');
    expect(textOf(ack.json)).toContain('`@ann` is not a person or user group Shipgate can read');
  });

  it('someone else: the command, the buttons and the modals are refused, naming who may; nothing changes', async () => {
    const before = await auditEntries(h.db.prisma, { projectId: pay.id });
    await resetSlack();

    // /milestone signoff: refused before any modal opens.
    expectRefusal(await (await h.command(OUTSIDER, 'signoff PAY/2.4')).reply(), 'sign off');
    // /milestone complete on a NO_GO milestone: completing against the gate.
    expectRefusal(await (await h.command(OUTSIDER, 'complete PAY/2.4')).reply(), 'complete a milestone against its gate');
    // /milestone scope.
    expectRefusal(await (await h.command(OUTSIDER, 'scope PAY/2.4')).reply(), "change a milestone's scope");
    // The card's buttons answer through their response_url.
    for (const [actionId, value, doing] of [
      ['card_signoff', failing.id, 'sign off'],
      ['card_complete', failing.id, 'complete a milestone against its gate'],
      ['defect_waive', defectId, 'waive a defect'],
    ] as const) {
      const id = `${actionId}-refused`;
      await h.send(
        blockAction(OUTSIDER, { actionId, value }, { channel: card.c, messageTs: card.t, responseUrl: h.slack.responseUrl(id) }),
      );
      expectRefusal((await h.slack.waitFor('response_url', (c) => c.body.__responseId === id)).body, doing);
    }
    await h.idle();
    expect(h.slack.callsTo('views.open')).toEqual([]);

    // Modals submitted anyway (opened before approvers were set): the field says why, a direct message names them.
    const refusedModals = [
      ['sign_off', { decision: radio('APPROVE') }, { m: failing.id }, 'comment'],
      ['complete_milestone', { override_reason: text('Ship it') }, { m: failing.id }, 'override_reason'],
      ['waive_defect', { reason: text('Legacy only'), until: date('2099-12-31') }, { d: defectId, m: failing.id }, 'reason'],
      ['scope_milestone', { patterns: text('checkout::*') }, { m: failing.id }, 'patterns'],
      ['create_milestone', { project: select(pay.id), name: text('gated'), pass_rate: text('10') }, {}, 'name'],
    ] as const;
    for (const [callbackId, values, metadata, field] of refusedModals) {
      const res = await submit(OUTSIDER, callbackId, values, metadata);
      expect(res.json, callbackId).toMatchObject({ response_action: 'errors' });
      expect((res.json as { errors: Record<string, string> }).errors[field]).toBe(
        `Only the approvers of PAY may ${
          {
            sign_off: 'sign off',
            complete_milestone: 'complete a milestone against its gate',
            waive_defect: 'waive a defect',
            scope_milestone: "change a milestone's scope",
            create_milestone: "change a milestone's gate",
          }[callbackId]
        }; Shipgate sent you a message naming them. Nothing was changed.`,
      );
    }
    await h.idle();
    const dms = h.slack.callsTo('chat.postMessage').filter((c) => c.body.channel === OUTSIDER.userId);
    expect(dms).toHaveLength(refusedModals.length);
    expectRefusal(dms[0]!.body, 'sign off');
    // Nor may they change the list.
    expectRefusal(await (await h.command(OUTSIDER, 'approvers PAY clear')).reply(), "change the project's approvers");

    await h.idle();
    expect(await signoffs(failing.id)).toBe(0);
    expect(await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: failing.id } })).toMatchObject({ status: 'ACTIVE', scope: null });
    expect((await h.db.prisma.defect.findUniqueOrThrow({ where: { id: defectId } })).status).toBe('OPEN');
    expect(await h.db.prisma.milestone.count({ where: { name: 'gated' } })).toBe(0);
    expect(JSON.parse((await h.db.prisma.project.findUniqueOrThrow({ where: { id: pay.id } })).approvers)).toHaveLength(2);
    expect(await auditEntries(h.db.prisma, { projectId: pay.id })).toEqual(before);
  });

  it('what is not an approval stays open: completing a GO milestone, a milestone without a gate', async () => {
    const green = await seedMilestone(h.db, pay.id, 'green');
    await seedRun(h.db, { projectId: pay.id, milestoneId: green.id, passed: 5 });
    expect((await submit(OUTSIDER, 'complete_milestone', {}, { m: green.id })).body).toBe('');
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: green.id } })).status).toBe('COMPLETED');
    expect((await submit(OUTSIDER, 'create_milestone', { project: select(pay.id), name: text('plain') }, {})).body).toBe('');
    expect(await h.db.prisma.milestone.count({ where: { name: 'plain' } })).toBe(1);
  });

  it('an approver in person, and a member of the listed group, may; Slack was asked about that group', async () => {
    await resetSlack();
    expect((await submit(APPROVER, 'sign_off', { decision: radio('APPROVE') }, { m: failing.id, ...card })).body).toBe('');
    expect((await submit(GROUPIE, 'sign_off', { decision: radio('REJECT'), comment: text('Not yet') }, { m: failing.id })).body).toBe('');
    expect(await signoffs(failing.id)).toBe(2);
    expect(h.slack.callsTo('usergroups.users.list').map((c) => c.body.usergroup)).toEqual([GROUP]);
    expect((await submit(GROUPIE, 'waive_defect', { reason: text('Legacy only'), until: date('2099-12-31') }, { d: defectId })).body).toBe(
      '',
    );
    expect((await h.db.prisma.defect.findUniqueOrThrow({ where: { id: defectId } })).status).toBe('WAIVED');
    // A button by an approver opens its modal.
    await h.send(blockAction(APPROVER, { actionId: 'card_signoff', value: failing.id }, { channel: card.c, messageTs: card.t }));
    await h.slack.waitFor('views.open');
  });

  it('an approver clears the list: anyone may again', async () => {
    const { reply } = await h.command(GROUPIE, 'approvers PAY clear');
    expect(textOf(await reply())).toContain('*PAY* has no approvers now: anyone in the workspace may');
    expect((await submit(OUTSIDER, 'sign_off', { decision: radio('APPROVE') }, { m: failing.id })).body).toBe('');
    expect(await signoffs(failing.id)).toBe(3);
    const last = (await auditEntries(h.db.prisma, { projectId: pay.id })).filter((e) => e.kind === 'project.approvers').at(-1)!;
    expect(last).toMatchObject({ actorId: GROUPIE.userId, before: { approvers: [APPROVER.userId, GROUP] }, after: { approvers: [] } });
  });
});
