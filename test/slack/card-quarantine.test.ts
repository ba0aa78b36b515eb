// The readiness card's Quarantine buttons (SPEC §10, issue 15), through the real
// Bolt app over signed requests with the Slack Web API stand-in: the card names
// its flaky tests and offers a button beside each non-critical one; the button
// opens a modal (reason, until) carrying ids only; submitting it quarantines
// the test as the Slack user, on the audit trail, and the card drops the
// button. What the use case refuses (a critical case, a case quarantined
// meanwhile, an end in the past) comes back on the modal's fields and changes
// nothing; with approvers set, only they may.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../helpers/audit.js';
import { resultRow, seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { blockAction, date, TEAM_A, text, viewSubmission, type Team } from '../helpers/slack-payloads.js';
import { testProvider } from '../helpers/test-database.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

const OUTSIDER: Team = { ...TEAM_A, userId: 'U0OUTSIDER' };
// Case keys are data: one with Slack markup and one longer than a button's text.
const HOSTILE = 'flaky::<!channel> *bold*';
const LONG = `flaky::${'x'.repeat(200)}`;

let h: SlackHarness;
let pay: { id: string };
let m: { id: string };
let cardTs = '';
let cardBlocks: unknown;

type Button = { action_id: string; text: { text: string }; value: string };
type Blocks = { type: string; block_id?: string; elements?: Button[] }[];

beforeAll(async () => {
  h = await startSlackHarness();
  pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments' })).project;
  m = await seedMilestone(h.db, pay.id, '2.4');
  // Four runs in one environment: each of these cases flips status every run.
  for (const [i, status] of (['PASSED', 'FAILED', 'PASSED', 'FAILED'] as const).entries())
    await seedRun(h.db, {
      projectId: pay.id,
      milestoneId: m.id,
      name: `nightly ${i}`,
      results: [
        resultRow('flaky::a', status),
        resultRow('flaky::crit', status, { critical: true }),
        resultRow(HOSTILE, status),
        resultRow(LONG, status),
        resultRow('steady::ok', 'PASSED'),
      ],
    });
  await h.command(TEAM_A, 'status PAY/2.4');
  cardBlocks = (await h.slack.waitFor('chat.postMessage')).body.blocks;
  // The stand-in numbers messages from 1700000000: the card is the first one posted.
  cardTs = '1700000000.000100';
});
afterAll(async () => h?.stop());

const caseId = async (key: string) => (await h.db.prisma.testCase.findFirstOrThrow({ where: { projectId: pay.id, key } })).id;

function flakyButtons(blocks: unknown): Button[] {
  return (blocks as Blocks).find((b) => b.block_id === 'card_flaky')?.elements ?? [];
}

function click(team: Team, actionId: string, value: string, responseId: string) {
  return h.send(
    blockAction(
      team,
      { actionId, value, blockId: 'card_flaky' },
      { channel: TEAM_A.channelId, messageTs: cardTs, responseUrl: h.slack.responseUrl(responseId) },
    ),
  );
}

function submit(team: Team, values: Parameters<typeof viewSubmission>[2], metadata: object) {
  return h.send(viewSubmission(team, 'quarantine_test', values, JSON.stringify(metadata)));
}

const quarantined = (key: string) => h.db.prisma.quarantine.findFirst({ where: { projectId: pay.id, testCase: { key } } });

describe(`the card's Quarantine buttons (${testProvider()})`, () => {
  it('the card names the flaky tests and offers a button beside each non-critical one, ids in the value, text clipped', async () => {
    expect(textOf(cardBlocks)).toContain('flaky across runs');
    const buttons = flakyButtons(cardBlocks);
    const byValue = new Map(buttons.map((b) => [b.value, b]));
    expect(buttons.length).toBe(3);
    expect(byValue.has(`${m.id}:${await caseId('flaky::crit')}`)).toBe(false);
    expect(byValue.get(`${m.id}:${await caseId('flaky::a')}`)?.text.text).toBe('Quarantine flaky::a');
    expect(byValue.get(`${m.id}:${await caseId(HOSTILE)}`)?.text.text).toBe(`Quarantine ${HOSTILE}`);
    const long = byValue.get(`${m.id}:${await caseId(LONG)}`)!;
    expect(long.text.text.length).toBeLessThanOrEqual(75);
    expect(long.text.text).toMatch(/^Quarantine flaky::x+…$/);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(buttons.length);
    for (const b of buttons) expect(b.value.length).toBeLessThanOrEqual(2000);
  });

  it('a button opens the modal for that test, carrying the card and ids', async () => {
    await h.idle();
    h.slack.reset();
    const id = await caseId(HOSTILE);
    const button = flakyButtons(cardBlocks).find((b) => b.value === `${m.id}:${id}`)!;
    await click(TEAM_A, button.action_id, button.value, 'open');
    const view = (await h.slack.waitFor('views.open')).body.view as { callback_id: string; private_metadata: string; blocks: unknown };
    expect(view.callback_id).toBe('quarantine_test');
    expect(JSON.parse(view.private_metadata)).toEqual({ c: TEAM_A.channelId, t: cardTs, m: m.id, k: id });
    // The key is shown escaped: no mention, no markup.
    expect(textOf(view.blocks)).toContain('flaky::&lt;!channel&gt; *bold*');
    expect(textOf(view.blocks)).not.toContain('<!channel>');
  });

  it('submitting quarantines the test as the Slack user, on the audit trail; the refreshed card drops its button', async () => {
    h.slack.reset();
    const id = await caseId('flaky::a');
    const res = await submit(
      TEAM_A,
      { reason: text('Timing on shared runners'), until: date('2099-12-31') },
      { c: TEAM_A.channelId, t: cardTs, m: m.id, k: id },
    );
    expect(res.status).toBe(200);
    expect(res.json ?? {}).not.toHaveProperty('response_action');
    expect(await quarantined('flaky::a')).toMatchObject({ reason: 'Timing on shared runners', createdBy: TEAM_A.userId });
    const trail = (await auditEntries(h.db.prisma, { projectId: pay.id })).filter((e) => e.kind === 'quarantine.added');
    expect(trail).toMatchObject([{ actorId: TEAM_A.userId, after: { case: 'flaky::a', reason: 'Timing on shared runners' } }]);
    const update = await h.slack.waitFor('chat.update');
    expect(update.body).toMatchObject({ channel: TEAM_A.channelId, ts: cardTs });
    const values = flakyButtons(update.body.blocks).map((b) => b.value);
    expect(values).not.toContain(`${m.id}:${id}`);
    expect(values).toHaveLength(2);
  });

  it('what the use case refuses is shown on the modal’s fields, and nothing changes', async () => {
    const meta = async (key: string) => ({ c: TEAM_A.channelId, t: cardTs, m: m.id, k: await caseId(key) });
    const errorsOf = (res: { json?: unknown }) => (res.json as { response_action: string; errors: Record<string, string> }).errors;
    const before = (await auditEntries(h.db.prisma, { projectId: pay.id })).length;

    const again = await submit(TEAM_A, { reason: text('Again'), until: date('2099-12-31') }, await meta('flaky::a'));
    expect(errorsOf(again).reason).toMatch(/^flaky::a is already quarantined until 2099-12-31 .*remove that quarantine first/);

    const critical = await submit(TEAM_A, { reason: text('Noise'), until: date('2099-12-31') }, await meta('flaky::crit'));
    expect(errorsOf(critical).reason).toContain('flaky::crit is a critical test case, and a critical case can never be quarantined');

    const past = await submit(TEAM_A, { reason: text('Noise'), until: date('2020-01-01') }, await meta(HOSTILE));
    expect(errorsOf(past).until).toMatch(/^until \(2020-01-01\) is not in the future/);

    const empty = await submit(TEAM_A, { reason: text(null), until: date(null) }, await meta(HOSTILE));
    expect(errorsOf(empty)).toEqual({
      reason: 'Say why this test’s failures may be left out for now.',
      until: 'Pick the day the quarantine ends.',
    });

    const gone = await submit(TEAM_A, { reason: text('Noise'), until: date('2099-12-31') }, { ...(await meta(HOSTILE)), k: 'nope' });
    expect(errorsOf(gone).reason).toContain('That test case no longer exists in this project');

    expect(await quarantined('flaky::crit')).toBeNull();
    expect(await quarantined(HOSTILE)).toBeNull();
    expect((await auditEntries(h.db.prisma, { projectId: pay.id })).length).toBe(before);
  });

  it('with approvers set, only they may: the button answers with the refusal, a modal submitted anyway is refused', async () => {
    await h.db.prisma.project.update({ where: { id: pay.id }, data: { approvers: JSON.stringify(['U0APPROVER']) } });
    await h.idle();
    h.slack.reset();
    const id = await caseId(HOSTILE);
    await click(OUTSIDER, 'card_quarantine_0', `${m.id}:${id}`, 'refused');
    const refusal = textOf((await h.slack.waitFor('response_url', (c) => c.body.__responseId === 'refused')).body);
    expect(refusal).toContain('Only the approvers of *PAY* may quarantine a test');
    expect(refusal).toContain('<@U0APPROVER>');
    const res = await submit(
      OUTSIDER,
      { reason: text('Noise'), until: date('2099-12-31') },
      { c: TEAM_A.channelId, t: cardTs, m: m.id, k: id },
    );
    expect((res.json as { errors: Record<string, string> }).errors.reason).toContain('Only the approvers of PAY may quarantine a test');
    await h.idle();
    expect(h.slack.callsTo('views.open')).toEqual([]);
    expect(await quarantined(HOSTILE)).toBeNull();
    await h.db.prisma.project.update({ where: { id: pay.id }, data: { approvers: '[]' } });
  });
});
