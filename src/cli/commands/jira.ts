// `shipgate jira retry [--project KEY]`: puts Jira work that failed for good
// back in the queue, straight against the database. For causes fixed outside
// Shipgate (a new JIRA_API_TOKEN, a permission granted in Jira); a new project
// mapping retries its project's creations by itself.
import type { Command } from 'commander';
import { retryJiraWork } from '../../services/retry-jira-work.js';
import { withDatabase } from '../run-command.js';
import { withDatabaseOption } from '../database-choice.js';

export function registerJira(program: Command): void {
  const jira = program.command('jira').description('Jira work owed by Shipgate (the outbox).');
  withDatabaseOption(jira.command('retry'))
    .description('Put Jira work that failed for good (401, 403, 404, 400 from Jira) back in the queue, once its cause is fixed.')
    .option('--project <KEY>', "only the work of this project's defects, e.g. PAY")
    .option('--workspace <teamId>', "Slack team id of the project's workspace (needed only when several have the key)")
    .addHelpText('after', '\nThe outbox job of a running Shipgate sends the work within 15 seconds; `shipgate tick outbox` sends it now.')
    .action(async (opts: { project?: string; workspace?: string; database?: string }) => {
      await withDatabase(async (deps) => {
        const { requeued, project } = await retryJiraWork(deps, { projectKey: opts.project, workspace: opts.workspace });
        const scope = project ? ` of project ${project.key}` : '';
        if (requeued === 0) {
          console.log(`No failed Jira work${scope} to retry.`);
          return;
        }
        console.log(`Requeued ${requeued} failed Jira item${requeued === 1 ? '' : 's'}${scope}.`);
        console.log('The outbox job of a running Shipgate sends them within 15 seconds; `shipgate tick outbox` sends them now.');
      }, opts);
    });
}
