// A milestone named in POST /test-runs is created only when the request says
// so (createMilestone: true); a typo is a 404 naming the close matches and
// creates nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { testProvider } from '../helpers/test-database.js';

describe(`POST /test-runs and a milestone that does not exist (${testProvider()})`, () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  const base = '/api/projects/PAY';

  beforeAll(async () => {
    h = await startApi();
    const { apiKey } = await seedProjectWithApiKey(h.t, 'PAY');
    api = client(h.url, apiKey);
    expect((await api('POST', `${base}/milestones`, { name: '2.4.0' })).status).toBe(201);
  });
  afterAll(async () => h.close());

  it('a typo is a 404 with the close matches, and creates neither a milestone nor a run', async () => {
    const r = await api('POST', `${base}/test-runs`, { name: 'build 1', milestone: '2.4.1', environment: 'staging' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    expect(r.body.error.message).toMatch(/PAY has no milestone "2\.4\.1"/);
    expect(r.body.error.message).toMatch(/Did you mean `PAY\/2\.4\.0`\?/);
    expect(r.body.error.message).toMatch(/Send "createMilestone": true to create it/);
    expect(r.body.error.details.suggestions).toEqual([expect.objectContaining({ name: '2.4.0', projectKey: 'PAY' })]);
    expect(await h.t.prisma.milestone.count({ where: { name: '2.4.1' } })).toBe(0);
    expect(await h.t.prisma.testRun.count()).toBe(0);
  });

  it('createMilestone: true creates it ACTIVE, and is harmless when it exists', async () => {
    const r = await api('POST', `${base}/test-runs`, { name: 'build 2', milestone: '2.5', createMilestone: true });
    expect(r.status).toBe(201);
    expect(r.body.milestone).toBe('2.5');
    const m = await h.t.prisma.milestone.findFirstOrThrow({ where: { name: '2.5' } });
    expect(m.status).toBe('ACTIVE');
    const again = await api('POST', `${base}/test-runs`, { name: 'build 3', milestone: '2.5', createMilestone: true });
    expect(again.status).toBe(201);
    expect(again.body.milestoneId).toBe(m.id);
    expect(await h.t.prisma.milestone.count({ where: { name: '2.5' } })).toBe(1);
  });

  it('an existing milestone is found by name in any case without createMilestone', async () => {
    const r = await api('POST', `${base}/test-runs`, { name: 'build 4', milestone: '2.4.0' });
    expect(r.status).toBe(201);
    expect(r.body.milestone).toBe('2.4.0');
  });

  it('createMilestone must be a boolean', async () => {
    const r = await api('POST', `${base}/test-runs`, { name: 'build 5', milestone: '9', createMilestone: 'yes' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/createMilestone/);
  });
});
