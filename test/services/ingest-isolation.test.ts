// An upload in progress must not hold the database: other requests' writes are
// never captured by it (and rolled back with it), readers never see its results
// before it is stored, and other transactions and uploads go on meanwhile.
// Each upload's body is held open half-way by the test, the way a slow CI link
// holds it, and released when the test says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { createMilestone } from '../../src/services/create-milestone.js';
import { ingestJUnit } from '../../src/services/ingest-junit.js';
import { ingestResults } from '../../src/services/ingest-results.js';
import { getTestRun, updateTestRun } from '../../src/services/update-test-run.js';
import { resultRows, seedProject, seedRun, TEST_OPERATOR } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { signal, within } from '../helpers/wait.js';

const CASES = 5_000;

function junitHead(cases: number, prefix: string): string {
  const lines = Array.from({ length: cases }, (_, i) => `<testcase classname="${prefix}" name="t${i}" time="0.001"/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="${prefix}">\n${lines.join('\n')}\n`;
}
const GOOD_TAIL = '</testsuite>\n</testsuites>\n';
const MALFORMED_TAIL = '<testcase name="broken"></testsuite>\n</testsuites>\n';

/**
 * A body that sends `cases` test cases, then waits until the test releases it
 * with its tail. `reached` resolves once the server has read everything before
 * the tail (it asked for the next piece), so the cases have gone through the
 * parser and whatever the upload does with them.
 */
function heldBody(cases: number, prefix: string) {
  const reached = signal();
  const release = signal<string>();
  async function* body() {
    yield Buffer.from(junitHead(cases, prefix));
    reached.resolve();
    yield Buffer.from(await release.promise);
  }
  return { body: body(), reached: reached.promise, finish: (tail: string) => release.resolve(tail) };
}

describe('an upload in progress does not hold the database', () => {
  let t: TestDatabase;
  let projectId: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    projectId = (await seedProject(t, 'HOLD')).project.id;
  });
  afterAll(async () => t.cleanup());

  it('a malformed upload rolls back nothing of what others wrote meanwhile, and nobody sees its results before it is stored', async () => {
    const upload = await seedRun(t, { projectId, name: 'slow upload', status: 'IN_PROGRESS' });
    const other = await seedRun(t, { projectId, name: 'other shard', status: 'IN_PROGRESS', passed: 3 });
    const held = heldBody(CASES, 'slow');
    const ingest = ingestJUnit(t, { projectId, runId: upload.id, body: held.body });
    await within(held.reached, 20_000, 'the upload reads the body up to its last part');

    // Acknowledged writes by other requests while the upload streams.
    const milestone = await within(
      createMilestone(t, { projectId, name: 'created meanwhile', actor: TEST_OPERATOR }),
      10_000,
      'creating a milestone',
    );
    await within(
      updateTestRun(t, { projectId, runId: other.id, status: 'COMPLETED', actor: TEST_OPERATOR }),
      10_000,
      'completing another run',
    );
    // A reader while the upload streams.
    const seen = await within(getTestRun(t, { projectId, runId: upload.id }), 10_000, 'reading the uploading run');
    const resultsSeen = await t.prisma.testResult.count({ where: { runId: upload.id } });

    held.finish(MALFORMED_TAIL);
    const err = await ingest.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');

    expect(seen._count.results).toBe(0);
    expect(resultsSeen).toBe(0);
    expect(await t.prisma.milestone.findUnique({ where: { id: milestone.id } })).not.toBeNull();
    expect((await t.prisma.testRun.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('COMPLETED');
    expect(await t.prisma.testResult.count({ where: { runId: upload.id } })).toBe(0);
    expect(await t.prisma.testCase.count({ where: { projectId, key: { startsWith: 'slow::' } } })).toBe(0);
  });

  it('other transactions (a JSON batch of results) are stored while an upload streams, and the upload is stored whole after', async () => {
    const upload = await seedRun(t, { projectId, name: 'slow upload 2', status: 'IN_PROGRESS' });
    const other = await seedRun(t, { projectId, name: 'json shard', status: 'IN_PROGRESS' });
    const held = heldBody(CASES, 'whole');
    const ingest = ingestJUnit(t, { projectId, runId: upload.id, body: held.body });
    await within(held.reached, 20_000, 'the upload reads the body up to its last part');

    const batch = await within(
      ingestResults(t, { projectId, runId: other.id, results: resultRows(20, 1, 'json') }),
      10_000,
      'storing a JSON batch while the upload streams',
    );
    expect(batch.counts.total).toBe(21);

    held.finish(GOOD_TAIL);
    const out = await ingest;
    expect(out.counts.total).toBe(CASES);
    expect(await t.prisma.testResult.count({ where: { runId: upload.id } })).toBe(CASES);
    expect(await t.prisma.testResult.count({ where: { runId: other.id } })).toBe(21);
  });

  it('ten uploads stream at once while other requests read and write', async () => {
    const runs = [];
    for (let i = 0; i < 10; i++) runs.push(await seedRun(t, { projectId, name: `parallel ${i}`, status: 'IN_PROGRESS' }));
    const helds = runs.map((_, i) => heldBody(500, `par${i}`));
    const ingests = runs.map((run, i) => ingestJUnit(t, { projectId, runId: run.id, body: helds[i]!.body }));
    await within(Promise.all(helds.map((h) => h.reached)), 30_000, 'all ten uploads reading their bodies at once');

    const other = await seedRun(t, { projectId, name: 'while ten stream', status: 'IN_PROGRESS' });
    await within(ingestResults(t, { projectId, runId: other.id, results: resultRows(5) }), 10_000, 'a JSON batch beside ten uploads');
    await within(
      createMilestone(t, { projectId, name: 'beside ten uploads', actor: TEST_OPERATOR }),
      10_000,
      'a milestone beside ten uploads',
    );
    expect(await t.prisma.testResult.count({ where: { runId: { in: runs.map((r) => r.id) } } })).toBe(0);

    helds.forEach((h) => h.finish(GOOD_TAIL));
    const outs = await Promise.all(ingests);
    expect(outs.map((o) => o.counts.total)).toEqual(runs.map(() => 500));
    expect(await t.prisma.testResult.count({ where: { runId: { in: runs.map((r) => r.id) } } })).toBe(5_000);
  });
});
