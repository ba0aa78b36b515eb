// `shipgate tick <job> [--now ISO-8601]`: one tick of a scheduled job, run by
// hand exactly as the schedule runs it (same claims, so it never sends twice).
import { InvalidArgumentError, type Command } from 'commander';
import { createLogger } from '../../logger.js';
import { LogNotifier } from '../../notify/notifier.js';
import { SlackNotifier } from '../../slack/slack-notifier.js';
import { findJob, JOBS } from '../../jobs/job-table.js';
import { withDatabase } from '../run-command.js';
import { withDatabaseOption } from '../database-choice.js';

const NAMES = JOBS.map((j) => j.name);

function parseNow(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('expected an ISO-8601 date-time such as 2026-11-23T09:00:00Z');
  }
  return date;
}

export function registerTick(program: Command): void {
  withDatabaseOption(
    program
      .command('tick')
      .description(`Run one tick of a scheduled job now, exactly as the schedule would. Jobs: ${NAMES.join(', ')}.`)
      .argument('<job>', `the job: ${NAMES.join(' | ')}`)
      .option('--now <ISO-8601>', 'the moment the tick runs at (default: now)', parseNow),
  ).action(async (name: string, opts: { now?: Date; database?: string }) => {
    const job = findJob(name);
    if (!job) {
      process.stderr.write(`shipgate: unknown job "${name}"; the jobs are: ${NAMES.join(', ')}\n`);
      process.exit(2);
    }
    await withDatabase(async ({ db }, config) => {
      const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
      const notifier = config.slack.mode === 'off' ? new LogNotifier(logger) : new SlackNotifier(config, db);
      if (!notifier.enabled && !['outbox', 'jira-reconcile'].includes(name))
        process.stderr.write('shipgate: Slack is off (no SLACK_BOT_TOKEN): nothing is sent and nothing is claimed.\n');
      const now = opts.now ?? new Date();
      const report = await job.tick({ db, notifier, logger, config }, now);
      console.log(`${name} at ${now.toISOString()}: ${report.line}`);
      if (report.failed) process.exitCode = 1;
    }, opts);
  });
}
