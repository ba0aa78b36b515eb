// Uploads JUnit XML or CTRF JSON files (told apart by content) to a run of a milestone through the REST
// API, streaming each file: what `shipgate report` and the GitHub Action (src/cli/github-action.ts) do.
// The run is opened with an externalId (given, or derived from the CI build) so re-running the step
// reuses the same run. No commander, configuration or database here: the Action bundles this file.
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { ApiError, segment, type ApiClient } from './api-client.js';
import { detectCi, reportExternalId, reportRunName } from './ci-environment.js';
import { expandFiles } from './expand-files.js';
import { detectReportFormat } from './report-format.js';
import { uploadProgress } from './upload-progress.js';
import type { IngestCounts } from '../services/ingest-results.js';

export interface ReportOptions {
  project: string;
  milestone: string;
  env?: string;
  run?: string;
  externalId?: string;
  url?: string;
  complete?: boolean;
  createMilestone?: boolean;
}

interface RunAnswer {
  id: string;
  name: string;
  status: string;
  milestone: string | null;
  environment: string | null;
}

// The upload's answer carries the ingestion counts as the server computed them.
export type Counts = Pick<IngestCounts, 'total' | 'passed' | 'failed' | 'skipped' | 'blocked' | 'flaky'>;

const n = (x: number) => x.toLocaleString('en-US');

export function countsText(c: Counts): string {
  return [
    `${n(c.passed)} passed`,
    `${n(c.failed)} failed`,
    `${n(c.skipped)} skipped`,
    c.blocked ? `${n(c.blocked)} blocked` : null,
    c.flaky ? `${n(c.flaky)} flaky` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** How the caller asks for a missing milestone to be created, as the line after the server's 404: the CLI names its flag. */
export type CreateMilestoneHint = (milestone: string) => string;

const CLI_CREATE_MILESTONE_HINT: CreateMilestoneHint = (milestone) =>
  `shipgate: to create milestone "${milestone}", run again with --create-milestone.`;

export interface ReportResult {
  /** 0 when every file was stored, 1 when a file failed or nothing matched. */
  exitCode: number;
  /** The run the files went to; null when nothing matched and no run was opened. */
  runId: string | null;
  /** The one-line summary printed at the end, e.g. "Uploaded 2 files to PAY/2.4 (staging): 5 passed, 1 failed → run …". */
  summary: string;
  files: number;
  stored: number;
  failures: string[];
  total: Counts;
}

/**
 * Opens (or reuses) the run, streams each file to it, then completes it (opts.complete) or aborts a run
 * it opened that got nothing. Progress goes to stderr and the summary to stdout; the same logic serves
 * `shipgate report` and the GitHub Action (which passes its own createMilestoneHint, naming its input).
 */
export async function uploadReports(
  api: ApiClient,
  patterns: string[],
  opts: ReportOptions,
  createMilestoneHint: CreateMilestoneHint = CLI_CREATE_MILESTONE_HINT,
): Promise<ReportResult> {
  const files = await expandFiles(patterns);
  if (!files.length) {
    const summary = `no files match ${patterns.map((p) => `"${p}"`).join(', ')} (from ${process.cwd()}); nothing was uploaded`;
    process.stderr.write(`shipgate: ${summary}\n`);
    const total = { total: 0, passed: 0, failed: 0, skipped: 0, blocked: 0, flaky: 0 };
    return { exitCode: 1, runId: null, summary, files: 0, stored: 0, failures: [], total };
  }
  const ci = detectCi(process.env);
  const base = `/api/projects/${segment(opts.project)}`;
  const opened = await api
    .requestWithStatus<RunAnswer>('POST', `${base}/test-runs`, {
      name: reportRunName(opts.run, ci, opts.milestone, opts.env, new Date()),
      milestone: opts.milestone,
      ...(opts.createMilestone ? { createMilestone: true } : {}),
      ...(opts.env ? { environment: opts.env } : {}),
      ...(() => {
        const externalId = reportExternalId(opts.externalId, ci, opts.milestone, opts.env);
        return externalId ? { externalId } : {};
      })(),
      ...((opts.url ?? ci?.url) ? { url: opts.url ?? ci!.url } : {}),
    })
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404 && !opts.createMilestone && /milestone/i.test(err.message))
        throw new ApiError(`${err.message}\n${createMilestoneHint(opts.milestone)}`, 404, err.code);
      throw err;
    });
  const run = opened.body;

  const progress = uploadProgress(files.length);
  const total: Counts = { total: 0, passed: 0, failed: 0, skipped: 0, blocked: 0, flaky: 0 };
  const failures: string[] = [];
  let succeeded = 0;
  for (const [i, file] of files.entries()) {
    const name = relative(process.cwd(), file) || file;
    progress.start(i, name, statSync(file).size);
    try {
      const format = await detectReportFormat(file);
      const upload = () =>
        api.uploadFile<{ counts: Counts }>(`${base}/test-runs/${segment(run.id)}/${format.path}`, file, format.contentType, (sent) =>
          progress.bytes(sent),
        );
      // Ingestion is idempotent, so a connection reset (e.g. a pooled socket the
      // server closed after refusing an earlier file) is safe to retry once.
      const out = await upload().catch((err) =>
        err instanceof ApiError && err.status === 0 ? upload() : Promise.reject(err instanceof Error ? err : new Error(String(err))),
      );
      for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += out.counts[k] ?? 0;
      succeeded++;
      progress.done(countsText(out.counts));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      progress.failed(err.message);
      failures.push(name);
      // Without a valid key or run, every further file would fail the same way.
      if ([0, 401, 403, 404].includes(err.status)) break;
    }
  }

  const runPath = `${base}/test-runs/${segment(run.id)}`;
  let ending = '';
  if (opts.complete && !failures.length) {
    await api.request('PATCH', runPath, { status: 'COMPLETED' });
    ending = ' (completed)';
  } else if (succeeded === 0 && (await emptyRunWeOpened(api, runPath, opened.status))) {
    // Nothing stored in a run this report opened: abort it rather than leave an empty run in progress.
    await api.request('PATCH', runPath, { status: 'ABORTED' });
    ending = ' aborted: no file was stored';
  } else if (opts.complete) {
    ending = ' (left in progress because an upload failed)';
  }
  const summary = `${summaryHead(opts, files.length, succeeded, failures, total)} → run ${run.id}${ending}`;
  process.stdout.write(`${summary}\n`);
  return { exitCode: failures.length ? 1 : 0, runId: run.id, summary, files: files.length, stored: succeeded, failures, total };
}

/** True when the run was opened by this report (201) and still has no results (no other shard wrote to it). */
async function emptyRunWeOpened(api: ApiClient, runPath: string, openedStatus: number): Promise<boolean> {
  if (openedStatus !== 201) return false;
  const now = await api.request<{ results: number; status: string }>('GET', runPath);
  return now.results === 0 && now.status === 'IN_PROGRESS';
}

/** The summary's head: the counts belong to the files that were stored, never to the ones that failed. */
export function summaryHead(
  opts: Pick<ReportOptions, 'project' | 'milestone' | 'env'>,
  files: number,
  stored: number,
  failures: string[],
  total: Counts,
): string {
  const where = `${opts.project}/${opts.milestone}${opts.env ? ` (${opts.env})` : ''}`;
  const plural = files === 1 ? '' : 's';
  if (!failures.length) return `Uploaded ${files} file${plural} to ${where}: ${countsText(total)}`;
  const notTried = files - stored - failures.length;
  return [
    `Uploaded ${stored} of ${files} file${plural} to ${where}${stored ? `: ${countsText(total)}` : ''}`,
    `FAILED: ${failures.join(', ')}`,
    notTried > 0 ? `${notTried} not tried` : null,
  ]
    .filter(Boolean)
    .join('; ');
}
