// Every modal submission, valid and invalid, through the real Bolt app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversation, date, radio, select, TEAM_A, text, viewSubmission } from '../helpers/slack-payloads.js';
import { seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';
import { FakeJira, JIRA_EMAIL, JIRA_TOKEN } from '../jira/fake-jira.js';

let h: SlackHarness;
// Jira as the server sees it, over real HTTP: the modal's link is checked against it.
const jira = new FakeJira();
let pay: { id: string };
let m: { id: string };
const card = { c: TEAM_A.channelId, t: '1700000000.000100' };

beforeAll(async () => {
  h = await startSlackHarness({ JIRA_HOST: await jira.listen(), JIRA_EMAIL, JIRA_API_TOKEN: JIRA_TOKEN });
  jira.addIssue('PAY-42', { name: 'To Do', category: 'new' }, '2026-11-20T10:00:00.000+0000');
  pay = (await seedProject(h.db, 'PAY', { teamId: TEAM_A.teamId, name: 'Payments' })).project;
  m = await seedMilestone(h.db, pay.id, '2.4');
  await seedRun(h.db, { projectId: pay.id, milestoneId: m.id, passed: 9, failed: 1 });
});
afterAll(async () => {
  await h?.stop();
  await jira.close();
});

async function submit(callbackId: string, values: Parameters<typeof viewSubmission>[2], metadata: object = { m: m.id, ...card }) {
  return h.send(viewSubmission(TEAM_A, callbackId, values, JSON.stringify(metadata)));
}

function fieldErrors(res: { json: unknown }) {
  expect(res.json).toMatchObject({ response_action: 'errors' });
  return (res.json as { errors: Record<string, string> }).errors;
}

/** The in-place update of the card that shows `needle` (earlier updates may still be landing). */
async function expectCardUpdated(needle: string) {
  const update = await h.slack.waitFor('chat.update', (c) => c.body.ts === card.t && textOf(c.body.blocks).includes(needle));
  expect(update.body.channel).toBe(card.c);
  return textOf(update.body.blocks);
}

describe('create milestone', () => {
  const valid = () => ({
    project: select(pay.id),
    name: text('2.6'),
    description: text('Autumn release'),
    due_date: date('2099-03-01'),
    channel: conversation('C0RELEASE'),
    pass_rate: text('90'),
    environments: text('staging, production'),
    signoffs: text('2'),
  });

  it('creates the milestone with its gate and posts its card to the chosen channel', async () => {
    h.slack.reset();
    const res = await submit('create_milestone', valid(), {});
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const row = await h.db.prisma.milestone.findFirstOrThrow({ where: { projectId: pay.id, name: '2.6' } });
    expect(row).toMatchObject({ description: 'Autumn release', slackChannelId: 'C0RELEASE', createdBy: TEAM_A.userId });
    expect(JSON.parse(row.gatePolicy)).toEqual({
      passRateThreshold: 0.9,
      requiredEnvironments: ['staging', 'production'],
      requiredSignoffs: 2,
    });
    expect(row.dueDate!.toISOString()).toBe('2099-03-01T23:59:59.999Z');
    const post = await h.slack.waitFor('chat.postMessage');
    expect(post.body.channel).toBe('C0RELEASE');
    expect(textOf(post.body.blocks)).toContain('PAY/2.6');
  });

  it('puts each mistake on its field', async () => {
    const res = await submit(
      'create_milestone',
      { ...valid(), name: text('2.7'), pass_rate: text('150'), signoffs: text('many'), project: select(null) },
      {},
    );
    const errors = fieldErrors(res);
    expect(errors.pass_rate).toContain('between 0 and 100');
    expect(errors.signoffs).toContain('whole number');
    expect(errors.project).toContain('Pick the project');
    expect(await h.db.prisma.milestone.count({ where: { name: '2.7' } })).toBe(0);
  });

  it('a NUL character is an error on its field, and nothing is stored', async () => {
    const before = await h.db.prisma.milestone.count();
    const errors = fieldErrors(await submit('create_milestone', { ...valid(), name: text('2.8'), description: text('a\u0000b') }, {}));
    expect(errors.description).toContain('NUL character (U+0000)');
    expect(await h.db.prisma.milestone.count()).toBe(before);
  });

  it('a taken name is an error on the name field', async () => {
    const errors = fieldErrors(await submit('create_milestone', { ...valid(), name: text('2.4') }, {}));
    expect(errors.name).toContain('already has a milestone named "2.4"');
  });

  it('a project of another workspace is refused', async () => {
    const foreign = (await seedProject(h.db, 'FOR', { teamId: 'T0OTHERTM' })).project;
    const errors = fieldErrors(await submit('create_milestone', { ...valid(), name: text('x'), project: select(foreign.id) }, {}));
    expect(errors.project).toContain('not in this workspace');
    expect(await h.db.prisma.milestone.count({ where: { projectId: foreign.id } })).toBe(0);
  });
});

describe('link run', () => {
  it('starts a manual run in an environment and updates the card in place', async () => {
    h.slack.reset();
    const res = await submit('link_run', { run_name: text('Exploratory iOS'), environment: text('staging') });
    expect(res.body).toBe('');
    const run = await h.db.prisma.testRun.findFirstOrThrow({ where: { name: 'Exploratory iOS' }, include: { environment: true } });
    expect(run).toMatchObject({ milestoneId: m.id, source: 'MANUAL', status: 'IN_PROGRESS', ownerSlackUserId: TEAM_A.userId });
    expect(run.environment?.name).toBe('staging');
    expect(await expectCardUpdated('Exploratory iOS')).toContain('Exploratory iOS');
  });

  it('attaches an existing run', async () => {
    const other = await seedMilestone(h.db, pay.id, 'other');
    const run = await seedRun(h.db, { projectId: pay.id, milestoneId: other.id, name: 'nightly', passed: 1 });
    expect((await submit('link_run', { existing_run: select(run.id) })).body).toBe('');
    expect((await h.db.prisma.testRun.findUniqueOrThrow({ where: { id: run.id } })).milestoneId).toBe(m.id);
  });

  it('needs exactly one of: an existing run, a new name', async () => {
    expect(fieldErrors(await submit('link_run', {})).run_name).toContain('Pick an existing run');
    expect(fieldErrors(await submit('link_run', { existing_run: select('x'), run_name: text('y') })).run_name).toContain(
      'clear one of the two',
    );
  });
});

describe('scope', () => {
  it('saves the patterns (one per line) and updates the card', async () => {
    h.slack.reset();
    expect((await submit('scope_milestone', { patterns: text('case::t1\ncase::t2*\n') })).body).toBe('');
    expect(JSON.parse((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: m.id } })).scope!)).toEqual(['case::t1', 'case::t2*']);
    expect(await expectCardUpdated('*Scope*')).toContain('covered');
    // Empty clears it.
    expect((await submit('scope_milestone', { patterns: text(null) })).body).toBe('');
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: m.id } })).scope).toBeNull();
  });

  it('a pattern that is too long is an error on the field', async () => {
    expect(fieldErrors(await submit('scope_milestone', { patterns: text('x'.repeat(600)) })).patterns).toContain('limit is 500');
  });
});

describe('report defect', () => {
  it('stores the defect with severity and failing test, creates a Jira job, updates the card', async () => {
    h.slack.reset();
    const res = await submit('report_defect', {
      title: text('Card payments time out'),
      severity: select('CRITICAL'),
      test_key: text('case::t9'),
      jira: radio('create'),
    });
    expect(res.body).toBe('');
    const d = await h.db.prisma.defect.findFirstOrThrow({ where: { title: 'Card payments time out' }, include: { testCase: true } });
    expect(d).toMatchObject({ severity: 'CRITICAL', status: 'OPEN', milestoneId: m.id, reportedBy: TEAM_A.userId });
    expect(d.testCase?.key).toBe('case::t9');
    expect(await h.db.prisma.outboxItem.count({ where: { dedupeKey: `jira.createIssue:${d.id}` } })).toBe(1);
    expect(await expectCardUpdated('Card payments time out')).toContain('Card payments time out');
  });

  it('links an existing Jira key', async () => {
    await submit('report_defect', {
      title: text('Refund rounding'),
      severity: select('LOW'),
      jira: radio('link'),
      jira_key: text('pay-42'),
    });
    expect(await h.db.prisma.defect.findFirstOrThrow({ where: { title: 'Refund rounding' } })).toMatchObject({
      jiraKey: 'PAY-42',
      jiraSync: 'LINKED',
    });
  });

  it('a key Jira does not have is refused on the key field, and nothing is stored', async () => {
    const errors = fieldErrors(
      await submit('report_defect', { title: text('Ghost'), severity: select('LOW'), jira: radio('link'), jira_key: text('PAY-404') }),
    );
    expect(errors.jira_key).toContain('PAY-404 does not exist in Jira');
    expect(await h.db.prisma.defect.count({ where: { title: 'Ghost' } })).toBe(0);
  });

  it('puts mistakes on their field', async () => {
    const errors = fieldErrors(await submit('report_defect', { title: text(null), severity: select(null), jira: radio('link') }));
    expect(errors.title).toContain('Say what is broken');
    expect(errors.severity).toContain('Pick a severity');
    expect(
      fieldErrors(await submit('report_defect', { title: text('x'), severity: select('LOW'), jira: radio('link') })).jira_key,
    ).toContain('Give the key');
    expect(
      fieldErrors(
        await submit('report_defect', { title: text('x'), severity: select('LOW'), jira: radio('none'), jira_key: text('nonsense') }),
      ).jira_key,
    ).toContain('not a Jira issue key');
    expect(
      fieldErrors(
        await submit('report_defect', { title: text('x'), severity: select('LOW'), test_key: text('no::such'), jira: radio('none') }),
      ).test_key,
    ).toContain('No test case');
  });
});

describe('waive a defect', () => {
  it('waives until the end of the chosen day and updates the card', async () => {
    const d = await h.db.prisma.defect.findFirstOrThrow({ where: { title: 'Card payments time out' } });
    h.slack.reset();
    const res = await submit(
      'waive_defect',
      { reason: text('Only affects the legacy gateway'), until: date('2099-12-31') },
      { d: d.id, m: m.id, ...card },
    );
    expect(res.body).toBe('');
    const after = await h.db.prisma.defect.findUniqueOrThrow({ where: { id: d.id } });
    expect(after).toMatchObject({ status: 'WAIVED', waiverReason: 'Only affects the legacy gateway', waivedBy: TEAM_A.userId });
    expect(after.waiverUntil!.toISOString()).toBe('2099-12-31T23:59:59.999Z');
    expect(await expectCardUpdated('1 waived')).not.toContain('Card payments time out (CRITICAL)');
  });

  it('refuses a past day and a missing reason, on their fields', async () => {
    const d = await h.db.prisma.defect.findFirstOrThrow({ where: { title: 'Refund rounding' } });
    const errors = fieldErrors(await submit('waive_defect', { reason: text(null), until: date('2000-01-01') }, { d: d.id }));
    expect(errors.reason).toContain('Say why');
    expect(fieldErrors(await submit('waive_defect', { reason: text('ok'), until: date('2000-01-01') }, { d: d.id })).until).toContain(
      'in the future',
    );
    expect((await h.db.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('OPEN');
  });
});

describe('complete', () => {
  it('a NO_GO milestone completes only with an override reason, which is recorded', async () => {
    const errors = fieldErrors(await submit('complete_milestone', { override_reason: text(null) }));
    expect(errors.override_reason).toMatch(/override|reason/i);
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('ACTIVE');
    h.slack.reset();
    expect((await submit('complete_milestone', { override_reason: text('CEO accepted the risk') })).body).toBe('');
    const row = await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: m.id } });
    expect(row).toMatchObject({ status: 'COMPLETED', completionOverrideReason: 'CEO accepted the risk' });
    expect(await expectCardUpdated('Status: *completed*')).toContain('override: CEO accepted the risk');
  });

  it('when the verdict turned bad after the modal opened, the modal asks for a reason instead', async () => {
    const fresh = await seedMilestone(h.db, pay.id, 'turned-bad');
    const res = await submit('complete_milestone', {}, { m: fresh.id });
    expect(res.json).toMatchObject({ response_action: 'update' });
    expect(textOf(res.json)).toContain('override_reason');
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe('ACTIVE');
  });

  it('a GO milestone completes without a reason', async () => {
    const green = await seedMilestone(h.db, pay.id, 'green');
    await seedRun(h.db, { projectId: pay.id, milestoneId: green.id, passed: 5 });
    expect((await submit('complete_milestone', {}, { m: green.id })).body).toBe('');
    expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: green.id } })).status).toBe('COMPLETED');
  });
});

describe('sign off', () => {
  it('records an approval with the readiness of that moment as evidence, and updates the card', async () => {
    const target = await seedMilestone(h.db, pay.id, 'to-sign');
    await seedRun(h.db, { projectId: pay.id, milestoneId: target.id, passed: 4 });
    h.slack.reset();
    const res = await submit('sign_off', { decision: radio('APPROVE'), comment: text('Looks good') }, { m: target.id, ...card });
    expect(res.body).toBe('');
    const s = await h.db.prisma.signoff.findFirstOrThrow({ where: { milestoneId: target.id } });
    expect(s).toMatchObject({ slackUserId: TEAM_A.userId, decision: 'APPROVE', comment: 'Looks good' });
    const evidence = JSON.parse(s.evidence) as { verdict: string; metrics: { passed: number; executed: number } };
    expect(evidence.verdict).toBe('GO');
    expect(evidence.metrics).toMatchObject({ passed: 4, executed: 4 });
    expect(await expectCardUpdated('Looks good')).toContain('Looks good');
  });

  it('a rejection needs a comment; with one, the card turns NO-GO', async () => {
    const target = await seedMilestone(h.db, pay.id, 'to-reject');
    await seedRun(h.db, { projectId: pay.id, milestoneId: target.id, passed: 4 });
    expect(fieldErrors(await submit('sign_off', { decision: radio('REJECT'), comment: text(null) }, { m: target.id })).comment).toContain(
      'what must change',
    );
    expect(fieldErrors(await submit('sign_off', { decision: radio(null) }, { m: target.id })).decision).toContain('approve or reject');
    expect(await h.db.prisma.signoff.count({ where: { milestoneId: target.id } })).toBe(0);
    h.slack.reset();
    expect(
      (await submit('sign_off', { decision: radio('REJECT'), comment: text('Checkout is broken on iOS') }, { m: target.id, ...card })).body,
    ).toBe('');
    const updated = await expectCardUpdated('Checkout is broken on iOS');
    expect(updated).toContain('NO-GO');
    // The reason carries the id; the card renders a real mention from it (it used to show "&lt;@U…&gt;").
    expect(updated).toContain(`Sign-off rejected by <@${TEAM_A.userId}> (“Checkout is broken on iOS”)`);
    expect(updated).not.toContain('&lt;@');
  });

  it('an archived milestone cannot be signed off', async () => {
    const archived = await seedMilestone(h.db, pay.id, 'gone', { status: 'ARCHIVED' });
    expect(fieldErrors(await submit('sign_off', { decision: radio('APPROVE') }, { m: archived.id })).comment).toContain('archived');
  });
});

describe('report defect without Jira configured', () => {
  let bare: SlackHarness;
  beforeAll(async () => {
    bare = await startSlackHarness();
    const p = (await seedProject(bare.db, 'PAY', { teamId: TEAM_A.teamId })).project;
    const milestone = await seedMilestone(bare.db, p.id, '2.4');
    metadata = { m: milestone.id, ...card };
  });
  afterAll(async () => bare?.stop());
  let metadata: object;

  it.each([
    ['create', { jira: radio('create') }, 'jira'],
    ['link', { jira: radio('link'), jira_key: text('PAY-42') }, 'jira_key'],
  ])('%s is refused on its field, saying how to set Jira up, and nothing is stored', async (_, jiraValues, field) => {
    const res = await bare.send(
      viewSubmission(TEAM_A, 'report_defect', { title: text('No Jira'), severity: select('LOW'), ...jiraValues }, JSON.stringify(metadata)),
    );
    expect(fieldErrors(res)[field]).toContain('JIRA_HOST, JIRA_EMAIL and JIRA_API_TOKEN');
    expect(await bare.db.prisma.defect.count()).toBe(0);
  });
});
