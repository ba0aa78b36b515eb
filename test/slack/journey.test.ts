// Issue 4's "done when": a team creates a milestone, attaches a run, reports a
// defect, watches the card change as results arrive, signs off and completes —
// all from Slack, over signed requests.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ingestResults } from '../../src/services/ingest-results.js';
import { blockAction, conversation, date, radio, select, TEAM_A, text, viewSubmission } from '../helpers/slack-payloads.js';
import { resultRows } from '../helpers/factories.js';
import { startSlackHarness, textOf, type SlackHarness } from './slack-harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => h?.stop());

it('create → link run → results → defect → sign off → complete, the card following along', async () => {
  await (await h.command(TEAM_A, 'project create SHOP Web shop')).reply();
  const project = await h.db.prisma.project.findFirstOrThrow({ where: { key: 'SHOP' } });

  h.slack.reset();
  await h.command(TEAM_A, 'create 3.0');
  await h.slack.waitFor('views.open');
  await h.send(
    viewSubmission(TEAM_A, 'create_milestone', {
      project: select(project.id),
      name: text('3.0'),
      due_date: date('2099-06-30'),
      channel: conversation(TEAM_A.channelId),
      signoffs: text('1'),
    }),
  );
  const posted = await h.slack.waitFor('chat.postMessage');
  expect(textOf(posted.body.blocks)).toContain('Insufficient evidence');
  const milestone = await h.db.prisma.milestone.findFirstOrThrow({ where: { projectId: project.id, name: '3.0' } });
  const card = { channel: TEAM_A.channelId, ts: '1700000000.000100' };
  const meta = JSON.stringify({ m: milestone.id, c: card.channel, t: card.ts });

  await h.send(
    blockAction(
      TEAM_A,
      { actionId: 'card_link', value: milestone.id },
      { channel: card.channel, messageTs: card.ts, responseUrl: h.slack.responseUrl() },
    ),
  );
  await h.slack.waitFor('views.open', (c) => (c.body.view as { callback_id: string }).callback_id === 'link_run');
  expect(
    (await h.send(viewSubmission(TEAM_A, 'link_run', { run_name: text('Regression'), environment: text('staging') }, meta))).body,
  ).toBe('');
  const run = await h.db.prisma.testRun.findFirstOrThrow({ where: { milestoneId: milestone.id } });

  await ingestResults(h.db, { projectId: project.id, runId: run.id, results: resultRows(19, 1, 'checkout') });
  h.slack.reset();
  await h.send(
    blockAction(
      TEAM_A,
      { actionId: 'card_refresh', value: milestone.id },
      { channel: card.channel, messageTs: card.ts, responseUrl: h.slack.responseUrl() },
    ),
  );
  // Wait for the update that carries the results (an earlier refresh may land first).
  const updated = (needle: string) =>
    h.slack.waitFor('chat.update', (c) => textOf(c.body.blocks).includes(needle)).then((c) => textOf(c.body.blocks));
  let update = await updated('95% (19/20)');
  expect(update).toContain('Regression on staging');

  h.slack.reset();
  await h.send(
    viewSubmission(
      TEAM_A,
      'report_defect',
      { title: text('Coupon field rejects valid codes'), severity: select('HIGH'), test_key: text('checkout::t19'), jira: radio('none') },
      meta,
    ),
  );
  update = await updated('Coupon field rejects valid codes');
  expect(update).toContain('NO-GO');

  const defect = await h.db.prisma.defect.findFirstOrThrow({ where: { milestoneId: milestone.id } });
  await h.db.prisma.defect.update({ where: { id: defect.id }, data: { status: 'RESOLVED' } });
  await ingestResults(h.db, { projectId: project.id, runId: run.id, results: resultRows(20, 0, 'checkout') });
  h.slack.reset();
  await h.send(viewSubmission(TEAM_A, 'sign_off', { decision: radio('APPROVE'), comment: text('Ship it') }, meta));
  update = await updated('1/1 approvals');
  expect(update).toContain('Ship it');

  h.slack.reset();
  await h.command(TEAM_A, 'complete SHOP/3.0');
  // Runs still in progress make it GO with risks: it completes without an override.
  const reply = textOf((await h.slack.waitFor('response_url')).body);
  expect(reply).toContain('completed');
  expect((await h.db.prisma.milestone.findUniqueOrThrow({ where: { id: milestone.id } })).status).toBe('COMPLETED');
});
