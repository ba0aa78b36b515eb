// `shipgate report`: uploads JUnit XML or CTRF JSON files (told apart by content) to a run of a milestone through the
// REST API, streaming each file. The run is opened with an externalId (given,
// or derived from the CI build) so re-running the step reuses the same run.
// Exit 0 when every file was stored, 1 when any upload failed or nothing
// matched, 2 on setup errors (missing SHIPGATE_URL/SHIPGATE_API_KEY).
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { ApiError, segment, type ApiClient } from '../api-client.js';
import { detectCi, reportExternalId, reportRunName } from '../ci-environment.js';
import { expandFiles } from '../expand-files.js';
import { detectReportFormat } from '../report-format.js';
import { uploadProgress } from '../upload-progress.js';
import { withApi } from '../with-api.js';
import type { IngestCounts } from '../../services/ingest-results.js';

interface ReportOptions {
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
type Counts = Pick<IngestCounts, 'total' | 'passed' | 'failed' | 'skipped' | 'blocked' | 'flaky'>;

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

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Upload JUnit XML or CTRF JSON files (paths or globs; told apart by content) as the results of a test run of a milestone.')
    .argument('<files...>', 'JUnit XML or CTRF JSON files or globs, e.g. "reports/**/*.xml" "ctrf/*.json" (quote globs)')
    .requiredOption('--project <KEY>', 'project key, e.g. PAY')
    .requiredOption('--milestone <name>', 'milestone name; it must exist unless --create-milestone is given')
    .option('--create-milestone', 'create the milestone (ACTIVE) when it does not exist yet; without it a typo is refused')
    .option('--env <name>', 'environment the tests ran against, e.g. staging')
    .option('--run <name>', 'run name (default: the CI build, or milestone, environment and time)')
    .option('--external-id <id>', 'idempotency key for the run (default: derived from the CI build, so a re-run step reuses the run)')
    .option('--url <url>', 'link to the CI build (default: derived from the CI environment)')
    .option('--complete', 'mark the run COMPLETED after every file was uploaded')
    .addHelpText(
      'after',
      '\nUses SHIPGATE_URL and SHIPGATE_API_KEY.\nExample: shipgate report "build/test-results/**/*.xml" --project PAY --milestone 2.4 --env staging --complete',
    )
    .action(async (patterns: string[], opts: ReportOptions) => {
      await withApi((api) => report(api, patterns, opts), 1);
    });
}

async function report(api: ApiClient, patterns: string[], opts: ReportOptions): Promise<number> {
  const files = await expandFiles(patterns);
  if (!files.length) {
    process.stderr.write(
      `shipgate: no files match ${patterns.map((p) => `"${p}"`).join(', ')} (from ${process.cwd()}); nothing was uploaded\n`,
    );
    return 1;
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
        throw new ApiError(
          `${err.message}\nshipgate: to create milestone "${opts.milestone}", run again with --create-milestone.`,
          404,
          err.code,
        );
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
  process.stdout.write(`${summaryHead(opts, files.length, succeeded, failures, total)} → run ${run.id}${ending}\n`);
  return failures.length ? 1 : 0;
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
