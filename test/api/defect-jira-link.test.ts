// Linking a defect to Jira over the REST API is checked when it can be: without
// Jira configured it is refused (422, with how to set Jira up); a key Jira does not
// have, or will not show Shipgate, is refused (422); while Jira is down the link is
// queued and shows `sync: "pending"` until the outbox settles it as linked or failed.
// The real jira.js client talks to the fake Jira over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runOutboxTick } from '../../src/jira/outbox-worker.js';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { testProvider } from '../helpers/test-database.js';
import { FakeJira, JIRA_EMAIL, JIRA_TOKEN } from '../jira/fake-jira.js';

const base = '/api/projects/PAY';

describe(`defect Jira links without Jira configured (${testProvider()})`, () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    h = await startApi();
    const { apiKey } = await seedProjectWithApiKey(h.t, 'PAY');
    api = client(h.url, apiKey);
  });
  afterAll(async () => h.close());

  it.each([[{ create: true }], [{ key: 'PAY-1' }]])(
    'POST with jira %j is refused with 422 saying how to set Jira up, and stores nothing',
    async (jira) => {
      const r = await api('POST', `${base}/defects`, { title: 'Refund fails', severity: 'HIGH', jira });
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('UNPROCESSABLE');
      expect(r.body.error.message).toMatch(/Jira is not set up/);
      expect(r.body.error.message).toMatch(/JIRA_HOST, JIRA_EMAIL and JIRA_API_TOKEN/);
      expect(await h.t.prisma.defect.count()).toBe(0);
      expect(await h.t.prisma.outboxItem.count()).toBe(0);
    },
  );

  it('PATCH linking a key is refused the same way and leaves the defect as it was', async () => {
    const d = await api('POST', `${base}/defects`, { title: 'No Jira here', severity: 'LOW' });
    expect(d.status).toBe(201);
    expect(d.body.jira).toBeNull();
    const r = await api('PATCH', `${base}/defects/${d.body.id}`, { jira: { key: 'PAY-2' } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/JIRA_HOST, JIRA_EMAIL and JIRA_API_TOKEN/);
    expect((await api('GET', `${base}/defects/${d.body.id}`)).body.jira).toBeNull();
    expect(await h.t.prisma.outboxItem.count()).toBe(0);
  });
});

describe(`defect Jira links with Jira configured (${testProvider()})`, () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  let jira: FakeJira;
  let jiraUrl: string;

  beforeAll(async () => {
    jira = new FakeJira();
    jiraUrl = await jira.listen();
    h = await startApi({ JIRA_HOST: jiraUrl, JIRA_EMAIL, JIRA_API_TOKEN: JIRA_TOKEN }, { jiraCheckTimeoutMs: 500 });
    const { apiKey, project } = await seedProjectWithApiKey(h.t, 'PAY');
    await h.t.prisma.project.update({ where: { id: project.id }, data: { jiraProjectKey: 'PAYJ' } });
    api = client(h.url, apiKey);
    jira.addIssue('PAYJ-7', { name: 'In Progress', category: 'indeterminate' }, '2026-11-21T08:30:00.000+0000');
  });
  afterEach(() => {
    jira.fault = undefined;
    jira.hold = undefined;
  });
  afterAll(async () => {
    await h.close();
    await jira.close();
  });

  const defects = (title: string) => h.t.prisma.defect.count({ where: { title } });
  const tick = () => runOutboxTick({ ...h.deps }, new Date(Date.now() + 60_000));

  it('a key that exists is linked at once: 201 with sync "linked", its URL and status', async () => {
    const r = await api('POST', `${base}/defects`, { title: 'Linked now', severity: 'HIGH', jira: { key: 'payj-7' } });
    expect(r.status).toBe(201);
    expect(r.body.jira).toMatchObject({ key: 'PAYJ-7', sync: 'linked', url: `${jiraUrl}/browse/PAYJ-7`, status: 'In Progress' });
    expect((await api('GET', `${base}/defects/${r.body.id}`)).body.jira).toMatchObject({ key: 'PAYJ-7', sync: 'linked' });
  });

  it('a key Jira does not have is refused with 422 naming the key, and nothing is stored', async () => {
    const r = await api('POST', `${base}/defects`, { title: 'Ghost link', severity: 'HIGH', jira: { key: 'PAYJ-404' } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/PAYJ-404 does not exist in Jira/);
    expect(await defects('Ghost link')).toBe(0);
  });

  it.each([
    [401, /credentials/],
    [403, /cannot read PAYJ-7/],
  ])('Jira answering %i is refused with 422 saying Shipgate’s account cannot read the key', async (status, message) => {
    jira.fault = (req) => (req.method === 'GET' ? [status, { errorMessages: ['nope'], errors: {} }] : undefined);
    const r = await api('POST', `${base}/defects`, { title: `Refused ${status}`, severity: 'LOW', jira: { key: 'PAYJ-7' } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(message);
    expect(await defects(`Refused ${status}`)).toBe(0);
  });

  it('PATCH to a key Jira does not have is refused with 422 and the defect keeps its link', async () => {
    const d = await api('POST', `${base}/defects`, { title: 'Keeps its link', severity: 'LOW', jira: { key: 'PAYJ-7' } });
    const r = await api('PATCH', `${base}/defects/${d.body.id}`, { jira: { key: 'PAYJ-405' } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toMatch(/PAYJ-405 does not exist in Jira/);
    expect((await api('GET', `${base}/defects/${d.body.id}`)).body.jira).toMatchObject({ key: 'PAYJ-7', sync: 'linked' });
  });

  it.each([
    ['503', () => (jira.fault = () => [503, { errorMessages: ['down for maintenance'] }])],
    ['429', () => (jira.fault = () => [429, { errorMessages: ['slow down'] }, { 'retry-after': '30' }])],
    ['a timeout', () => (jira.hold = () => 1_500)],
  ])(
    'while Jira answers %s the link is queued: 201 with sync "pending"; the outbox then fails a missing key with the reason',
    async (_, down) => {
      down();
      const r = await api('POST', `${base}/defects`, { title: `Queued ${_}`, severity: 'LOW', jira: { key: 'PAYJ-404' } });
      expect(r.status).toBe(201);
      expect(r.body.jira).toEqual({ key: 'PAYJ-404', sync: 'pending' });
      jira.fault = undefined;
      jira.hold = undefined;
      await tick();
      const read = await api('GET', `${base}/defects/${r.body.id}`);
      expect(read.body.jira).toEqual({ key: 'PAYJ-404', sync: 'failed', error: 'PAYJ-404 does not exist in Jira' });
      const list = await api('GET', `${base}/defects`);
      expect(list.body.defects.find((x: { id: string }) => x.id === r.body.id).jira.sync).toBe('failed');
    },
  );

  it('Jira unreachable (connection refused): queued as pending, then linked once Jira answers', async () => {
    const closed = new FakeJira();
    const deadUrl = await closed.listen();
    await closed.close();
    const down = await startApi({ JIRA_HOST: deadUrl, JIRA_EMAIL, JIRA_API_TOKEN: JIRA_TOKEN }, { jiraCheckTimeoutMs: 500 });
    try {
      const { apiKey } = await seedProjectWithApiKey(down.t, 'PAY');
      const r = await client(down.url, apiKey)('POST', `${base}/defects`, { title: 'Later', severity: 'LOW', jira: { key: 'PAYJ-7' } });
      expect(r.status).toBe(201);
      expect(r.body.jira).toEqual({ key: 'PAYJ-7', sync: 'pending' });
      // The same database, now with Jira answering.
      await runOutboxTick({ ...down.deps, config: h.deps.config }, new Date(Date.now() + 60_000));
      const stored = await down.t.prisma.defect.findUniqueOrThrow({ where: { id: r.body.id } });
      expect(stored).toMatchObject({ jiraSync: 'LINKED', jiraSyncError: null, jiraStatus: 'In Progress' });
    } finally {
      await down.close();
    }
  });

  it('create: true while Jira is down is pending until the outbox creates the issue, then linked', async () => {
    const r = await api('POST', `${base}/defects`, { title: 'Create me', severity: 'HIGH', jira: { create: true } });
    expect(r.status).toBe(201);
    expect(r.body.jira).toEqual({ key: null, sync: 'pending' });
    jira.fault = () => [503, { errorMessages: ['down'] }];
    await tick();
    expect((await api('GET', `${base}/defects/${r.body.id}`)).body.jira).toEqual({ key: null, sync: 'pending' });
    jira.fault = undefined;
    await runOutboxTick({ ...h.deps }, new Date(Date.now() + 3_600_000));
    const read = await api('GET', `${base}/defects/${r.body.id}`);
    expect(read.body.jira).toMatchObject({ key: expect.stringMatching(/^PAYJ-\d+$/), sync: 'linked', status: 'To Do' });
  });

  it('create: true that Jira refuses for good shows sync "failed" with the reason', async () => {
    const r = await api('POST', `${base}/defects`, { title: 'Refused create', severity: 'HIGH', jira: { create: true } });
    jira.fault = (req) =>
      req.method === 'POST' ? [400, { errorMessages: [], errors: { issuetype: 'Specify a valid issue type' } }] : undefined;
    await runOutboxTick({ ...h.deps }, new Date(Date.now() + 7_200_000));
    const read = await api('GET', `${base}/defects/${r.body.id}`);
    expect(read.body.jira).toEqual({ key: null, sync: 'failed', error: expect.stringContaining('issuetype: Specify a valid issue type') });
  });
});
