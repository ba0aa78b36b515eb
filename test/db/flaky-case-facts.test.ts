// The flakiness fact readiness reads (FLAKY_TESTS): how many of a milestone's
// pairs are kept flaky, and the worst few named in the index's order (highest
// flip rate, then most flips, then case id and environment, both descending),
// ties included; other milestones' pairs are left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedProject } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { loadFlakyCaseFacts } from '../../src/db/flaky-case-facts.js';

let t: TestDatabase;
let projectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  projectId = (await seedProject(t, 'FLAKYF', { teamId: 'TFLAKYF', name: 'Flaky facts' })).project.id;
});
afterAll(async () => t.cleanup());

describe(`loadFlakyCaseFacts (${testProvider()})`, () => {
  it('counts the kept pairs and names the worst five in the index order, ties broken by case and environment', async () => {
    const milestone = await t.prisma.milestone.create({ data: { projectId, name: 'flaky', nameKey: 'flaky' } });
    const other = await t.prisma.milestone.create({ data: { projectId, name: 'other', nameKey: 'other' } });
    const ids = ['case-a', 'case-b', 'case-c', 'case-d'];
    for (const id of ids) await t.prisma.testCase.create({ data: { id, projectId, key: `key::${id}`, title: `Title ${id}` } });
    // [case, environment, flips, flipRate]: ties on the rate, on the flips, and on the case.
    const pairs: [string, string, number, number][] = [
      ['case-a', 'qa', 2, 0.5],
      ['case-b', 'qa', 4, 0.5],
      ['case-c', 'qa', 4, 0.5],
      ['case-c', 'staging', 4, 0.5],
      ['case-d', 'qa', 1, 0.25],
      ['case-a', 'staging', 6, 0.75],
      ['case-b', 'staging', 1, 0.1],
    ];
    await t.prisma.flakyCase.createMany({
      data: pairs.map(([caseId, environment, flips, flipRate]) => ({
        milestoneId: milestone.id,
        caseId,
        environment,
        results: 8,
        flips,
        flipRate,
        retried: 0,
      })),
    });
    await t.prisma.flakyCase.create({
      data: { milestoneId: other.id, caseId: 'case-d', environment: 'qa', results: 8, flips: 7, flipRate: 1, retried: 0 },
    });

    const facts = await loadFlakyCaseFacts(t.db, milestone.id);
    expect(facts.count).toBe(7);
    expect(facts.sample.map((s) => [s.key, s.environment, s.flips, s.flipRate, s.results, s.title])).toEqual([
      ['key::case-a', 'staging', 6, 0.75, 8, 'Title case-a'],
      ['key::case-c', 'staging', 4, 0.5, 8, 'Title case-c'],
      ['key::case-c', 'qa', 4, 0.5, 8, 'Title case-c'],
      ['key::case-b', 'qa', 4, 0.5, 8, 'Title case-b'],
      ['key::case-a', 'qa', 2, 0.5, 8, 'Title case-a'],
    ]);
    expect(
      await loadFlakyCaseFacts(t.db, (await t.prisma.milestone.create({ data: { projectId, name: 'none', nameKey: 'none' } })).id),
    ).toEqual({
      count: 0,
      sample: [],
    });
  });
});
