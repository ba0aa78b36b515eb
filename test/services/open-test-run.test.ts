// openTestRun under concurrency: parallel CI shards that name one new environment,
// or retry with one externalId, must all succeed and share one row (on PostgreSQL
// concurrent upserts on a unique key raised P2002 and the API answered 500).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestRun } from '../../src/services/open-test-run.js';
import { seedProject, TEST_OPERATOR } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';

const SHARDS = 10;
const ROUNDS = 5;

/** Each call's outcome, so a failure names what was thrown instead of stopping at the first. */
async function settle<T>(calls: Array<Promise<T>>) {
  const outcomes = await Promise.allSettled(calls);
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as Error)?.message ?? o.reason)] : []));
  const values = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  return { values, failures };
}

describe('openTestRun under concurrency', () => {
  let t: TestDatabase;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    projectId = (await seedProject(t, 'RACE')).project.id;
  });
  afterAll(async () => t.cleanup());

  it('parallel shards naming one new environment all open runs, and one environment row exists', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const environment = `staging-${round}`;
      const { values, failures } = await settle(
        Array.from({ length: SHARDS }, (_, i) =>
          openTestRun(t, {
            projectId,
            name: `shard ${i}`,
            environment,
            externalId: `env-${round}-${i}`,
            source: 'CI',
            actor: TEST_OPERATOR,
          }),
        ),
      );
      expect(failures, `round ${round}`).toEqual([]);
      const envs = await t.prisma.environment.findMany({ where: { projectId, name: environment } });
      expect(envs).toHaveLength(1);
      expect(Math.abs(envs[0]!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(new Set(values.map((v) => v.run.environmentId))).toEqual(new Set([envs[0]!.id]));
      expect(values.every((v) => v.created)).toBe(true);
    }
  });

  it('an environment named with spaces around it is the same environment', async () => {
    const a = await openTestRun(t, { projectId, name: 'a', environment: ' qa ', source: 'CI', actor: TEST_OPERATOR });
    const b = await openTestRun(t, { projectId, name: 'b', environment: 'qa', source: 'CI', actor: TEST_OPERATOR });
    expect(a.run.environmentId).toBe(b.run.environmentId);
    expect(await t.prisma.environment.count({ where: { projectId, name: 'qa' } })).toBe(1);
  });

  it('parallel calls with one externalId all succeed and give back the same run', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const externalId = `build-${round}`;
      const { values, failures } = await settle(
        Array.from({ length: SHARDS }, (_, i) =>
          openTestRun(t, { projectId, name: `CI ${i}`, externalId, source: 'CI', actor: TEST_OPERATOR }),
        ),
      );
      expect(failures, `round ${round}`).toEqual([]);
      const runs = await t.prisma.testRun.findMany({ where: { projectId, externalId } });
      expect(runs).toHaveLength(1);
      expect(new Set(values.map((v) => v.run.id))).toEqual(new Set([runs[0]!.id]));
      expect(values.filter((v) => v.created)).toHaveLength(1);
    }
  });

  it('a retried request (one externalId, a new environment and milestone) answers every caller with one run', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const externalId = `retry-${round}`;
      const { values, failures } = await settle(
        Array.from({ length: SHARDS }, () =>
          openTestRun(t, {
            projectId,
            name: 'CI',
            environment: `fresh-${round}`,
            milestone: `m-${round}`,
            createMilestone: true,
            externalId,
            source: 'CI',
            actor: TEST_OPERATOR,
          }),
        ),
      );
      expect(failures, `round ${round}`).toEqual([]);
      const runs = await t.prisma.testRun.findMany({ where: { projectId, externalId } });
      expect(runs).toHaveLength(1);
      expect(new Set(values.map((v) => v.run.id))).toEqual(new Set([runs[0]!.id]));
      expect(await t.prisma.environment.count({ where: { projectId, name: `fresh-${round}` } })).toBe(1);
      expect(await t.prisma.milestone.count({ where: { projectId, name: `m-${round}` } })).toBe(1);
    }
  });
});
