// `shipgate serve`: the server (what `npm start` runs).
import type { Command } from 'commander';
import { startShipgate } from '../../main.js';
import { createLogger } from '../../logger.js';
import { DatabaseError } from '../../db/open-database.js';
import { configOrExit, fail } from '../run-command.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Start the server: REST API, Slack endpoints, Jira webhook and schedules, on PORT (default 3000). Migrates the database first.',
    )
    .action(async () => {
      const config = configOrExit();
      const logger = createLogger(config.logLevel);
      let running;
      try {
        running = await startShipgate(config, logger);
      } catch (err) {
        if (err instanceof DatabaseError) fail(err.message);
        fail((err as Error).message);
      }
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping');
        try {
          await running.stop();
          process.exit(0);
        } catch (err) {
          logger.error({ err }, 'error while stopping');
          process.exit(1);
        }
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
}
