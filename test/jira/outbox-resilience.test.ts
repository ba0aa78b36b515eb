// The outbox against a Jira that rate-limits, fails, times out after doing
// the work, refuses credentials, loses a worker mid-item, or is down for an
// hour: every defect ends with exactly one issue, and a fake clock drives it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.js';
import { BACKOFF_CAP_MS } from '../../src/jira/backoff.js';
import type { JiraGateway } from '../../src/jira/jira-client.js';
import { runOutboxTick } from '../../src/jira/outbox-worker.js';
import { runLivingTick } from '../../src/jobs/living-tick.js';
import { setChannelThreads } from '../../src/services/set-channel-threads.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { FakeJira } from './fake-jira.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { defect, jiraDeps, seedJiraProject } from './jira-setup.js';

const SEC = 1000;
const MIN = 60 * SEC;

describe('Jira outbox: retries, backoff and exactly one issue', () => {
  let t: TestDatabase;
  let jira: FakeJira;
  let projectId: string;
  let workspaceId: string;
  let t0: number;
  const at = (ms: number) => new Date(t0 + ms);
  const item = (defectId: string) => t.prisma.outboxItem.findFirstOrThrow({ where: { dedupeKey: `jira.createIssue:${defectId}` } });

  beforeAll(async () => {
    t = await createTestDatabase();
    const seeded = await seedJiraProject(t);
    projectId = seeded.project.id;
    workspaceId = seeded.workspace.id;
  });
  afterAll(async () => {
    await t.cleanup();
  });
  beforeEach(async () => {
    jira = new FakeJira().start();
    // Leave earlier tests' items out of each test's ticks.
    await t.prisma.outboxItem.updateMany({ where: { status: 'PENDING' }, data: { status: 'DONE' } });
    t0 = Date.now() + MIN;
  });
  afterEach(() => jira.stop());

  it('429 with Retry-After: waits exactly that long, then creates one issue', async () => {
    const d = await defect(t, projectId);
    let limited = 0;
    jira.fault = (req) =>
      req.path === '/rest/api/3/issue' && limited++ === 0
        ? [429, { errorMessages: ['Rate limit exceeded.'] }, { 'Retry-After': '120' }]
        : undefined;
    const deps = jiraDeps(t);

    expect(await runOutboxTick(deps, at(0))).toMatchObject({ retried: 1, stoppedEarly: 'rate-limited' });
    expect((await item(d.id)).nextAttemptAt.getTime()).toBe(t0 + 120 * SEC);
    expect((await item(d.id)).lastError).toContain('429');
    expect(await runOutboxTick(deps, at(119 * SEC))).toMatchObject({ claimed: 0 });
    expect(await runOutboxTick(deps, at(120 * SEC))).toMatchObject({ claimed: 1, done: 1 });
    expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1);
    expect(jira.creates()).toHaveLength(2); // the refused one and the real one
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ jiraKey: 'PAYJ-1' });
  });

  it('503 three times: backs off 15 s, 30 s, 60 s, then succeeds once', async () => {
    const d = await defect(t, projectId);
    let failures = 0;
    jira.fault = (req) =>
      req.path === '/rest/api/3/issue' && req.method === 'POST' && failures++ < 3 ? [503, 'Service Unavailable'] : undefined;
    const deps = jiraDeps(t);
    const tick = (ms: number) => runOutboxTick(deps, at(ms), { random: () => 1 });

    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await tick(now)).toMatchObject({ claimed: 1, retried: 1 });
      const next = (await item(d.id)).nextAttemptAt.getTime() - t0;
      delays.push(next - now);
      expect(await tick(next - 1)).toMatchObject({ claimed: 0 });
      now = next;
    }
    expect(delays).toEqual([15 * SEC, 30 * SEC, 60 * SEC]);
    expect(await tick(now)).toMatchObject({ claimed: 1, done: 1 });
    expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1);
    // Every retry looked for an earlier success first, through the enhanced JQL search.
    expect(jira.searches().map((s) => s.body)).toEqual(
      Array(3).fill({ jql: `labels = "shipgate-${d.id}" ORDER BY created ASC`, fields: ['status', 'updated'], maxResults: 100 }),
    );
    expect(await item(d.id)).toMatchObject({ status: 'DONE', attempts: 4 });
  });

  it('a timeout after Jira in fact created the issue: the retry finds it by label and creates nothing', async () => {
    const d = await defect(t, projectId);
    let held = false;
    jira.hold = (req) => (req.path === '/rest/api/3/issue' && !held ? ((held = true), 1500) : undefined);
    const deps = jiraDeps(t, new RecordingNotifier(), 300);

    expect(await runOutboxTick(deps, at(0))).toMatchObject({ retried: 1 });
    expect((await item(d.id)).lastError).toMatch(/did not answer in time/);
    expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1); // Jira did it anyway
    const issueKey = jira.withLabel(`shipgate-${d.id}`)[0]!.key;

    expect(await runOutboxTick(deps, at(BACKOFF_CAP_MS))).toMatchObject({ claimed: 1, done: 1 });
    expect(jira.creates()).toHaveLength(1);
    expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1);
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({ jiraKey: issueKey, jiraStatus: 'To Do' });
  });

  it('created but not read back (503): the key is kept, the link stays pending until the status is known, and the retry creates nothing', async () => {
    const d = await defect(t, projectId);
    jira.fault = (req) =>
      req.method === 'GET' && req.path.startsWith('/rest/api/3/issue/') ? [503, { errorMessages: ['busy'] }] : undefined;
    const deps = jiraDeps(t, new RecordingNotifier(), 300);

    expect(await runOutboxTick(deps, at(0))).toMatchObject({ retried: 1 });
    const issueKey = jira.withLabel(`shipgate-${d.id}`)[0]!.key;
    // A reader (the API's jira.sync) must never see "linked" without the issue's status.
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraKey: issueKey,
      jiraStatus: null,
      jiraSync: 'PENDING',
    });

    jira.fault = undefined;
    expect(await runOutboxTick(deps, at(BACKOFF_CAP_MS))).toMatchObject({ claimed: 1, done: 1 });
    expect(jira.creates()).toHaveLength(1);
    expect(await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraKey: issueKey,
      jiraStatus: 'To Do',
      jiraSync: 'LINKED',
    });
  });

  it('401: stops (FAILED), tells the milestone channel how to fix it, and never retries', async () => {
    const d = await defect(t, projectId);
    jira.fault = () => [401, { errorMessages: ['Client must be authenticated to access this resource.'] }];
    const notifier = new RecordingNotifier();
    const deps = jiraDeps(t, notifier);

    expect(await runOutboxTick(deps, at(0))).toMatchObject({ claimed: 1, failed: 1, retried: 0 });
    expect(await item(d.id)).toMatchObject({ status: 'FAILED', lockedBy: null });
    expect((await item(d.id)).lastError).toContain('Client must be authenticated');
    expect(notifier.posts).toHaveLength(1);
    expect(notifier.posts[0]!.channel).toBe('C-MILESTONE');
    expect(notifier.posts[0]!.text).toContain('could not create a Jira issue for the defect “Refund returns 502” (PAY/2.4)');
    expect(notifier.posts[0]!.text).toContain('check JIRA_EMAIL and JIRA_API_TOKEN');

    expect(await runOutboxTick(deps, at(BACKOFF_CAP_MS * 10))).toMatchObject({ claimed: 0 });
    expect(jira.requests).toHaveLength(1);
    expect(notifier.posts).toHaveLength(1);
  });

  it('401 with threads on in the channel (the default): told once, in the thread of the milestone’s living card', async () => {
    await setChannelThreads(t, { workspaceId, channelId: 'C-MILESTONE', threads: true });
    try {
      const d = await defect(t, projectId);
      jira.fault = () => [401, { errorMessages: ['Client must be authenticated to access this resource.'] }];
      const notifier = new RecordingNotifier();
      const deps = jiraDeps(t, notifier);
      expect(await runOutboxTick(deps, at(0))).toMatchObject({ failed: 1 });
      expect(await runOutboxTick(deps, at(BACKOFF_CAP_MS * 10))).toMatchObject({ claimed: 0 });
      // Queued for the living tick, not posted by the worker.
      expect(notifier.posts).toEqual([]);
      expect(await runLivingTick(deps, at(BACKOFF_CAP_MS * 10 + SEC))).toMatchObject({ cardsPosted: 1, replies: 1, failed: 0 });
      expect(await runLivingTick(deps, at(BACKOFF_CAP_MS * 10 + 3 * SEC))).toMatchObject({ claimed: 0 });
      const [card, reply] = notifier.posts;
      expect(notifier.posts).toHaveLength(2);
      expect(card).toMatchObject({ channel: 'C-MILESTONE', blocks: expect.any(Array) });
      expect(card!.threadTs).toBeUndefined();
      expect(reply).toMatchObject({ channel: 'C-MILESTONE', threadTs: '1.000100' });
      expect(reply!.text.split('\n')[0]).toBe(':beetle: Defect reported (critical): Refund returns 502');
      expect(reply!.text).toContain('could not create a Jira issue for the defect “Refund returns 502” (PAY/2.4)');
      expect(reply!.text).toContain('check JIRA_EMAIL and JIRA_API_TOKEN');
      expect(await item(d.id)).toMatchObject({ status: 'FAILED' });
    } finally {
      await setChannelThreads(t, { workspaceId, channelId: 'C-MILESTONE', threads: false });
    }
  });

  it('400 from Jira (a bad priority name) is reported with Jira’s words and the mapping to fix', async () => {
    await defect(t, projectId);
    jira.fault = () => [400, { errorMessages: [], errors: { priority: 'Specify the Priority (name) in the string format' } }];
    const notifier = new RecordingNotifier();
    expect(await runOutboxTick(jiraDeps(t, notifier), at(0))).toMatchObject({ failed: 1 });
    expect(notifier.posts[0]!.text).toContain('priority: Specify the Priority (name) in the string format');
    expect(notifier.posts[0]!.text).toContain('PATCH /api/projects/PAY');
  });

  it('a worker dies mid-create: a fresh replica takes the expired lease and finishes the work once', async () => {
    const d = await defect(t, projectId);
    const depsA = jiraDeps(t);
    const real = depsA.jira!;
    let reachedJira!: () => void;
    const jiraGotIt = new Promise<void>((resolve) => (reachedJira = resolve));
    // Worker A's process "dies" right after Jira created the issue: its tick never returns.
    const dying: JiraGateway = {
      ...real,
      createIssue: async (f) => (await real.createIssue(f), reachedJira(), new Promise(() => undefined)),
    };
    void runOutboxTick({ ...depsA, jira: dying }, at(0), { leaseMs: 2 * MIN });
    await jiraGotIt;

    const fresh = openDatabase(t.target);
    try {
      const depsB = { ...jiraDeps(t), db: fresh };
      expect(await runOutboxTick(depsB, at(MIN))).toMatchObject({ claimed: 0 }); // A's lease still holds
      expect(await runOutboxTick(depsB, at(2 * MIN))).toMatchObject({ claimed: 1, done: 1 });
      expect(await runOutboxTick(depsB, at(3 * MIN))).toMatchObject({ claimed: 0 });
    } finally {
      await fresh.close();
    }
    expect(jira.creates()).toHaveLength(1);
    expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1);
    expect(await item(d.id)).toMatchObject({ status: 'DONE', attempts: 2 });
    expect((await t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).jiraKey).toBe(jira.withLabel(`shipgate-${d.id}`)[0]!.key);
  });

  it('two replicas ticking at the same moment never take the same item', async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await defect(t, projectId, { title: `Race ${i}` })).id);
    const other = openDatabase(t.target);
    try {
      const [a, b] = await Promise.all([runOutboxTick(jiraDeps(t), at(0)), runOutboxTick({ ...jiraDeps(t), db: other }, at(0))]);
      expect(a.claimed + b.claimed).toBe(6);
      expect(a.done + b.done).toBe(6);
    } finally {
      await other.close();
    }
    expect(jira.creates()).toHaveLength(6);
    for (const id of ids) {
      expect(jira.withLabel(`shipgate-${id}`)).toHaveLength(1);
      expect(await item(id)).toMatchObject({ status: 'DONE', attempts: 1 });
    }
  });

  it('Jira down for an hour, then back: items wait with capped backoff, then all sync exactly once', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await defect(t, projectId, { title: `Outage ${i}` })).id);
    let down = true;
    jira.fault = () => (down ? [503, { errorMessages: ['Jira is down for maintenance'] }] : undefined);
    const deps = jiraDeps(t);

    for (let m = 0; m < 60; m++) await runOutboxTick(deps, at(m * MIN));
    const duringOutage = jira.requests.length;
    // Backoff, not hammering: far fewer calls than 5 items × 60 ticks, yet each item was tried.
    expect(duringOutage).toBeLessThan(5 * 12);
    for (const id of ids) {
      const row = await item(id);
      expect(row.status).toBe('PENDING');
      expect(row.attempts).toBeGreaterThan(1);
      expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(t0 + 60 * MIN + BACKOFF_CAP_MS);
    }
    expect(jira.issues.size).toBe(0);

    down = false;
    let minutes = 60;
    while (minutes <= 60 + BACKOFF_CAP_MS / MIN) {
      await runOutboxTick(deps, at(minutes * MIN));
      if ((await t.prisma.outboxItem.count({ where: { id: { in: await itemIds(ids) }, status: 'PENDING' } })) === 0) break;
      minutes++;
    }
    expect(minutes).toBeLessThanOrEqual(60 + BACKOFF_CAP_MS / MIN);
    expect(jira.issues.size).toBe(5);
    const keys = new Set<string>();
    for (const id of ids) {
      expect(jira.withLabel(`shipgate-${id}`)).toHaveLength(1);
      expect(await item(id)).toMatchObject({ status: 'DONE' });
      keys.add((await t.prisma.defect.findUniqueOrThrow({ where: { id } })).jiraKey!);
    }
    expect(keys.size).toBe(5);
    // More ticks change nothing.
    const calls = jira.requests.length;
    for (let m = 1; m <= 30; m++) await runOutboxTick(deps, at((minutes + m) * MIN));
    expect(jira.requests.length).toBe(calls);
  });

  async function itemIds(defectIds: string[]) {
    const rows = await t.prisma.outboxItem.findMany({
      where: { dedupeKey: { in: defectIds.map((id) => `jira.createIssue:${id}`) } },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }
});
