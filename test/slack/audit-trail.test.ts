// The audit trail from Slack, over signed requests through the real Bolt app:
// each change a person makes there — a new milestone's gate, a scope, a waiver,
// a sign-off, completing against the gate, reopening, archiving — is recorded
// with the Slack user and their team; a refused one leaves no entry. Gate and
// scope changes reach the milestone's channel as one line each, escaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runAuditNoticesTick } from '../../src/jobs/audit-notices-tick.js';
import { createLogger } from '../../src/logger.js';
import { setChannelThreads } from '../../src/services/set-channel-threads.js';
import { auditEntries, changes } from '../helpers/audit.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { blockAction, conversation, date, radio, select, TEAM_A, text, viewSubmission } from '../helpers/slack-payloads.js';
import { testProvider } from '../helpers/test-database.js';
import { startSlackHarness, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;
let pay: { id: string };
const card = { c: TEAM_A.channelId, t: '1700000000.000100' };
const bySlack = { actorType: 'slack', actorId: TEAM_A.userId, actorName: null, actorTeam: TEAM_A.teamId };

beforeAll(async () => {
  h = await startSlackHarness();
  pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments', slackChannelId: 'C0PROJECT' })).project;
});
afterAll(async () => h?.stop());

async function submit(callbackId: string, values: Parameters<typeof viewSubmission>[2], metadata: object) {
  return h.send(viewSubmission(TEAM_A, callbackId, values, JSON.stringify(metadata)));
}

const noticesTick = () =>
  runAuditNoticesTick(
    { db: h.db.db, notifier: h.notifier, logger: createLogger('silent'), config: loadConfig({ DATABASE_URL: h.db.url }) },
    new Date(),
  );

describe(`audit trail from Slack (${testProvider()})`, () => {
  it('a milestone created in the modal with a gate: the gate is recorded with the user and team', async () => {
    const res = await submit(
      'create_milestone',
      {
        project: select(pay.id),
        name: text('2.6'),
        channel: conversation('C0RELEASE'),
        pass_rate: text('90'),
        environments: text('staging'),
        signoffs: text('2'),
      },
      {},
    );
    expect(res.body).toBe('');
    const m = await h.db.prisma.milestone.findFirstOrThrow({ where: { projectId: pay.id, name: '2.6' } });
    const trail = await auditEntries(h.db.prisma, { milestoneId: m.id });
    expect(changes(trail)).toEqual([
      {
        kind: 'milestone.gate',
        before: { passRateThreshold: null, requiredEnvironments: null, requiredSignoffs: null },
        after: { passRateThreshold: 0.9, requiredEnvironments: ['staging'], requiredSignoffs: 2 },
      },
    ]);
    expect(trail[0]).toMatchObject(bySlack);
  });

  it('scope from the modal, and its line in the milestone channel (escaped, the user as a mention)', async () => {
    // Threads off: each notice is a message of its own (with threads on it is a reply in the living message, test/jobs).
    const workspace = await h.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: TEAM_A.teamId } });
    await setChannelThreads(h.db, { workspaceId: workspace.id, channelId: 'C0RELEASE', threads: false });
    const m = await seedMilestone(h.db, pay.id, '<!channel> 2.7', { slackChannelId: 'C0RELEASE' });
    expect((await submit('scope_milestone', { patterns: text('checkout::*\n<!here>::x') }, { m: m.id, ...card })).body).toBe('');
    expect((await submit('scope_milestone', { patterns: text('checkout::*') }, { m: m.id, ...card })).body).toBe('');
    const trail = await auditEntries(h.db.prisma, { milestoneId: m.id });
    expect(changes(trail)).toEqual([
      { kind: 'milestone.scope', before: { scope: null }, after: { scope: ['checkout::*', '<!here>::x'] } },
      { kind: 'milestone.scope', before: { scope: ['checkout::*', '<!here>::x'] }, after: { scope: ['checkout::*'] } },
    ]);
    for (const e of trail) expect(e).toMatchObject(bySlack);

    await h.idle();
    h.slack.reset();
    // The earlier test's gate notice and these two go out now, each once.
    expect(await noticesTick()).toMatchObject({ claimed: 3, sent: 3, failed: 0 });
    const posts = h.slack.callsTo('chat.postMessage');
    const texts = posts.map((p) => String(p.body.text));
    expect(posts.map((p) => p.body.channel)).toEqual(['C0RELEASE', 'C0RELEASE', 'C0RELEASE']);
    expect(texts[0]).toContain(`Gate of PAY/2.6 changed by <@${TEAM_A.userId}>:`);
    expect(texts[0]).toContain('• pass rate: inherited → 90%');
    expect(texts[0]).toContain('• required environments: inherited → staging');
    expect(texts[1]).toBe(
      `:pencil2: Scope of PAY/&lt;!channel&gt; 2.7 changed by <@${TEAM_A.userId}>: no scope → 2 patterns.\n• added: \`checkout::*\`, \`&lt;!here&gt;::x\``,
    );
    expect(texts[2]).toContain('2 patterns → 1 pattern.');
    expect(texts[2]).toContain('• removed: `&lt;!here&gt;::x`');
    for (const t of texts) expect(t).not.toMatch(/<!(channel|here|everyone)/);
    // Sent means done: a second tick sends nothing.
    expect(await noticesTick()).toMatchObject({ claimed: 0, sent: 0 });
  });

  it('waive, sign off, complete against the gate: each with its user', async () => {
    const m = await seedMilestone(h.db, pay.id, '2.8');
    await seedRun(h.db, { projectId: pay.id, milestoneId: m.id, passed: 9, failed: 1 });
    const d = await h.db.prisma.defect.create({ data: { projectId: pay.id, milestoneId: m.id, title: 'Crash', severity: 'CRITICAL' } });
    expect(
      (await submit('waive_defect', { reason: text('Legacy only'), until: date('2099-12-31') }, { d: d.id, m: m.id, ...card })).body,
    ).toBe('');
    expect((await submit('sign_off', { decision: radio('REJECT'), comment: text('Not yet') }, { m: m.id, ...card })).body).toBe('');
    expect((await submit('complete_milestone', { override_reason: text('Board said ship') }, { m: m.id, ...card })).body).toBe('');
    const signoff = await h.db.prisma.signoff.findFirstOrThrow({ where: { milestoneId: m.id } });
    const trail = await auditEntries(h.db.prisma, { milestoneId: m.id });
    expect(changes(trail)).toEqual([
      {
        kind: 'defect.waiver',
        before: { status: 'OPEN', waiverReason: null, waiverUntil: null },
        after: { status: 'WAIVED', waiverReason: 'Legacy only', waiverUntil: '2099-12-31T23:59:59.999Z' },
      },
      { kind: 'signoff.added', before: {}, after: { signoffId: signoff.id, decision: 'REJECT', comment: 'Not yet' } },
      {
        kind: 'milestone.status',
        before: { status: 'ACTIVE', overrideReason: null },
        after: { status: 'COMPLETED', overrideReason: 'Board said ship' },
      },
    ]);
    for (const e of trail) expect(e).toMatchObject(bySlack);
    expect(trail[0]!.defectId).toBe(d.id);
  });

  it("a stale run's Abort button, on a run that holds results, is recorded with the user", async () => {
    const m = await seedMilestone(h.db, pay.id, '3.0');
    const run = await seedRun(h.db, { projectId: pay.id, milestoneId: m.id, name: 'manual', passed: 2, status: 'IN_PROGRESS' });
    await h.idle();
    h.slack.reset();
    await h.send(
      blockAction(
        TEAM_A,
        { actionId: 'nudge_abort', value: run.id, blockId: 'nudge' },
        { channel: 'D0NUDGE', messageTs: '1700000099.000100' },
      ),
    );
    // The nudge's message is replaced once the run is aborted (a card refresh of an earlier test may land meanwhile).
    await h.slack.waitFor('chat.update', (c) => c.body.channel === 'D0NUDGE');
    const trail = await auditEntries(h.db.prisma, { milestoneId: m.id });
    expect(changes(trail)).toEqual([
      {
        kind: 'run.aborted',
        before: { status: 'IN_PROGRESS' },
        after: { status: 'ABORTED', runId: run.id, runName: 'manual', results: 2 },
      },
    ]);
    expect(trail[0]).toMatchObject(bySlack);
  });

  it('/milestone reopen and archive are recorded; a refused command or modal records nothing', async () => {
    const m = await seedMilestone(h.db, pay.id, '2.9', { status: 'COMPLETED' });
    expect(String((await (await h.command(TEAM_A, 'reopen PAY/2.9')).reply()).text)).toContain('2.9');
    expect(String((await (await h.command(TEAM_A, 'archive PAY/2.9')).reply()).text)).toContain('2.9');
    // Refused: archived milestones take no sign-off, nothing to reopen, a waiver in the past.
    const before = await auditEntries(h.db.prisma, { projectId: pay.id });
    const signed = await submit('sign_off', { decision: radio('APPROVE') }, { m: m.id });
    expect(signed.json).toMatchObject({ response_action: 'errors' });
    expect(String((await (await h.command(TEAM_A, 'reopen PAY/2.9')).reply()).text)).toMatch(/archived|cannot/i);
    const d = await h.db.prisma.defect.create({ data: { projectId: pay.id, milestoneId: m.id, title: 'Old', severity: 'HIGH' } });
    expect((await submit('waive_defect', { reason: text('ok'), until: date('2000-01-01') }, { d: d.id })).json).toMatchObject({
      response_action: 'errors',
    });
    await h.idle();
    expect(await auditEntries(h.db.prisma, { projectId: pay.id })).toEqual(before);
    expect(changes(await auditEntries(h.db.prisma, { milestoneId: m.id }))).toEqual([
      { kind: 'milestone.status', before: { status: 'COMPLETED' }, after: { status: 'ACTIVE' } },
      { kind: 'milestone.status', before: { status: 'ACTIVE' }, after: { status: 'ARCHIVED' } },
    ]);
  });
});
