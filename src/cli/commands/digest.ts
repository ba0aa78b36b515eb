// `shipgate digest`: the readiness of one or all active milestones of a
// project, as readable terminal text (the same verdicts Slack shows).
import pLimit from 'p-limit';
import type { Command } from 'commander';
import { segment } from '../api-client.js';
import { formatDigest, type ReadinessAnswer } from '../format-readiness.js';
import { withApi } from '../with-api.js';

// Enough parallel readiness requests to be quick over many milestones without flooding the server.
const PARALLEL = 4;

export function registerDigest(program: Command): void {
  program
    .command('digest')
    .description("Print the go/no-go digest of a project's active milestones (or one milestone) as text.")
    .requiredOption('--project <KEY>', 'project key, e.g. PAY')
    .option('--milestone <name>', 'only this milestone (name or id)')
    .addHelpText('after', '\nUses SHIPGATE_URL and SHIPGATE_API_KEY.')
    .action(async (opts: { project: string; milestone?: string }) => {
      await withApi(async (api) => {
        const base = `/api/projects/${segment(opts.project)}`;
        let ids: string[];
        if (opts.milestone) ids = [opts.milestone];
        else {
          const list = await api.request<{ milestones: { id: string }[] }>('GET', `${base}/milestones?status=ACTIVE`);
          ids = list.milestones.map((m) => m.id);
        }
        const answers = await pLimit(PARALLEL).map(ids, (id) =>
          api.request<ReadinessAnswer>('GET', `${base}/milestones/${segment(id)}/readiness`),
        );
        process.stdout.write(formatDigest(opts.project.toUpperCase(), answers, new Date()) + '\n');
        return 0;
      });
    });
}
