// The Slack half of the Jira journey, through the real Bolt app: a defect
// reported in the modal (create in Jira) becomes exactly one Jira issue through
// the outbox; the issue moving to Done in Jira, read back by the reconcile,
// resolves the defect, turns the verdict back to GO, and the milestone's
// channel hears it once: in the thread of its living message, whose card the
// living tick brings to GO in place.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJiraReconcileTick } from '../../src/jira/jira-reconcile.js';
import { runOutboxTick } from '../../src/jira/outbox-worker.js';
import { runLivingTick } from '../../src/jobs/living-tick.js';
import { createLogger } from '../../src/logger.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { updateProject } from '../../src/services/update-project.js';
import { radio, select, TEAM_A, text, viewSubmission } from '../helpers/slack-payloads.js';
import { seedMilestone, seedProject, seedRun, TEST_OPERATOR } from '../helpers/factories.js';
import { startSlackHarness, textOf, type SlackHarness } from '../slack/slack-harness.js';
import { FakeJira, JIRA_EMAIL, JIRA_HOST, JIRA_TOKEN } from './fake-jira.js';
import { jiraConfig, WEBHOOK_SECRET } from './jira-setup.js';

describe('Jira journey from Slack', () => {
  let h: SlackHarness;
  let jira: FakeJira;
  let milestoneId: string;

  beforeAll(async () => {
    jira = new FakeJira().start();
    h = await startSlackHarness({ JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN: JIRA_TOKEN, JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET });
    const project = (await seedProject(h.db, 'SHOP', { teamId: TEAM_A.teamId, name: 'Shop' })).project;
    await updateProject(h.db, { projectId: project.id, patch: { jira: { projectKey: 'SHOPJ' } }, actor: TEST_OPERATOR });
    const m = await seedMilestone(h.db, project.id, '1.0', { slackChannelId: 'C-SHOP-RELEASE' });
    milestoneId = m.id;
    await seedRun(h.db, { projectId: project.id, milestoneId, passed: 20 });
  });
  afterAll(async () => {
    jira?.stop();
    await h?.stop();
  });

  it('modal → one Jira issue → Done in Jira → defect resolved, verdict GO, channel told once', async () => {
    const verdict = async () => (await getReadiness({ db: h.db.db, now: () => new Date() }, milestoneId)).verdict;
    expect(await verdict()).toBe('GO');

    const metadata = JSON.stringify({ m: milestoneId, c: 'C-SHOP-RELEASE', t: '1700000000.000100' });
    const res = await h.send(
      viewSubmission(
        TEAM_A,
        'report_defect',
        { title: text('Basket empties on reload'), severity: select('CRITICAL'), jira: radio('create') },
        metadata,
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const defect = await h.db.prisma.defect.findFirstOrThrow({ where: { title: 'Basket empties on reload' } });
    expect(await verdict()).toBe('NO_GO');

    const deps = { db: h.db.db, logger: createLogger('silent'), notifier: h.notifier, config: jiraConfig() };
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    expect(await runOutboxTick(deps, later(1))).toMatchObject({ done: 1, failed: 0 });
    expect(await runOutboxTick(deps, later(2))).toMatchObject({ claimed: 0 });
    expect(jira.creates()).toHaveLength(1);
    const [issue] = jira.withLabel(`shipgate-${defect.id}`);
    expect(issue!.fields).toMatchObject({ project: { key: 'SHOPJ' }, summary: 'Basket empties on reload', priority: { name: 'Highest' } });
    expect(textOf(issue!.fields.description)).toContain('SHOP/1.0');
    expect(await h.db.prisma.defect.findUniqueOrThrow({ where: { id: defect.id } })).toMatchObject({
      jiraKey: issue!.key,
      jiraStatus: 'To Do',
    });

    // The living message so far: one card (NO-GO), the run and the defect in its thread.
    expect(await runLivingTick(deps, later(2.5))).toMatchObject({ cardsPosted: 1, replies: 1, failed: 0 });
    const card = await h.db.prisma.livingMessage.findFirstOrThrow({ where: { milestoneId, channel: 'C-SHOP-RELEASE' } });
    expect(card).toMatchObject({ verdict: 'NO_GO', ts: expect.any(String) });

    h.slack.reset();
    jira.transition(issue!.key, { name: 'Done', category: 'done' }, new Date().toISOString().replace('Z', '+0000'));
    expect(await runJiraReconcileTick(deps, later(3))).toMatchObject({ updated: 1, failed: 0 });
    expect(await runJiraReconcileTick(deps, later(4))).toMatchObject({ updated: 0 });
    expect(await h.db.prisma.defect.findUniqueOrThrow({ where: { id: defect.id } })).toMatchObject({
      status: 'RESOLVED',
      jiraStatus: 'Done',
    });
    expect(await verdict()).toBe('GO');
    // Told by the living tick, not by the reconcile: nothing reached the channel yet.
    expect(h.slack.callsTo('chat.postMessage')).toEqual([]);
    expect(await runLivingTick(deps, later(5))).toMatchObject({ cardsPosted: 0, cardsUpdated: 1, replies: 1, failed: 0 });
    expect(await runLivingTick(deps, later(6))).toMatchObject({ claimed: 0 });
    expect(h.slack.callsTo('chat.update').map((c) => [c.body.ts, String(c.body.text).split(' — ')[0]])).toEqual([
      [card.ts, 'SHOP/1.0: GO'],
    ]);
    const notices = h.slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C-SHOP-RELEASE');
    expect(notices.map((c) => [c.body.thread_ts, c.body.text])).toEqual([
      [card.ts, `${issue!.key} “Basket empties on reload” moved to Done in Jira, so the defect is RESOLVED.\nVerdict: 🔴 NO-GO → 🟢 GO`],
    ]);
  });
});
