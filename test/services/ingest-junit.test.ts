// JUnit ingestion against a real database: real producers' files with exact
// counts, and every refusal (malformed near the end, entity bombs, XXE, over
// the size limit) storing nothing.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { ingestJUnit } from '../../src/services/ingest-junit.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { fixturePath } from '../helpers/fixtures.js';
import { seedProjectWithRun } from '../helpers/factories.js';
import { stored } from './stored-counts.js';

const fixtures = fixturePath('junit');
const testmo = fixturePath('junit-testmo');

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.cleanup());

function bigReport(cases: number, tail = '</testsuite></testsuites>'): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="bulk">'];
  for (let i = 0; i < cases; i++) {
    parts.push(
      i % 50 === 0
        ? `<testcase classname="bulk.Spec" name="case ${i}"><failure message="boom ${i}"/></testcase>`
        : `<testcase classname="bulk.Spec" name="case ${i}" time="0.01"/>`,
    );
  }
  parts.push(tail);
  return parts.join('\n');
}

async function refusal(body: AsyncIterable<Buffer | string>, maxBytes?: number) {
  const { project, run } = await seedProjectWithRun(t);
  const err = await ingestJUnit(t, { projectId: project.id, runId: run.id, body, maxBytes }).catch((e) => e);
  return { err, after: await stored(t.prisma, project.id, run.id) };
}

describe('ingestJUnit', () => {
  it.each([
    ['pytest.xml', { total: 6, passed: 3, failed: 2, skipped: 1, blocked: 0, flaky: 0, critical: 1 }],
    ['vitest.xml', { total: 5, passed: 3, failed: 1, skipped: 1, blocked: 0, flaky: 0, critical: 1 }],
    ['surefire-flaky.xml', { total: 4, passed: 3, failed: 1, skipped: 0, blocked: 0, flaky: 2, critical: 0 }],
    ['nested-suites.xml', { total: 5, passed: 3, failed: 1, skipped: 1, blocked: 0, flaky: 0, critical: 1 }],
  ])('stores %s with its exact counts', async (name, expected) => {
    const { project, run } = await seedProjectWithRun(t);
    const out = await ingestJUnit(t, { projectId: project.id, runId: run.id, body: createReadStream(join(fixtures, name)) });
    expect(out.counts).toMatchObject({ ...expected, casesCreated: expected.total, resultsChanged: expected.total });
    expect(await stored(t.prisma, project.id, run.id)).toEqual({ cases: expected.total, results: expected.total });
    const byStatus = await t.prisma.testResult.groupBy({ by: ['status'], where: { runId: run.id }, _count: { _all: true } });
    const got = Object.fromEntries(byStatus.map((g) => [g.status, g._count._all]));
    expect(got.PASSED ?? 0).toBe(expected.passed);
    expect(got.FAILED ?? 0).toBe(expected.failed);
    expect(await t.prisma.testCase.count({ where: { projectId: project.id, critical: true } })).toBe(expected.critical);
    expect(await t.prisma.testResult.count({ where: { runId: run.id, flaky: true } })).toBe(expected.flaky);
  });

  it.each([
    ['junit-basic.xml', 9],
    ['junit-complete.xml', 8],
  ])('stores the Testmo reference %s', async (name, total) => {
    const { project, run } = await seedProjectWithRun(t);
    const out = await ingestJUnit(t, { projectId: project.id, runId: run.id, body: createReadStream(join(testmo, name)) });
    expect(out.counts.total).toBe(total);
    expect((await stored(t.prisma, project.id, run.id)).results).toBe(total);
  });

  it('re-uploading the same file changes nothing', async () => {
    const { project, run } = await seedProjectWithRun(t);
    const body = () => createReadStream(join(fixtures, 'pytest.xml'));
    await ingestJUnit(t, { projectId: project.id, runId: run.id, body: body() });
    const before = await t.prisma.testResult.findMany({ where: { runId: run.id }, orderBy: { id: 'asc' } });
    const again = await ingestJUnit(t, { projectId: project.id, runId: run.id, body: body() });
    expect(again.counts).toMatchObject({ total: 6, casesCreated: 0, resultsChanged: 0 });
    expect(await t.prisma.testResult.findMany({ where: { runId: run.id }, orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('streams a file of several batches into one transaction', async () => {
    const { project, run } = await seedProjectWithRun(t);
    const xml = bigReport(3500);
    // Small chunks, as a socket would deliver them.
    const chunks = Readable.from(
      Buffer.from(xml)
        .toString('utf8')
        .match(/[\s\S]{1,4096}/g)!,
    );
    const out = await ingestJUnit(t, { projectId: project.id, runId: run.id, body: chunks });
    expect(out.counts).toMatchObject({ total: 3500, failed: 70, passed: 3430, casesCreated: 3500 });
    expect(await stored(t.prisma, project.id, run.id)).toEqual({ cases: 3500, results: 3500 });
  });

  it('stores nothing when the XML breaks near the end, after batches were written', async () => {
    const { err, after } = await refusal(Readable.from([bigReport(2500, '</testsuite><testcase name="x"></testsuites>')]));
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toMatch(/nothing was stored/);
    expect(err.details.line).toBeGreaterThan(2500);
    expect(after).toEqual({ cases: 0, results: 0 });
  });

  it.each(['billion-laughs.xml', 'xxe.xml', 'malformed.xml', 'not-xml.json', 'wrong-root.xml'])(
    'refuses hostile/%s and stores nothing',
    async (name) => {
      const { err, after } = await refusal(createReadStream(join(fixtures, 'hostile', name)));
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(after).toEqual({ cases: 0, results: 0 });
    },
  );

  it('refuses an empty body', async () => {
    const { err, after } = await refusal(Readable.from([]));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toMatch(/empty/);
    expect(after).toEqual({ cases: 0, results: 0 });
  });

  it('stops at the size limit while streaming and stores nothing', async () => {
    const xml = bigReport(3000);
    const { err, after } = await refusal(Readable.from(xml.match(/[\s\S]{1,8192}/g)!), Buffer.byteLength(xml) - 100);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
    expect(after).toEqual({ cases: 0, results: 0 });
  });

  it('takes the limit from the configuration', async () => {
    const { project, run } = await seedProjectWithRun(t);
    const deps = { ...t, config: { limits: { maxBodyBytes: 1024, maxJUnitBytes: 2048, maxCtrfBytes: 2048 } } };
    const err = await ingestJUnit(deps, { projectId: project.id, runId: run.id, body: Readable.from([bigReport(200)]) }).catch((e) => e);
    expect(err.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored(t.prisma, project.id, run.id)).toEqual({ cases: 0, results: 0 });
  });
});
