// Jira through `shipgate serve` as a process, with its own schedules: a defect
// waiting in the outbox becomes one Jira issue at the server's first outbox
// tick, and one reported while it runs at a later one (Jira served over real HTTP by the fake on 127.0.0.1); moving the issue
// to Done and delivering Jira's signed webhook resolves the defect, turns the
// verdict to GO over the REST API, and the milestone's channel hears it once:
// threads are on by default, so the day is one card (NO-GO, then edited to GO
// in place) with the story in its thread, the Jira change once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../src/jira/webhook-signature.js';
import { reportDefect } from '../../src/services/report-defect.js';
import { updateProject } from '../../src/services/update-project.js';
import { client } from '../helpers/api-server.js';
import { resultRow, seedMilestone, seedProjectWithApiKey, seedRun, TEST_OPERATOR } from '../helpers/factories.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../helpers/slack-api-stand-in.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { waitUntil } from '../helpers/wait.js';
import { FakeJira, JIRA_EMAIL, JIRA_TOKEN } from '../jira/fake-jira.js';
import { jiraCheck } from '../jira/jira-setup.js';

const SECRET = 'e2e-webhook-secret';

describe(`Jira through a running server (${testProvider()})`, () => {
  let t: TestDatabase;
  let slack: SlackApiStandIn;
  let jira: FakeJira;
  let server: ServerProcess;
  let apiKey: string;
  let defectId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    slack = await startSlackApiStandIn();
    jira = new FakeJira();
    const jiraUrl = await jira.listen();
    const seeded = await seedProjectWithApiKey(t, 'SHOP');
    apiKey = seeded.apiKey;
    await updateProject(t, { projectId: seeded.project.id, patch: { jira: { projectKey: 'SHOPJ' } }, actor: TEST_OPERATOR });
    const m = await seedMilestone(t, seeded.project.id, '1.0', { slackChannelId: 'C-SHOP' });
    await seedRun(t, { projectId: seeded.project.id, name: 'ci', milestoneId: m.id, results: [resultRow('cart::adds')] });
    // Reported while the server was down: the work waits in the outbox.
    defectId = (
      await reportDefect(
        { db: t.db, now: t.now, jiraCheck: jiraCheck() },
        {
          projectId: seeded.project.id,
          title: 'Cart loses items',
          severity: 'HIGH',
          milestone: '1.0',
          jira: { create: true },
        },
      )
    ).id;
    server = await startServerProcess({
      DATABASE_URL: t.url,
      JIRA_HOST: jiraUrl,
      JIRA_EMAIL,
      JIRA_API_TOKEN: JIRA_TOKEN,
      JIRA_WEBHOOK_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-e2e',
      SLACK_SIGNING_SECRET: 'e2e-signing',
      SLACK_API_URL: slack.apiUrl,
    });
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) await server.stop('SIGKILL');
    await jira?.close();
    await slack?.close();
    await t?.cleanup();
  });

  it('outbox at start → one issue; Done by webhook → defect resolved, verdict GO, channel told once', async () => {
    const api = client(server.url, apiKey);
    const defect = async () => (await api('GET', `/api/projects/SHOP/defects/${defectId}`)).body;
    await waitUntil(async () => (await defect()).jira?.sync === 'linked', 'the issue linked by the outbox tick at start', {
      timeoutMs: 20_000,
    });
    expect(jira.creates()).toHaveLength(1);
    const [issue] = jira.withLabel(`shipgate-${defectId}`);
    expect(await defect()).toMatchObject({ status: 'OPEN', jira: { key: issue!.key, status: 'To Do' } });
    expect((await api('GET', '/api/projects/SHOP/milestones/1.0/readiness')).body.verdict).toBe('NO_GO');
    // The living tick (every 5 s) posts the day's card and tells the run and the defect in its thread.
    const inChannel = () => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C-SHOP');
    const replies = () => inChannel().filter((c) => c.body.thread_ts !== undefined);
    await waitUntil(() => replies().length > 0, 'the card and its first reply', { timeoutMs: 20_000 });
    const card = await t.prisma.livingMessage.findFirstOrThrow({ where: { channel: 'C-SHOP' } });
    expect(card).toMatchObject({ verdict: 'NO_GO', ts: expect.any(String) });
    expect(inChannel().map((c) => [c.body.thread_ts, String(c.body.text).split('\n')[0]])).toEqual([
      [undefined, 'SHOP/1.0: NO-GO — pass rate 100% (1/1)'],
      [card.ts, ':checkered_flag: Run completed: *ci*: 1 passed, 0 failed'],
    ]);
    expect(String(replies()[0]!.body.text).split('\n')[1]).toBe(':beetle: Defect reported (high): Cart loses items');

    jira.transition(issue!.key, { name: 'Done', category: 'done' }, '2026-11-25T10:00:00.000+0000');
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: jira.view(issue!) });
    const deliver = () =>
      fetch(`${server.url}/jira/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature': signBody(SECRET, body),
          'x-atlassian-webhook-identifier': 'e2e-1',
        },
        body,
      });
    expect((await deliver()).status).toBe(200);
    expect((await deliver()).status).toBe(200); // Jira's retry of the same delivery
    expect(await defect()).toMatchObject({ status: 'RESOLVED', jira: { status: 'Done', statusCategory: 'done' } });
    expect((await api('GET', '/api/projects/SHOP/milestones/1.0/readiness')).body.verdict).toBe('GO');
    // The webhook answers once the change is applied and queued for the card's thread (once, by its
    // claim): the living tick edits the card to GO in place and tells the change in one reply.
    expect(await t.prisma.outboxItem.count({ where: { kind: 'living.event', payload: { contains: '"kind":"jira"' } } })).toBe(1);
    await waitUntil(() => replies().length > 1, 'the Jira change told in the thread', { timeoutMs: 20_000 });
    expect(
      replies()
        .slice(1)
        .map((c) => [c.body.thread_ts, c.body.text]),
    ).toEqual([[card.ts, `${issue!.key} “Cart loses items” moved to Done in Jira, so the defect is RESOLVED.\nVerdict: 🔴 NO-GO → 🟢 GO`]]);
    expect(
      slack
        .callsTo('chat.update')
        .filter((c) => c.body.ts === card.ts)
        .map((c) => String(c.body.text).split(' — ')[0]),
    ).toContain('SHOP/1.0: GO');
    expect(jira.creates()).toHaveLength(1);

    // Reported while the server runs: the outbox schedule (every 15 s) creates its issue.
    const posted = await api('POST', '/api/projects/SHOP/defects', {
      title: 'Coupons ignored',
      severity: 'LOW',
      milestone: '1.0',
      jira: { create: true },
    });
    expect(posted.status).toBe(201);
    expect(posted.body.jira).toEqual({ key: null, sync: 'pending' });
    let linked: { jira: { key: string | null; sync: string } | null } = posted.body;
    await waitUntil(
      async () => (linked = (await api('GET', `/api/projects/SHOP/defects/${posted.body.id}`)).body).jira?.sync === 'linked',
      'the issue linked by a scheduled outbox tick',
      { timeoutMs: 25_000, everyMs: 250 },
    );
    expect(linked.jira?.key).toBe(jira.withLabel(`shipgate-${posted.body.id}`)[0]?.key);
    expect(jira.creates()).toHaveLength(2);
    // Still one card for the day, and the Jira change told once.
    expect(inChannel().filter((c) => c.body.thread_ts === undefined)).toHaveLength(1);
    expect(replies().filter((c) => String(c.body.text).includes('moved to Done'))).toHaveLength(1);
  }, 60_000);
});
