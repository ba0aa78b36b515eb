// Failed Jira work is retried in a running product, through the real HTTP
// server against the fake Jira: a new project mapping puts the project's
// failed creations back in the queue, and a defect can be given a new link
// (or an issue) with PATCH after Jira refused the first one.
import { TEST_OPERATOR } from '../helpers/factories.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runOutboxTick } from '../../src/jira/outbox-worker.js';
import { createApiKey } from '../../src/services/create-api-key.js';
import { updateProject } from '../../src/services/update-project.js';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { FakeJira, JIRA_EMAIL, JIRA_HOST, JIRA_TOKEN } from './fake-jira.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { defect, jiraDeps, seedJiraProject } from './jira-setup.js';

describe('Jira: retrying failed work', () => {
  let h: ApiHarness;
  let jira: FakeJira;
  let api: ReturnType<typeof client>;
  let pay: Awaited<ReturnType<typeof seedJiraProject>>;
  let ops: Awaited<ReturnType<typeof seedJiraProject>>;
  const later = () => new Date(Date.now() + 60_000);
  const createItem = (defectId: string) =>
    h.t.prisma.outboxItem.findUniqueOrThrow({ where: { dedupeKey: `jira.createIssue:${defectId}` } });
  // Jira has no project WRONG: creating an issue there is a 404, as Jira answers it.
  const noProjectWrong = () => {
    jira.fault = (req) =>
      req.method === 'POST' && req.path === '/rest/api/3/issue' && req.body.fields.project.key === 'WRONG'
        ? [404, { errorMessages: [], errors: { project: 'valid project is required' } }]
        : undefined;
  };

  beforeAll(async () => {
    h = await startApi({ JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN: JIRA_TOKEN });
    pay = await seedJiraProject(h.t, 'PAY', 'T1');
    ops = await seedJiraProject(h.t, 'OPS', 'T1');
    api = client(h.url, (await createApiKey(h.t, { workspaceId: pay.workspace.id, projectKey: 'PAY', scope: 'admin' })).key);
  });
  afterAll(async () => h.close());
  beforeEach(async () => {
    jira = new FakeJira().start();
    // Leave earlier tests' items out of each test's ticks.
    await h.t.prisma.outboxItem.updateMany({ where: { status: { in: ['PENDING', 'FAILED'] } }, data: { status: 'DONE' } });
    await h.t.prisma.project.updateMany({ data: { jiraProjectKey: 'WRONG' } });
  });
  afterEach(() => jira.stop());

  it('PATCH of the project’s Jira mapping after a 404 requeues that project’s failed creations; the next tick creates exactly one issue', async () => {
    noProjectWrong();
    const notifier = new RecordingNotifier();
    const posted = await api('POST', '/api/projects/PAY/defects', {
      title: 'Refund returns 502',
      severity: 'CRITICAL',
      milestone: '2.4',
      jira: { create: true },
    });
    expect(posted.status).toBe(201);
    const other = await defect(h.t, ops.project.id, { title: 'Other project’s bug' });
    expect(await runOutboxTick(jiraDeps(h.t, notifier), later())).toMatchObject({ claimed: 2, failed: 2 });
    expect(await createItem(posted.body.id)).toMatchObject({ status: 'FAILED' });
    const told = notifier.posts.find((p) => p.text.includes('Refund returns 502'))!;
    expect(told.text).toContain('Jira has no project WRONG');
    expect(told.text).toContain('/milestone project jira PAY &lt;JIRA-KEY&gt;');
    expect(told.text).toContain('created by itself');
    expect(jira.issues.size).toBe(0);

    const now = new Date();
    h.setNow(now);
    const patched = await api('PATCH', '/api/projects/PAY', { jira: { projectKey: 'PAYJ' } });
    expect(patched.status).toBe(200);
    expect(patched.body.jira.projectKey).toBe('PAYJ');
    const requeued = await createItem(posted.body.id);
    // Due at once, by the server's clock.
    expect(requeued).toMatchObject({ status: 'PENDING', lockedBy: null, lockedUntil: null, nextAttemptAt: now });
    // Only PAY's work: OPS's failure waits for OPS's own mapping.
    expect(await createItem(other.id)).toMatchObject({ status: 'FAILED' });

    expect(await runOutboxTick(jiraDeps(h.t, notifier), later())).toMatchObject({ claimed: 1, done: 1, failed: 0 });
    const creates = jira.creates().filter((c) => c.body.fields.project.key === 'PAYJ');
    expect(creates).toHaveLength(1);
    expect(jira.withLabel(`shipgate-${posted.body.id}`)).toHaveLength(1);
    const shown = await api('GET', `/api/projects/PAY/defects/${posted.body.id}`);
    expect(shown.body.jira).toMatchObject({ key: jira.withLabel(`shipgate-${posted.body.id}`)[0]!.key, status: 'To Do' });
    expect(await createItem(posted.body.id)).toMatchObject({ status: 'DONE' });
    expect(await runOutboxTick(jiraDeps(h.t, notifier), later())).toMatchObject({ claimed: 0 });
    expect(jira.creates().filter((c) => c.body.fields.project.key === 'PAYJ')).toHaveLength(1);
  });

  it('updateProject (what `/milestone project jira` runs) requeues in its transaction and says how many; no Jira project, nothing requeued', async () => {
    noProjectWrong();
    const a = await defect(h.t, pay.project.id, { title: 'First' });
    const b = await defect(h.t, pay.project.id, { title: 'Second', milestone: undefined });
    const other = await defect(h.t, ops.project.id, { title: 'Elsewhere' });
    expect(await runOutboxTick(jiraDeps(h.t), later())).toMatchObject({ failed: 3 });

    const now = new Date('2030-01-01T00:00:00Z');
    // Clearing the mapping would only fail them again: they stay FAILED.
    expect(
      (
        await updateProject(
          { db: h.t.db, now: () => now },
          { projectId: pay.project.id, patch: { jira: { projectKey: null } }, actor: TEST_OPERATOR },
        )
      ).jiraRequeued,
    ).toBe(0);
    // Settings other than the mapping do not touch the outbox.
    expect(
      (
        await updateProject(
          { db: h.t.db, now: () => now },
          { projectId: pay.project.id, patch: { name: 'Payments' }, actor: TEST_OPERATOR },
        )
      ).jiraRequeued,
    ).toBe(0);
    expect(await createItem(a.id)).toMatchObject({ status: 'FAILED' });

    const result = await updateProject(
      { db: h.t.db, now: () => now },
      { projectId: pay.project.id, patch: { jira: { projectKey: 'PAYJ' } }, actor: TEST_OPERATOR },
    );
    expect(result.jiraRequeued).toBe(2);
    expect(result.project.jiraProjectKey).toBe('PAYJ');
    for (const d of [a, b]) expect(await createItem(d.id)).toMatchObject({ status: 'PENDING', nextAttemptAt: now });
    expect(await createItem(other.id)).toMatchObject({ status: 'FAILED' });
    // Saving again finds nothing left to requeue.
    expect(
      (
        await updateProject(
          { db: h.t.db, now: () => now },
          { projectId: pay.project.id, patch: { jira: { projectKey: 'PAYJ' } }, actor: TEST_OPERATOR },
        )
      ).jiraRequeued,
    ).toBe(0);

    expect(await runOutboxTick(jiraDeps(h.t), now)).toMatchObject({ claimed: 2, done: 2 });
    for (const d of [a, b]) expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1);
    expect(jira.creates().filter((c) => c.body.fields.project.key === 'PAYJ')).toHaveLength(2);
  });

  it('PATCH of a defect with jira.key after a refused link checks the new key, enqueues a link, and the tick links it', async () => {
    await h.t.prisma.project.update({ where: { id: pay.project.id }, data: { jiraProjectKey: 'PAYJ' } });
    jira.addIssue('PAYJ-77', { name: 'In Progress', category: 'indeterminate' }, '2026-11-22T09:00:00.000+0000');
    // Jira was down when the defect was reported, so the key could only be checked later, by the outbox.
    jira.fault = () => [503, { errorMessages: ['down'] }];
    const d = await defect(h.t, pay.project.id, { title: 'Ghost link', severity: 'LOW', jira: { key: 'PAYJ-404' } });
    jira.fault = undefined;
    expect(await runOutboxTick(jiraDeps(h.t), later())).toMatchObject({ failed: 1 });
    expect(await h.t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraKey: 'PAYJ-404',
      jiraUrl: null,
      jiraSync: 'FAILED',
      jiraSyncError: 'PAYJ-404 does not exist in Jira',
    });

    const patched = await api('PATCH', `/api/projects/PAY/defects/${d.id}`, { jira: { key: ' payj-77 ' } });
    expect(patched.status).toBe(200);
    expect(patched.body.jira).toEqual({ key: 'PAYJ-77', status: 'In Progress', url: 'https://jira.test/browse/PAYJ-77', sync: 'linked' });
    expect(await h.t.prisma.outboxItem.findUniqueOrThrow({ where: { dedupeKey: `jira.linkIssue:${d.id}:PAYJ-77` } })).toMatchObject({
      status: 'PENDING',
      kind: 'jira.linkIssue',
    });

    expect(await runOutboxTick(jiraDeps(h.t), later())).toMatchObject({ claimed: 1, done: 1 });
    expect(jira.creates()).toHaveLength(0);
    expect((await api('GET', `/api/projects/PAY/defects/${d.id}`)).body.jira).toEqual({
      key: 'PAYJ-77',
      status: 'In Progress',
      statusCategory: 'indeterminate',
      url: 'https://jira.test/browse/PAYJ-77',
      sync: 'linked',
    });
  });

  it('re-linking to another key forgets the old issue’s state, so the new one’s (older) news is applied', async () => {
    await h.t.prisma.project.update({ where: { id: pay.project.id }, data: { jiraProjectKey: 'PAYJ' } });
    jira.addIssue('PAYJ-80', { name: 'Done', category: 'done' }, '2026-11-25T09:00:00.000+0000');
    jira.addIssue('PAYJ-81', { name: 'To Do', category: 'new' }, '2026-11-01T09:00:00.000+0000');
    const d = await defect(h.t, pay.project.id, { title: 'Wrong link', severity: 'LOW', jira: { key: 'PAYJ-80' } });
    await runOutboxTick(jiraDeps(h.t), later());
    expect(await h.t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraKey: 'PAYJ-80',
      jiraStatus: 'Done',
      status: 'RESOLVED',
    });

    expect((await api('PATCH', `/api/projects/PAY/defects/${d.id}`, { status: 'OPEN', jira: { key: 'PAYJ-81' } })).status).toBe(200);
    expect(await runOutboxTick(jiraDeps(h.t), later())).toMatchObject({ done: 1 });
    expect(await h.t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } })).toMatchObject({
      jiraKey: 'PAYJ-81',
      jiraStatus: 'To Do',
      jiraStatusCategory: 'new',
      status: 'OPEN',
    });
  });

  it('PATCH with jira.create runs the defect’s failed create item again (no second item) and creates one issue', async () => {
    jira.fault = (req) =>
      req.method === 'POST' && req.path === '/rest/api/3/issue'
        ? [401, { errorMessages: ['Client must be authenticated to access this resource.'] }]
        : undefined;
    await h.t.prisma.project.update({ where: { id: pay.project.id }, data: { jiraProjectKey: 'PAYJ' } });
    const notifier = new RecordingNotifier();
    const d = await defect(h.t, pay.project.id, { title: 'Token expired' });
    expect(await runOutboxTick(jiraDeps(h.t, notifier), later())).toMatchObject({ failed: 1 });
    expect(notifier.posts[0]!.text).toContain('check JIRA_EMAIL and JIRA_API_TOKEN');
    expect(notifier.posts[0]!.text).toContain('restart Shipgate, then run `shipgate jira retry`');
    jira.fault = undefined;

    const patched = await api('PATCH', `/api/projects/PAY/defects/${d.id}`, { jira: { create: true } });
    expect(patched.status).toBe(200);
    expect(await h.t.prisma.outboxItem.count({ where: { kind: { startsWith: 'jira.' }, payload: { contains: d.id } } })).toBe(1);
    expect(await createItem(d.id)).toMatchObject({ status: 'PENDING' });
    // Asking twice while it waits changes nothing.
    expect((await api('PATCH', `/api/projects/PAY/defects/${d.id}`, { jira: { create: true } })).status).toBe(200);
    expect(await h.t.prisma.outboxItem.count({ where: { kind: { startsWith: 'jira.' }, payload: { contains: d.id } } })).toBe(1);

    expect(await runOutboxTick(jiraDeps(h.t), later())).toMatchObject({ claimed: 1, done: 1 });
    expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1);
    expect((await api('GET', `/api/projects/PAY/defects/${d.id}`)).body.jira.key).toMatch(/^PAYJ-\d+$/);
  });

  it('PATCH with jira.create on a defect without Jira work enqueues a create, done by the tick', async () => {
    await h.t.prisma.project.update({ where: { id: pay.project.id }, data: { jiraProjectKey: 'PAYJ' } });
    const d = await defect(h.t, pay.project.id, { title: 'Found later', jira: undefined });
    expect(await h.t.prisma.outboxItem.count({ where: { kind: { startsWith: 'jira.' }, payload: { contains: d.id } } })).toBe(0);
    expect((await api('PATCH', `/api/projects/PAY/defects/${d.id}`, { jira: { create: true } })).status).toBe(200);
    expect(await createItem(d.id)).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(await runOutboxTick(jiraDeps(h.t), later())).toMatchObject({ claimed: 1, done: 1 });
    expect(jira.withLabel(`shipgate-${d.id}`)).toHaveLength(1);
  });

  it('jira.create on a linked defect is a 409 that changes nothing; a malformed key is a 400 naming jira.key', async () => {
    jira.addIssue('PAYJ-5', { name: 'To Do', category: 'new' }, '2026-11-22T09:00:00.000+0000');
    const d = await defect(h.t, pay.project.id, { title: 'Linked', jira: { key: 'PAYJ-5' } });
    const snapshot = async () => ({
      defect: await h.t.prisma.defect.findUniqueOrThrow({ where: { id: d.id } }),
      outbox: await h.t.prisma.outboxItem.findMany({ orderBy: { id: 'asc' } }),
    });
    const before = await snapshot();

    const conflict = await api('PATCH', `/api/projects/PAY/defects/${d.id}`, { title: 'Renamed', jira: { create: true } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('CONFLICT');
    expect(conflict.body.error.message).toContain('already linked to PAYJ-5');
    expect(conflict.body.error.message).toContain('"key"');
    expect(await snapshot()).toEqual(before);

    for (const key of ['not a key', 'PAYJ', '123-PAY']) {
      const bad = await api('PATCH', `/api/projects/PAY/defects/${d.id}`, { title: 'Renamed', jira: { key } });
      expect(bad.status, key).toBe(400);
      expect(bad.body.error.message).toContain(`jira.key "${key}" is not a Jira issue key; use the form PAY-123.`);
    }
    const both = await api('PATCH', `/api/projects/PAY/defects/${d.id}`, { jira: { create: true, key: 'PAYJ-6' } });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('jira');
    expect(await snapshot()).toEqual(before);
  });
});
