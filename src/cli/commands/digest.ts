// `shipgate digest`: the readiness of one or all active milestones of a
// project, as readable terminal text (the same verdicts Slack shows).
import pLimit from 'p-limit';
import type { Command } from 'commander';
import { segment } from '../api-client.js';
import { formatDigest, SHOWN } from '../format-readiness.js';
import { markdownDigest } from '../format-markdown.js';
import { loadMilestoneReport } from '../milestone-report.js';
import { formatOption, type OutputFormat } from '../output-format.js';
import { withApi } from '../with-api.js';
import { sinceOption } from '../since-option.js';

// Enough parallel readiness requests to be quick over many milestones without flooding the server.
const PARALLEL = 4;

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description(
      "Print the go/no-go digest of a project's active milestones (or one milestone): verdicts, blockers and the first failing tests.",
    )
    .requiredOption('--project <KEY>', 'project key, e.g. PAY')
    .option('--milestone <name>', 'only this milestone (name or id)')
    .addOption(formatOption())
    .addOption(sinceOption())
    .addHelpText('after', '\nUses SHIPGATE_URL and SHIPGATE_API_KEY.')
    .action(async (opts: { project: string; milestone?: string; format: OutputFormat; since?: Date }) => {
      await withApi(async (api) => {
        const base = `/api/projects/${segment(opts.project)}`;
        let ids: string[];
        if (opts.milestone) ids = [opts.milestone];
        else {
          const list = await api.request<{ milestones: { id: string }[] }>('GET', `${base}/milestones?status=ACTIVE`);
          ids = list.milestones.map((m) => m.id);
        }
        const failing = opts.format === 'json' ? 'all' : SHOWN.digest;
        const reports = await pLimit(PARALLEL).map(ids, (id) => loadMilestoneReport(api, opts.project, id, { failing, since: opts.since }));
        const project = opts.project.toUpperCase();
        const now = new Date();
        const out =
          opts.format === 'json'
            ? JSON.stringify({ project, generatedAt: now.toISOString(), milestones: reports }, null, 2)
            : opts.format === 'markdown'
              ? markdownDigest(project, reports, now)
              : formatDigest(project, reports, now);
        process.stdout.write(out + '\n');
        return 0;
      });
    });
}
