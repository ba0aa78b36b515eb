// POST /jira/webhook through the real HTTP app: signatures, deliveries
// deduplicated, out-of-order events ignored, Done resolving and reopening a
// defect, and the milestone's channel told once when its verdict flips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps.js';
import { createHttpApp, finishHttpApp } from '../../src/http/create-http-app.js';
import { startHttpServer, type RunningServer } from '../../src/http/start-http-server.js';
import { mountJira } from '../../src/jira/mount-jira.js';
import { runOutboxTick } from '../../src/jira/outbox-worker.js';
import { signBody } from '../../src/jira/webhook-signature.js';
import { createLogger } from '../../src/logger.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { FakeJira } from './fake-jira.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { auditEntries } from '../helpers/audit.js';
import { defect, jiraConfig, jiraDeps, seedJiraProject, WEBHOOK_SECRET } from './jira-setup.js';

function event(key: string, status: string, category: string, updated: string, webhookEvent = 'jira:issue_updated') {
  return {
    timestamp: Date.parse(updated),
    webhookEvent,
    issue: {
      id: '10001',
      key,
      self: `https://jira.test/rest/api/3/issue/10001`,
      fields: { status: { name: status, statusCategory: { key: category } }, updated },
    },
  };
}

describe('Jira webhook', () => {
  let t: TestDatabase;
  let server: RunningServer;
  let base: string;
  let notifier: RecordingNotifier;
  let seeded: Awaited<ReturnType<typeof seedJiraProject>>;
  let defectId: string;
  const now = new Date('2026-11-23T12:00:00Z');

  async function start(config = jiraConfig()): Promise<{ server: RunningServer; base: string }> {
    const deps: AppDeps = { config, logger: createLogger('silent'), db: t.db, notifier, now: () => now, jiraCheck: null };
    const app = createHttpApp({ logger: deps.logger, checkDatabase: async () => undefined });
    mountJira(app, deps);
    finishHttpApp(app, deps.logger);
    const s = await startHttpServer(app, 0, '127.0.0.1');
    return { server: s, base: `http://127.0.0.1:${s.port}` };
  }

  function post(body: unknown, headers: Record<string, string | undefined> = {}, url = base) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const h: Record<string, string> = { 'content-type': 'application/json' };
    const withDefaults = { 'x-hub-signature': signBody(WEBHOOK_SECRET, raw), ...headers };
    for (const [k, v] of Object.entries(withDefaults)) if (v !== undefined) h[k] = v;
    return fetch(`${url}/jira/webhook`, { method: 'POST', headers: h, body: raw });
  }

  const stored = () => t.prisma.defect.findUniqueOrThrow({ where: { id: defectId } });
  const verdict = async () => (await getReadiness({ db: t.db, now: () => now }, seeded.milestone.id)).verdict;

  beforeAll(async () => {
    t = await createTestDatabase();
    seeded = await seedJiraProject(t);
    notifier = new RecordingNotifier();
    // A CRITICAL defect linked to PAYJ-1, synced once through the outbox.
    const jira = new FakeJira().start();
    try {
      jira.addIssue('PAYJ-1', { name: 'To Do', category: 'new' }, '2026-11-20T10:00:00.000+0000');
      defectId = (await defect(t, seeded.project.id, { jira: { key: 'PAYJ-1' } })).id;
      expect(await runOutboxTick(jiraDeps(t), new Date(Date.now() + 60_000))).toMatchObject({ done: 1 });
    } finally {
      jira.stop();
    }
    ({ server, base } = await start());
  });
  afterAll(async () => {
    await server.stop();
    await t.cleanup();
  });

  it('refuses a missing or wrong signature with 401 and changes nothing', async () => {
    const before = await stored();
    const body = event('PAYJ-1', 'Done', 'done', '2026-11-21T10:00:00.000+0000');
    const missing = await post(body, { 'x-hub-signature': undefined, 'x-atlassian-webhook-identifier': 'bad-1' });
    expect(missing.status).toBe(401);
    const wrong = await post(body, {
      'x-hub-signature': signBody('not-the-secret', JSON.stringify(body)),
      'x-atlassian-webhook-identifier': 'bad-2',
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).error.code).toBe('UNAUTHENTICATED');
    // A body changed after signing fails too.
    const tampered = await post(JSON.stringify(body).replace('Done', 'Closed'), {
      'x-hub-signature': signBody(WEBHOOK_SECRET, JSON.stringify(body)),
    });
    expect(tampered.status).toBe(401);
    expect(await stored()).toEqual(before);
    expect(await t.prisma.webhookDelivery.count()).toBe(0);
    expect(notifier.posts).toHaveLength(0);
  });

  it('without JIRA_WEBHOOK_SECRET every delivery is refused with 503', async () => {
    const other = await start(jiraConfig({ JIRA_WEBHOOK_SECRET: '' }));
    try {
      const res = await post(event('PAYJ-1', 'Done', 'done', '2026-11-21T10:00:00.000+0000'), {}, other.base);
      expect(res.status).toBe(503);
      expect(((await res.json()) as any).error.message).toContain('JIRA_WEBHOOK_SECRET');
      expect((await stored()).status).toBe('OPEN');
    } finally {
      await other.server.stop();
    }
  });

  it('Done resolves the defect, flips the verdict, and the channel hears it once even when Jira retries', async () => {
    expect(await verdict()).toBe('NO_GO');
    const body = event('PAYJ-1', 'Done', 'done', '2026-11-21T10:00:00.000+0000');
    const first = await post(body, { 'x-atlassian-webhook-identifier': 'delivery-1' });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, defects: 1, updated: 1 });
    expect(await stored()).toMatchObject({
      status: 'RESOLVED',
      jiraStatus: 'Done',
      jiraStatusCategory: 'done',
      jiraUrl: 'https://jira.test/browse/PAYJ-1',
    });
    expect(await verdict()).toBe('GO');
    expect(notifier.posts).toHaveLength(1);
    expect(notifier.posts[0]).toMatchObject({ channel: 'C-MILESTONE', workspaceId: seeded.workspace.id });
    expect(notifier.posts[0]!.text).toContain('PAY/2.4 is now GO (was NO-GO)');
    expect(notifier.posts[0]!.text).toContain('PAYJ-1 “Refund returns 502” moved to Done in Jira');

    const again = await post(body, { 'x-atlassian-webhook-identifier': 'delivery-1' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    // The same news under another delivery id (or no id) is older-or-equal: no effect either.
    const sameNews = await post(body, { 'x-atlassian-webhook-identifier': 'delivery-1b' });
    expect(await sameNews.json()).toMatchObject({ updated: 0 });
    expect(await t.prisma.webhookDelivery.count({ where: { id: { startsWith: 'delivery-1' } } })).toBe(2);
    expect(notifier.posts).toHaveLength(1);
    // On the audit trail once, with Jira as the actor, in the milestone's trail.
    const trail = await auditEntries(t.prisma, { defectId });
    expect(trail).toMatchObject([
      {
        kind: 'defect.status',
        actorType: 'jira',
        actorId: 'jira',
        milestoneId: seeded.milestone.id,
        before: { status: 'OPEN' },
        after: { status: 'RESOLVED' },
      },
    ]);
    expect(trail[0]!.createdAt.toISOString()).toBe(now.toISOString());
  });

  it('ignores an event older than what is stored (out-of-order delivery)', async () => {
    const late = await post(event('PAYJ-1', 'In Progress', 'indeterminate', '2026-11-21T09:00:00.000+0000'), {
      'x-atlassian-webhook-identifier': 'delivery-0',
    });
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ updated: 0 });
    expect(await stored()).toMatchObject({ status: 'RESOLVED', jiraStatus: 'Done' });
    expect((await stored()).jiraUpdatedAt?.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(notifier.posts).toHaveLength(1);
  });

  it('leaving Done reopens the defect and announces the flip back, once', async () => {
    const res = await post(event('PAYJ-1', 'Reopened', 'indeterminate', '2026-11-22T08:00:00.000+0000'), {
      'x-atlassian-webhook-identifier': 'delivery-2',
    });
    expect(await res.json()).toMatchObject({ updated: 1 });
    expect(await stored()).toMatchObject({ status: 'OPEN', jiraStatus: 'Reopened', jiraStatusCategory: 'indeterminate' });
    expect(await verdict()).toBe('NO_GO');
    expect(notifier.posts).toHaveLength(2);
    expect(notifier.posts[1]!.text).toContain('PAY/2.4 is now NO-GO (was GO)');
    // An unrelated edit (still not Done) does not touch a status people set by hand.
    await t.prisma.defect.update({ where: { id: defectId }, data: { status: 'RESOLVED' } });
    await post(event('PAYJ-1', 'Reopened', 'indeterminate', '2026-11-22T09:00:00.000+0000'), {
      'x-atlassian-webhook-identifier': 'delivery-3',
    });
    expect((await stored()).status).toBe('RESOLVED');
    await t.prisma.defect.update({ where: { id: defectId }, data: { status: 'OPEN' } });
  });

  it('a waived defect stays waived when its issue leaves Done, unless the waiver has expired', async () => {
    const waived = async (until: string) => {
      await t.prisma.defect.update({
        where: { id: defectId },
        data: {
          status: 'WAIVED',
          waiverReason: 'hotfix next week',
          waiverUntil: new Date(until),
          waivedBy: 'U1',
          jiraStatusCategory: 'done',
        },
      });
    };
    await waived('2026-12-31T00:00:00Z');
    await post(event('PAYJ-1', 'Reopened', 'indeterminate', '2026-11-22T10:00:00.000+0000'), {
      'x-atlassian-webhook-identifier': 'delivery-4',
    });
    expect(await stored()).toMatchObject({ status: 'WAIVED', waiverReason: 'hotfix next week' });
    await waived('2026-11-01T00:00:00Z');
    await post(event('PAYJ-1', 'Reopened', 'indeterminate', '2026-11-22T11:00:00.000+0000'), {
      'x-atlassian-webhook-identifier': 'delivery-5',
    });
    expect(await stored()).toMatchObject({ status: 'OPEN', waiverReason: null, waiverUntil: null });
  });

  it('answers 400 to a signed body that is not a Jira issue event, and 200 to an issue nobody linked', async () => {
    const bad = await post({ hello: 'world' });
    expect(bad.status).toBe(400);
    const unknown = await post(event('OTHER-9', 'Done', 'done', '2026-11-22T10:00:00.000+0000'));
    expect(await unknown.json()).toMatchObject({ ok: true, defects: 0 });
  });

  it('a deleted issue drops the link but keeps the defect’s own status', async () => {
    const res = await post(event('PAYJ-1', 'Reopened', 'indeterminate', '2026-11-22T12:00:00.000+0000', 'jira:issue_deleted'), {
      'x-atlassian-webhook-identifier': 'delivery-6',
    });
    expect(res.status).toBe(200);
    expect(await stored()).toMatchObject({ jiraKey: null, jiraUrl: null, jiraStatus: null, status: 'OPEN' });
  });
});
