// Creating an issue from a defect and linking an existing key, through the
// outbox, against the fake Jira: the exact request bodies (ADF included) and
// what the defect stores afterwards.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requeueFailed } from '../../src/db/outbox.js';
import { runOutboxTick } from '../../src/jira/outbox-worker.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { FakeJira, JIRA_EMAIL, JIRA_TOKEN } from './fake-jira.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { defect, jiraDeps, seedJiraProject } from './jira-setup.js';

describe('Jira: create and link', () => {
  let t: TestDatabase;
  let jira: FakeJira;
  let seeded: Awaited<ReturnType<typeof seedJiraProject>>;
  const later = () => new Date(Date.now() + 60_000);

  beforeAll(async () => {
    t = await createTestDatabase();
    seeded = await seedJiraProject(t);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => jira?.stop());

  it('creates one issue with the exact fields, ADF description and labels, and stores key, status and URL', async () => {
    jira = new FakeJira().start();
    const refund = await t.prisma.testCase.findFirstOrThrow({ where: { key: 'checkout::refunds' } });
    const d = await defect(t, seeded.project.id, {
      testKey: refund.key,
      description: 'Seen on every refund over 100 EUR.',
      reportedBy: 'U123',
    });
    const deps = jiraDeps(t);

    const summary = await runOutboxTick(deps, later());
    expect(summary).toMatchObject({ claimed: 1, done: 1, retried: 0, failed: 0 });

    const [create] = jira.creates();
    expect(create!.authorization).toBe(`Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString('base64')}`);
    expect(create!.body).toEqual({
      fields: {
        project: { key: 'PAYJ' },
        issuetype: { name: 'Bug' },
        summary: 'Refund returns 502',
        priority: { name: 'Highest' },
        labels: ['shipgate', 'qa-team', `shipgate-${d.id}`],
        description: {
          type: 'doc',
          version: 1,
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Severity: ', marks: [{ type: 'strong' }] },
                { type: 'text', text: 'CRITICAL' },
              ],
            },
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Milestone: ', marks: [{ type: 'strong' }] },
                { type: 'text', text: 'PAY/2.4' },
              ],
            },
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Environment: ', marks: [{ type: 'strong' }] },
                { type: 'text', text: 'staging' },
              ],
            },
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'Failing test: ', marks: [{ type: 'strong' }] },
                { type: 'text', text: 'checkout::refunds — refunds a payment' },
              ],
            },
            { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Failure message' }] },
            { type: 'codeBlock', attrs: {}, content: [{ type: 'text', text: 'expected 200, got 502 from /refunds' }] },
            { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Details' }] },
            { type: 'paragraph', content: [{ type: 'text', text: 'Seen on every refund over 100 EUR.' }] },
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: `Reported in Shipgate by U123 (defect ${d.id}).` },
                { type: 'text', text: ' ' },
                {
                  type: 'text',
                  text: 'Open the milestone’s Slack channel',
                  marks: [{ type: 'link', attrs: { href: 'https://slack.com/app_redirect?team=T1&channel=C-MILESTONE' } }],
                },
              ],
            },
          ],
        },
      },
    });
    // The first attempt never searches: nothing can exist yet.
    expect(jira.searches()).toHaveLength(0);

    const stored = await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } });
    expect(stored).toMatchObject({
      jiraKey: 'PAYJ-1',
      jiraStatus: 'To Do',
      jiraStatusCategory: 'new',
      jiraUrl: 'https://jira.test/browse/PAYJ-1',
      status: 'OPEN',
    });
    expect(stored.jiraUpdatedAt?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(await t.prisma.outboxItem.findFirstOrThrow({ where: { dedupeKey: `jira.createIssue:${d.id}` } })).toMatchObject({
      status: 'DONE',
      attempts: 1,
      lockedBy: null,
    });

    // A second tick finds nothing to do.
    expect(await runOutboxTick(deps, later())).toMatchObject({ claimed: 0 });
    expect(jira.creates()).toHaveLength(1);
  });

  it('maps severity through the project’s priority override and defaults the rest', async () => {
    jira = new FakeJira().start();
    await t.prisma.project.update({ where: { id: seeded.project.id }, data: { jiraPriorityMap: JSON.stringify({ LOW: 'Lowest' }) } });
    try {
      const low = await defect(t, seeded.project.id, { title: 'Typo on receipt', severity: 'LOW' });
      const high = await defect(t, seeded.project.id, { title: 'Slow refund page', severity: 'HIGH', milestone: undefined });
      await runOutboxTick(jiraDeps(t), later());
      const bodies = Object.fromEntries(jira.creates().map((c) => [c.body.fields.summary, c.body.fields]));
      expect(bodies['Typo on receipt'].priority).toEqual({ name: 'Lowest' });
      expect(bodies['Slow refund page'].priority).toEqual({ name: 'High' });
      expect(bodies['Slow refund page'].labels).toEqual(['shipgate', 'qa-team', `shipgate-${high.id}`]);
      expect(bodies['Slow refund page'].description.content[1].content[1].text).toBe('PAY (no milestone)');
      expect(bodies['Typo on receipt'].labels).toContain(`shipgate-${low.id}`);
    } finally {
      await t.prisma.project.update({ where: { id: seeded.project.id }, data: { jiraPriorityMap: '{}' } });
    }
  });

  it('links an existing key after reading it (checked when reported, then applied by the outbox), and a Done issue resolves the defect', async () => {
    jira = new FakeJira().start();
    jira.addIssue('OPS-7', { name: 'Done', category: 'done' }, '2026-11-21T08:30:00.000+0000');
    const d = await defect(t, seeded.project.id, { title: 'Old bug', severity: 'MEDIUM', jira: { key: 'ops-7' } });
    expect(d).toMatchObject({ jiraKey: 'OPS-7', jiraSync: 'LINKED', jiraStatus: 'Done' });
    await runOutboxTick(jiraDeps(t), later());
    expect(jira.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /rest/api/3/issue/OPS-7?fields=status,updated',
      'GET /rest/api/3/issue/OPS-7?fields=status,updated',
    ]);
    expect(jira.creates()).toHaveLength(0);
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraKey: 'OPS-7',
      jiraStatus: 'Done',
      jiraStatusCategory: 'done',
      jiraUrl: 'https://jira.test/browse/OPS-7',
      jiraSync: 'LINKED',
      status: 'RESOLVED',
    });
  });

  it('a key Jira does not have is refused when reported: nothing is stored', async () => {
    jira = new FakeJira().start();
    const count = await t.prisma.defect.count();
    await expect(defect(t, seeded.project.id, { title: 'Ghost bug', severity: 'LOW', jira: { key: 'OPS-404' } })).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('OPS-404 does not exist in Jira'),
    });
    expect(await t.prisma.defect.count()).toBe(count);
  });

  it('a key the outbox finds missing (Jira was down when it was reported): the link shows as failed and the channel is told what to do', async () => {
    jira = new FakeJira().start();
    const notifier = new RecordingNotifier();
    const before = await getReadiness({ db: t.db, now: () => new Date() }, seeded.milestone.id);
    jira.fault = () => [503, { errorMessages: ['down'] }];
    const d = await defect(t, seeded.project.id, { title: 'Ghost bug', severity: 'LOW', jira: { key: 'OPS-404' } });
    expect(d).toMatchObject({ jiraKey: 'OPS-404', jiraSync: 'PENDING' });
    jira.fault = undefined;
    const summary = await runOutboxTick(jiraDeps(t, notifier), later());
    expect(summary).toMatchObject({ claimed: 1, failed: 1 });
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraKey: 'OPS-404',
      jiraUrl: null,
      jiraSync: 'FAILED',
      jiraSyncError: 'OPS-404 does not exist in Jira',
      status: 'OPEN',
    });
    expect(await t.prisma.outboxItem.findFirstOrThrow({ where: { dedupeKey: `jira.linkIssue:${d.id}:OPS-404` } })).toMatchObject({
      status: 'FAILED',
    });
    expect(notifier.posts).toHaveLength(1);
    expect(notifier.posts[0]).toMatchObject({ channel: 'C-MILESTONE', workspaceId: seeded.workspace.id });
    expect(notifier.posts[0]!.text).toContain('could not link OPS-404 to the defect “Ghost bug” (PAY/2.4)');
    expect(notifier.posts[0]!.text).toContain('OPS-404 does not exist in Jira');
    // Readiness is unchanged by a refused link (the LOW defect does not block).
    expect((await getReadiness({ db: t.db, now: () => new Date() }, seeded.milestone.id)).verdict).toBe(before.verdict);
  });

  it('a project without a Jira project key: FAILED with the command that fixes it; requeued after the fix, it syncs', async () => {
    jira = new FakeJira().start();
    const notifier = new RecordingNotifier();
    await t.prisma.project.update({ where: { id: seeded.project.id }, data: { jiraProjectKey: null } });
    const d = await defect(t, seeded.project.id, { title: 'Unmapped', severity: 'LOW' });
    expect(await runOutboxTick(jiraDeps(t, notifier), later())).toMatchObject({ failed: 1 });
    expect(jira.requests).toHaveLength(0);
    expect(notifier.posts[0]!.text).toContain('project PAY has no Jira project');
    expect(notifier.posts[0]!.text).toContain('/milestone project jira PAY &lt;JIRA-KEY&gt;');

    await t.prisma.project.update({ where: { id: seeded.project.id }, data: { jiraProjectKey: 'PAYJ' } });
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraSync: 'FAILED',
      jiraSyncError: 'project PAY has no Jira project.',
    });
    expect(await requeueFailed(t.prisma, 'jira.', later(), { dedupeKey: `jira.createIssue:${d.id}` })).toBe(1);
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ jiraSync: 'PENDING', jiraSyncError: null });
    expect(await runOutboxTick(jiraDeps(t, notifier), later())).toMatchObject({ done: 1 });
    expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1);
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraKey: expect.stringMatching(/^PAYJ-\d+$/),
      jiraSync: 'LINKED',
    });
  });
});
