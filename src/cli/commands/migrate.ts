// `shipgate migrate`: apply pending database migrations.
import type { Command } from 'commander';
import { migrate } from '../../db/migrator.js';
import { DatabaseError } from '../../db/open-database.js';
import { describeTarget } from '../../db/database-url.js';
import { configOrExit, fail } from '../run-command.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations to DATABASE_URL (the server also does this at start). Safe to run concurrently.')
    .action(async () => {
      const config = configOrExit();
      try {
        const report = await migrate(config.database);
        const where = describeTarget(config.database);
        if (report.applied.length) {
          console.log(`Applied ${report.applied.length} migration(s) to ${where}: ${report.applied.join(', ')}`);
        } else {
          console.log(`${where} is up to date (${report.alreadyApplied} migration(s) applied).`);
        }
      } catch (err) {
        if (err instanceof DatabaseError) fail(err.message);
        throw err;
      }
    });
}
