// A test run's status over the REST API: an aborted run is final.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';
import { testProvider } from '../helpers/test-database.js';

describe(`run lifecycle over the REST API (${testProvider()})`, () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  const base = '/api/projects/PAY';

  beforeAll(async () => {
    h = await startApi();
    const { apiKey } = await seedProjectWithApiKey(h.t, 'PAY');
    api = client(h.url, apiKey);
  });
  afterAll(async () => h.close());

  it.each(['IN_PROGRESS', 'COMPLETED'])('an aborted run cannot be PATCHed back to %s (409) and still refuses results', async (status) => {
    const run = await api('POST', `${base}/test-runs`, { name: `gone ${status}`, milestone: '2.4', createMilestone: true });
    expect((await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'ABORTED' })).status).toBe(200);
    const back = await api('PATCH', `${base}/test-runs/${run.body.id}`, { status });
    expect(back.status).toBe(409);
    expect(back.body.error).toMatchObject({
      code: 'CONFLICT',
      message: `Test run "gone ${status}" was aborted; it stays aborted. Open a new run (POST /api/projects/PAY/test-runs) for new results.`,
    });
    const read = await api('GET', `${base}/test-runs/${run.body.id}`);
    expect(read.body).toMatchObject({ status: 'ABORTED' });
    const results = await api('POST', `${base}/test-runs/${run.body.id}/results`, { results: [{ title: 'a', status: 'PASSED' }] });
    expect(results.status).toBe(409);
    expect((await api('GET', `${base}/test-runs/${run.body.id}`)).body.results).toBe(0);
  });

  it('aborting an aborted run again answers 200 and changes nothing', async () => {
    const run = await api('POST', `${base}/test-runs`, { name: 'twice', milestone: '2.4', createMilestone: true });
    const first = await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'ABORTED' });
    const again = await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'ABORTED' });
    expect(again.status).toBe(200);
    expect(again.body.completedAt).toBe(first.body.completedAt);
  });

  it('a completed run can still be reopened and completed again', async () => {
    const run = await api('POST', `${base}/test-runs`, { name: 'again', milestone: '2.4', createMilestone: true });
    expect((await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'COMPLETED' })).status).toBe(200);
    const reopened = await api('PATCH', `${base}/test-runs/${run.body.id}`, { status: 'IN_PROGRESS' });
    expect(reopened.body).toMatchObject({ status: 'IN_PROGRESS', completedAt: null });
  });
});
