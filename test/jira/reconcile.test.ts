// The Jira reconcile tick: linked issues re-read in batches by JQL when a
// webhook was missed; deleted issues do not stop the rest; completed
// milestones are left alone; a rate limit ends the tick for the next one.
import { TEST_OPERATOR } from '../helpers/factories.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runJiraReconcileTick } from '../../src/jira/jira-reconcile.js';
import { runOutboxTick } from '../../src/jira/outbox-worker.js';
import { createMilestone } from '../../src/services/create-milestone.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { FakeJira } from './fake-jira.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { defect, jiraDeps, seedJiraProject } from './jira-setup.js';

describe('Jira reconcile', () => {
  let t: TestDatabase;
  let jira: FakeJira;
  let seeded: Awaited<ReturnType<typeof seedJiraProject>>;
  const ids: Record<string, string> = {};
  const now = () => new Date(Date.now() + 60_000);
  const stored = (key: string) => t.prisma.defect.findUniqueOrThrow({ where: { id: ids[key]! } });

  beforeAll(async () => {
    t = await createTestDatabase();
    seeded = await seedJiraProject(t);
    const done = await createMilestone(t, { projectId: seeded.project.id, name: '2.3', actor: TEST_OPERATOR });
    jira = new FakeJira().start();
    for (const [key, milestone] of [
      ['PAYJ-1', '2.4'],
      ['PAYJ-2', '2.4'],
      ['PAYJ-3', '2.4'],
      ['OLD-1', '2.3'],
    ] as const) {
      jira.addIssue(key, { name: 'To Do', category: 'new' }, '2026-11-20T10:00:00.000+0000');
      ids[key] = (
        await defect(t, seeded.project.id, {
          title: `Bug ${key}`,
          severity: key === 'PAYJ-1' ? 'CRITICAL' : 'LOW',
          milestone,
          jira: { key },
        })
      ).id;
    }
    expect(await runOutboxTick(jiraDeps(t), now())).toMatchObject({ done: 4 });
    await t.prisma.milestone.update({ where: { id: done.id }, data: { status: 'COMPLETED' } });
    jira.stop();
  });
  afterAll(async () => {
    await t.cleanup();
  });
  beforeEach(() => {
    jira = new FakeJira().start();
    for (const key of ['PAYJ-1', 'PAYJ-2', 'PAYJ-3', 'OLD-1'])
      jira.addIssue(key, { name: 'To Do', category: 'new' }, '2026-11-20T10:00:00.000+0000');
  });
  afterEach(() => jira.stop());

  it('catches a missed Done in batches of `key in (…)`, announces the flip once, and skips finished milestones', async () => {
    jira.transition('PAYJ-1', { name: 'Done', category: 'done' }, '2026-11-21T10:00:00.000+0000');
    const notifier = new RecordingNotifier();
    const summary = await runJiraReconcileTick(jiraDeps(t, notifier), now(), { batchSize: 2 });
    expect(summary).toMatchObject({ checked: 3, updated: 1, missing: 0, failed: 0 });
    const jqls = jira.searches().map((s) => s.body.jql);
    expect(jqls).toHaveLength(2);
    expect(jqls.join(' ')).not.toContain('OLD-1');
    expect(jqls.flatMap((j) => /key in \(([^)]*)\)/.exec(j)![1]!.split(', ')).sort()).toEqual(['"PAYJ-1"', '"PAYJ-2"', '"PAYJ-3"']);
    expect(jira.searches()[0]!.body).toMatchObject({ fields: ['status', 'updated'], maxResults: 100 });
    expect(await stored('PAYJ-1')).toMatchObject({ status: 'RESOLVED', jiraStatus: 'Done' });
    expect(notifier.posts.map((p) => p.text.split('\n')[0])).toEqual(['🟢 PAY/2.4 is now GO (was NO-GO).']);

    // Nothing new in Jira: nothing changes, nobody is told again.
    expect(await runJiraReconcileTick(jiraDeps(t, notifier), now(), { batchSize: 2 })).toMatchObject({ checked: 3, updated: 0 });
    expect(notifier.posts).toHaveLength(1);
  });

  it('an issue deleted in Jira makes the batch search fail; the others are read one by one and still sync', async () => {
    jira.issues.delete('PAYJ-2');
    jira.transition('PAYJ-3', { name: 'Done', category: 'done' }, '2026-11-22T10:00:00.000+0000');
    const summary = await runJiraReconcileTick(jiraDeps(t), now());
    expect(summary).toMatchObject({ checked: 2, missing: 1 });
    expect(await stored('PAYJ-3')).toMatchObject({ status: 'RESOLVED' });
    expect(jira.requests.filter((r) => r.method === 'GET').map((r) => r.path.split('?')[0])).toEqual([
      '/rest/api/3/issue/PAYJ-1',
      '/rest/api/3/issue/PAYJ-2',
      '/rest/api/3/issue/PAYJ-3',
    ]);
  });

  it('stops at a rate limit and leaves the rest to the next tick', async () => {
    jira.fault = () => [429, {}, { 'Retry-After': '30' }];
    expect(await runJiraReconcileTick(jiraDeps(t), now(), { batchSize: 1 })).toMatchObject({ checked: 0, stoppedEarly: 'rate-limited' });
    expect(jira.requests).toHaveLength(1);
  });
});
