// `shipgate check`: a deploy gate. Prints the verdict and its reasons; exit 0
// when the verdict is allowed (GO always is), 1 when not, 2 on any error.
import type { Command } from 'commander';
import { VERDICTS, type Verdict } from '../../domain/types.js';
import { isShippable } from '../../domain/readiness.js';
import { segment } from '../api-client.js';
import { formatCheck, type ReadinessAnswer } from '../format-readiness.js';
import { UsageError, withApi } from '../with-api.js';

export function parseAllow(values: readonly string[]): Verdict[] {
  const out: Verdict[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const v = raw.trim().toUpperCase().replace(/-/g, '_');
    if (!v) continue;
    if (!(VERDICTS as readonly string[]).includes(v)) {
      throw new UsageError(`--allow ${raw.trim()} is not a verdict; use one or more of ${VERDICTS.join(', ')}`);
    }
    out.push(v as Verdict);
  }
  return out;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Print the verdict of a milestone and its reasons; exit 0 when allowed (GO always is), 1 when not, 2 on error.')
    .requiredOption('--project <KEY>', 'project key, e.g. PAY')
    .requiredOption('--milestone <name>', 'milestone name or id, e.g. 2.4')
    .option(
      '--allow <verdict>',
      'also accept this verdict (GO_WITH_RISKS, INSUFFICIENT_EVIDENCE, NO_GO); repeat or comma-separate',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .addHelpText(
      'after',
      '\nUses SHIPGATE_URL and SHIPGATE_API_KEY.\nExample: shipgate check --project PAY --milestone 2.4 --allow GO_WITH_RISKS && ./deploy.sh',
    )
    .action(async (opts: { project: string; milestone: string; allow: string[] }) => {
      await withApi(async (api) => {
        const allow = parseAllow(opts.allow);
        const r = await api.request<ReadinessAnswer>(
          'GET',
          `/api/projects/${segment(opts.project)}/milestones/${segment(opts.milestone)}/readiness`,
        );
        const allowed = isShippable(r.verdict, allow);
        process.stdout.write(formatCheck(r, allowed) + '\n');
        return allowed ? 0 : 1;
      });
    });
}
