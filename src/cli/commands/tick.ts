// `shipgate tick <job> [--now ISO-8601]`: one tick of a scheduled job, run by
// hand exactly as the schedule runs it (same claims, so it never sends twice).
import { InvalidArgumentError, type Command } from 'commander';
import { createLogger } from '../../logger.js';
import { LogNotifier } from '../../notify/notifier.js';
import { SlackNotifier } from '../../slack/slack-notifier.js';
import { runRemindersTick } from '../../jobs/reminders-tick.js';
import { withDatabase } from '../run-command.js';

// Digests, nudges, jira-reconcile and outbox (SPEC §5) come with their jobs.
const JOBS = ['reminders'] as const;

function parseNow(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('expected an ISO-8601 date-time such as 2026-11-23T09:00:00Z');
  }
  return date;
}

export function registerTick(program: Command): void {
  program
    .command('tick')
    .description(`Run one tick of a scheduled job now, exactly as the schedule would. Jobs: ${JOBS.join(', ')}.`)
    .argument('<job>', `the job: ${JOBS.join(' | ')}`)
    .option('--now <ISO-8601>', 'the moment the tick runs at (default: now)', parseNow)
    .action(async (job: string, opts: { now?: Date }) => {
      if (!(JOBS as readonly string[]).includes(job)) {
        process.stderr.write(`shipgate: unknown job "${job}"; the jobs are: ${JOBS.join(', ')}\n`);
        process.exit(2);
      }
      await withDatabase(async (db, config) => {
        const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
        const notifier = config.slack.mode === 'off' ? new LogNotifier(logger) : new SlackNotifier(config, db.prisma);
        const now = opts.now ?? new Date();
        const summary = await runRemindersTick({ db, notifier, logger, config }, now);
        console.log(
          `${job} at ${now.toISOString()}: ${summary.sent} sent, ${summary.skipped} already sent, ${summary.failed} failed (${summary.considered} due)`,
        );
        if (summary.failed) process.exitCode = 1;
      });
    });
}
