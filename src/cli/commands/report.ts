// `shipgate report`: uploads JUnit XML or CTRF JSON files (told apart by content) to a run of a milestone
// (src/cli/upload-reports.ts does the work). Exit 0 when every file was stored, 1 when any upload failed
// or nothing matched, 2 on setup errors (missing SHIPGATE_URL/SHIPGATE_API_KEY).
import type { Command } from 'commander';
import { uploadReports, type ReportOptions } from '../upload-reports.js';
import { withApi } from '../with-api.js';

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
      await withApi(async (api) => (await uploadReports(api, patterns, opts)).exitCode, 1);
    });
}
