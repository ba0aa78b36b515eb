// The whole path through the real HTTP app: a defect posted to the REST API
// with `jira: { create: true }` becomes one Jira issue through the outbox;
// moving it to Done in Jira (signed webhook) resolves the defect and turns
// the milestone's readiness from NO_GO to GO; the channel (threads on, the
// default) reads the day's story in the thread of the milestone's living card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps.js';
import { mountApi } from '../../src/api/mount-api.js';
import { createHttpApp, finishHttpApp } from '../../src/http/create-http-app.js';
import { startHttpServer, type RunningServer } from '../../src/http/start-http-server.js';
import { mountJira } from '../../src/jira/mount-jira.js';
import { runOutboxTick } from '../../src/jira/outbox-worker.js';
import { runLivingTick } from '../../src/jobs/living-tick.js';
import { signBody } from '../../src/jira/webhook-signature.js';
import { createLogger } from '../../src/logger.js';
import { client } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { FakeJira } from './fake-jira.js';
import { jiraConfig, WEBHOOK_SECRET } from './jira-setup.js';
import { jiraIssueChecker } from '../../src/jira/jira-issue-checker.js';

describe('Jira journey through the REST API', () => {
  let t: TestDatabase;
  let server: RunningServer;
  let base: string;
  let api: ReturnType<typeof client>;
  let deps: AppDeps;
  let jira: FakeJira;
  const notifier = new RecordingNotifier();

  beforeAll(async () => {
    t = await createTestDatabase();
    jira = new FakeJira().start();
    const config = jiraConfig();
    deps = { config, logger: createLogger('silent'), db: t.db, notifier, now: () => new Date(), jiraCheck: jiraIssueChecker(config) };
    const app = createHttpApp({ logger: deps.logger, checkDatabase: async () => undefined });
    mountApi(app, deps);
    mountJira(app, deps);
    finishHttpApp(app, deps.logger);
    server = await startHttpServer(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
    const { apiKey } = await seedProjectWithApiKey(t, 'SHOP');
    api = client(base, apiKey);
  });
  afterAll(async () => {
    jira.stop();
    await server.stop();
    await t.cleanup();
  });

  it('defect → one issue → Done in Jira → defect resolved and the verdict GO', async () => {
    expect(
      (await api('PATCH', '/api/projects/SHOP', { slackChannelId: 'C-SHOP', jira: { projectKey: 'SHOPJ', labels: ['release'] } })).status,
    ).toBe(200);
    const run = await api('POST', '/api/projects/SHOP/test-runs', {
      name: 'ci',
      milestone: '1.0',
      createMilestone: true,
      environment: 'staging',
    });
    expect(run.status).toBe(201);
    await api('POST', `/api/projects/SHOP/test-runs/${run.body.id}/results`, { results: [{ title: 'cart adds item', status: 'PASSED' }] });
    await api('PATCH', `/api/projects/SHOP/test-runs/${run.body.id}`, { status: 'COMPLETED' });
    const readiness = async () => (await api('GET', '/api/projects/SHOP/milestones/1.0/readiness')).body.verdict;
    expect(await readiness()).toBe('GO');

    const posted = await api('POST', '/api/projects/SHOP/defects', {
      title: 'Cart loses items',
      severity: 'HIGH',
      milestone: '1.0',
      jira: { create: true },
    });
    expect(posted.status).toBe(201);
    expect(await readiness()).toBe('NO_GO');

    expect(await runOutboxTick(deps, new Date(Date.now() + 60_000))).toMatchObject({ done: 1 });
    expect(await runOutboxTick(deps, new Date(Date.now() + 120_000))).toMatchObject({ claimed: 0 });
    expect(jira.creates()).toHaveLength(1);
    const [issue] = jira.withLabel(`shipgate-${posted.body.id}`);
    expect(issue!.fields).toMatchObject({
      project: { key: 'SHOPJ' },
      issuetype: { name: 'Bug' },
      priority: { name: 'High' },
      labels: ['release', `shipgate-${posted.body.id}`],
    });
    const shown = await api('GET', `/api/projects/SHOP/defects/${posted.body.id}`);
    expect(shown.body.jira).toEqual({
      key: issue!.key,
      status: 'To Do',
      statusCategory: 'new',
      url: `https://jira.test/browse/${issue!.key}`,
      sync: 'linked',
    });

    jira.transition(issue!.key, { name: 'Done', category: 'done' }, '2026-11-25T10:00:00.000+0000');
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: jira.view(issue!) });
    const hook = await fetch(`${base}/jira/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature': signBody(WEBHOOK_SECRET, body),
        'x-atlassian-webhook-identifier': 'journey-1',
      },
      body,
    });
    expect(hook.status).toBe(200);
    expect((await api('GET', `/api/projects/SHOP/defects/${posted.body.id}`)).body).toMatchObject({
      status: 'RESOLVED',
      jira: { status: 'Done', statusCategory: 'done' },
    });
    expect(await readiness()).toBe('GO');
    // Nothing went to the channel directly: the living tick tells it, in one card and one reply.
    expect(notifier.posts).toEqual([]);
    expect(await runLivingTick(deps, new Date(Date.now() + 180_000))).toMatchObject({ cardsPosted: 1, replies: 1, failed: 0 });
    expect(notifier.posts.map((p) => [p.channel, p.threadTs, p.text])).toEqual([
      ['C-SHOP', undefined, expect.stringMatching(/^SHOP\/1\.0: GO/)],
      [
        'C-SHOP',
        '1.000100',
        [
          ':checkered_flag: Run completed: *ci* (staging): 1 passed, 0 failed',
          ':beetle: Defect reported (high): Cart loses items',
          `${issue!.key} “Cart loses items” moved to Done in Jira, so the defect is RESOLVED.`,
        ].join('\n'),
      ],
    ]);
  });
});
