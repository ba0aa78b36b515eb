// Parallel CI shards over HTTP: ten POST /test-runs at once with one externalId
// (a retried or fanned-out build) naming a milestone and an environment that do
// not exist yet. Each answer is 201 or 200 with the same run, never a 500; one
// run, one milestone and one environment exist after each round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { seedProjectWithApiKey } from '../helpers/factories.js';

const SHARDS = 10;
const ROUNDS = 10;

describe('parallel POST /test-runs with one externalId', () => {
  let h: ApiHarness;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    h = await startApi();
    api = client(h.url, (await seedProjectWithApiKey(h.t, 'SHARD')).apiKey);
  });
  afterAll(async () => h.close());

  it('every shard is answered with the one run, in every round', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const body = {
        name: `build ${round}`,
        milestone: `release ${round}`,
        createMilestone: true,
        environment: `env ${round}`,
        externalId: `gh-${round}`,
      };
      const answers = await Promise.all(Array.from({ length: SHARDS }, () => api('POST', '/api/projects/SHARD/test-runs', body)));
      const statuses = answers.map((a) => a.status).sort();
      expect(
        statuses.filter((s) => s === 201),
        `round ${round}: ${statuses.join(',')}`,
      ).toHaveLength(1);
      expect(
        statuses.filter((s) => s === 200),
        `round ${round}: ${statuses.join(',')}`,
      ).toHaveLength(SHARDS - 1);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await h.t.prisma.testRun.count({ where: { externalId: `gh-${round}` } })).toBe(1);
      expect(await h.t.prisma.milestone.count({ where: { name: `release ${round}` } })).toBe(1);
      expect(await h.t.prisma.environment.count({ where: { name: `env ${round}` } })).toBe(1);
    }
  });
});
