// Test runs and the results posted to them (JSON or JUnit XML).
import { caseKey } from '../../junit/index.js';
import { ingestCtrf } from '../../services/ingest-ctrf.js';
import { ingestJUnit } from '../../services/ingest-junit.js';
import { ingestResults } from '../../services/ingest-results.js';
import { openTestRun } from '../../services/open-test-run.js';
import { getTestRun, updateTestRun } from '../../services/update-test-run.js';
import { runChangeNeedingAdmin } from '../../domain/gate-moving-changes.js';
import { RUN_MILESTONE_HINTS } from '../lookup-hints.js';
import { ResultsInput, RunInput, RunPatch } from '../schemas.js';
import { CTRF_STREAM, JUNIT_STREAM, route } from '../route-table.js';

type RunRow = Awaited<ReturnType<typeof getTestRun>>;

export function runView(run: RunRow) {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    source: run.source,
    milestoneId: run.milestoneId,
    milestone: run.milestone?.name ?? null,
    environment: run.environment?.name ?? null,
    externalId: run.externalId,
    url: run.url,
    startedAt: run.startedAt.toISOString(),
    completedAt: run.completedAt?.toISOString() ?? null,
    results: run._count.results,
  };
}

export const testRunRoutes = [
  route({
    method: 'post',
    path: '/test-runs',
    scope: 'report',
    summary: 'Open a test run (idempotent by externalId)',
    body: RunInput,
    example: {
      name: 'build 17',
      milestone: 'Release 2.4',
      createMilestone: true,
      environment: 'staging',
      externalId: 'gh-17',
      url: 'https://ci.example.com/17',
    },
    responses: {
      201: 'The new run',
      200: 'The existing run with this externalId',
      404: 'No such milestone (and createMilestone was not true): the message and details name the close matches',
    },
    handler: async ({ deps, project, body, actor }) => {
      const { run, created } = await openTestRun(deps, {
        ...body,
        projectId: project.id,
        source: 'CI',
        hints: RUN_MILESTONE_HINTS,
        actor,
      });
      return { status: created ? 201 : 200, body: runView(await getTestRun(deps, { projectId: project.id, runId: run.id })) };
    },
  }),
  route({
    method: 'get',
    path: '/test-runs/{runId}',
    scope: 'read',
    summary: 'Read a test run',
    responses: { 200: 'The run' },
    handler: async ({ deps, project, params }) => ({
      status: 200,
      body: runView(await getTestRun(deps, { projectId: project.id, runId: params.runId! })),
    }),
  }),
  route({
    method: 'patch',
    path: '/test-runs/{runId}',
    scope: 'report',
    summary: 'Complete or abort a test run',
    body: RunPatch,
    example: { status: 'COMPLETED' },
    responses: { 200: 'The run', 409: 'The run was aborted: an aborted run stays aborted; open a new one' },
    handler: async ({ deps, project, params, body, requireScope, actor }) => {
      const run = await getTestRun(deps, { projectId: project.id, runId: params.runId! });
      const gateMoving = runChangeNeedingAdmin(body.status, run._count.results);
      if (gateMoving) requireScope('admin', gateMoving);
      return {
        status: 200,
        body: runView(await updateTestRun(deps, { projectId: project.id, runId: params.runId!, status: body.status, actor })),
      };
    },
  }),
  route({
    method: 'post',
    path: '/test-runs/{runId}/results',
    scope: 'report',
    summary: 'Post results (a batch is stored whole or not at all; re-posting is idempotent)',
    body: ResultsInput,
    example: {
      results: [
        { key: 'checkout::pay', title: 'pays by card', suite: 'checkout', status: 'PASSED', durationMs: 812 },
        { title: 'logs in', suite: 'auth', status: 'FAILED', message: '401', critical: true },
      ],
    },
    responses: {
      200: '{ run, counts }',
      409: 'The run was aborted, or its milestone is completed or archived: nothing was stored; the message says what to do',
    },
    handler: async ({ deps, project, params, body }) => {
      const results = body.results.map((r) => ({
        key: r.key ?? caseKey(r.suite ?? null, r.title),
        title: r.title,
        suite: r.suite ?? null,
        status: r.status,
        durationMs: r.durationMs ?? null,
        message: r.message ?? null,
        attempts: r.attempts ?? 1,
        flaky: r.flaky ?? false,
        critical: r.critical ?? false,
      }));
      const out = await ingestResults(deps, { projectId: project.id, runId: params.runId!, results });
      return { status: 200, body: { run: runView(out.run), counts: out.counts } };
    },
  }),
  route({
    method: 'post',
    path: '/test-runs/{runId}/junit',
    scope: 'report',
    summary: 'Upload a JUnit XML report in UTF-8 (streamed, optionally gzip-compressed; stored whole or not at all)',
    stream: { types: ['application/xml', 'text/xml'], limit: JUNIT_STREAM },
    responses: {
      200: '{ run, counts }',
      409: 'The run was aborted, or its milestone is completed or archived: nothing was stored; the message says what to do',
      400: 'Malformed XML, a DTD or entities, bytes that are not UTF-8 or do not decompress, a name or key over 2000 bytes',
      413: 'Over MAX_JUNIT_BYTES (counted after decompression)',
      415: 'Not XML, or a Content-Encoding other than gzip, deflate or br',
    },
    handler: async ({ deps, project, params, stream }) => {
      const started = Date.now();
      deps.logger.info({ project: project.key, runId: params.runId }, 'JUnit upload: receiving');
      // The run comes from the transaction that stored the results: once they are committed, the answer is 200.
      const out = await ingestJUnit(deps, { projectId: project.id, runId: params.runId!, body: stream });
      deps.logger.info(
        { project: project.key, runId: out.run.id, results: out.counts.total, ms: Date.now() - started },
        'JUnit upload: stored',
      );
      return { status: 200, body: { run: runView(out.run), counts: out.counts } };
    },
  }),
  route({
    method: 'post',
    path: '/test-runs/{runId}/ctrf',
    scope: 'report',
    summary:
      'Upload a CTRF JSON report (reportFormat "CTRF"; read whole up to MAX_CTRF_BYTES, optionally gzip-compressed; stored whole or not at all)',
    stream: { types: ['application/json'], limit: CTRF_STREAM },
    responses: {
      200: '{ run, counts }',
      409: 'The run was aborted, or its milestone is completed or archived: nothing was stored; the message says what to do',
      400: 'Not JSON, not UTF-8, or not a CTRF report: the message names the field (e.g. results.tests[3].status)',
      413: 'Over MAX_CTRF_BYTES (counted after decompression)',
      415: 'Not application/json, or a Content-Encoding other than gzip, deflate or br',
    },
    handler: async ({ deps, project, params, stream }) => {
      const out = await ingestCtrf(deps, { projectId: project.id, runId: params.runId!, body: stream });
      deps.logger.info({ project: project.key, runId: out.run.id, results: out.counts.total }, 'CTRF upload: stored');
      return { status: 200, body: { run: runView(out.run), counts: out.counts } };
    },
  }),
];
