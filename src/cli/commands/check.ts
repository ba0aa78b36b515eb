// `shipgate check`: a deploy gate. Prints the verdict and its reasons; exit 0
// when the verdict is allowed (GO always is), 1 when not, 2 on any error.
import type { Command } from 'commander';
import { isShippable } from '../../domain/readiness.js';
import { formatCheck, SHOWN } from '../format-readiness.js';
import { markdownCheck } from '../format-markdown.js';
import { loadMilestoneReport } from '../milestone-report.js';
import { formatOption, type OutputFormat } from '../output-format.js';
import { parseAllow } from '../check-milestone.js';
import { withApi } from '../with-api.js';
import { sinceOption } from '../since-option.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'Print the verdict of a milestone, its reasons, blocking defects and failing tests; exit 0 when allowed (GO always is), 1 when not, 2 on error.',
    )
    .requiredOption('--project <KEY>', 'project key, e.g. PAY')
    .requiredOption('--milestone <name>', 'milestone name or id, e.g. 2.4')
    .option(
      '--allow <verdict>',
      'also accept this verdict (GO_WITH_RISKS, INSUFFICIENT_EVIDENCE, NO_GO); repeat or comma-separate',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .addOption(formatOption())
    .addOption(sinceOption())
    .addHelpText(
      'after',
      '\nUses SHIPGATE_URL and SHIPGATE_API_KEY.\nExample: shipgate check --project PAY --milestone 2.4 --allow GO_WITH_RISKS && ./deploy.sh' +
        '\nWhat changed since yesterday: shipgate check --project PAY --milestone 2.4 --since 24h' +
        '\nIn a GitHub Actions step: shipgate check --project PAY --milestone 2.4 --format markdown >> "$GITHUB_STEP_SUMMARY"',
    )
    .action(async (opts: { project: string; milestone: string; allow: string[]; format: OutputFormat; since?: Date }) => {
      await withApi(async (api) => {
        const allow = parseAllow(opts.allow);
        const r = await loadMilestoneReport(api, opts.project, opts.milestone, {
          failing: opts.format === 'json' ? 'all' : SHOWN.check,
          since: opts.since,
        });
        const allowed = isShippable(r.verdict, allow);
        const out =
          opts.format === 'json'
            ? JSON.stringify({ ...r, allowed }, null, 2)
            : opts.format === 'markdown'
              ? markdownCheck(r, allowed)
              : formatCheck(r, allowed);
        process.stdout.write(out + '\n');
        return allowed ? 0 : 1;
      });
    });
}
