// Shared plumbing for CLI commands: config errors and AppErrors become one
// clear message on stderr and a non-zero exit, never a stack trace.
import { ConfigError, loadConfig, type Config } from '../config.js';
import { AppError } from '../domain/errors.js';
import { DatabaseError } from '../db/open-database.js';
import { openDatabase, type Database } from '../db/open-database.js';
import { migrate } from '../db/migrator.js';
import type { ServiceDeps } from '../services/service-deps.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function fail(message: string, code = EXIT_FAILURE): never {
  process.stderr.write(`shipgate: ${message}\n`);
  process.exit(code);
}

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`shipgate: the configuration is invalid:\n${err.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exit(EXIT_USAGE);
    }
    throw err;
  }
}

/** Runs `fn` against a migrated database with the real clock, closing it after; errors exit non-zero with a message. */
export async function withDatabase<T>(fn: (deps: ServiceDeps, config: Config) => Promise<T>): Promise<T> {
  const config = configOrExit();
  let db: Database | undefined;
  try {
    await migrate(config.database);
    db = openDatabase(config.database, config.databaseOptions);
    return await fn({ db, now: () => new Date() }, config);
  } catch (err) {
    if (err instanceof AppError || err instanceof DatabaseError) fail(err.message);
    throw err;
  } finally {
    await db?.close();
  }
}
