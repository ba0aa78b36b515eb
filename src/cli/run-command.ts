// Shared plumbing for CLI commands: config errors and AppErrors become one
// clear message on stderr and a non-zero exit, never a stack trace.
import { ConfigError, loadConfig, type Config } from '../config.js';
import { AppError, type ErrorCode } from '../domain/errors.js';
import { DatabaseError } from '../db/open-database.js';
import { openDatabase, type Database } from '../db/open-database.js';
import { DatabaseUrlError } from '../db/database-url.js';
import { migrate } from '../db/migrator.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { decideDatabase, usingLine } from './database-choice.js';
import { EXIT_FAILURE, EXIT_USAGE } from './exit-codes.js';

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

/** A request the command refused, with nothing changed (bad input, an unknown name, a lifecycle rule), is a usage error. */
const REFUSED: readonly ErrorCode[] = ['VALIDATION_FAILED', 'NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE'];

export function exitCodeOf(err: AppError): number {
  return REFUSED.includes(err.code) ? EXIT_USAGE : EXIT_FAILURE;
}

/**
 * Runs `fn` against a migrated database with the real clock, closing it after;
 * errors exit non-zero with a message. Says on stderr which database it uses,
 * and refuses to create a new SQLite file outside the server's data directory
 * unless `--database` named it (see database-choice.ts).
 */
export async function withDatabase<T>(
  fn: (deps: ServiceDeps, config: Config) => Promise<T>,
  options: { database?: string } = {},
): Promise<T> {
  const config = configOrExit();
  let decision;
  try {
    decision = decideDatabase({
      configured: config.database,
      configuredExplicitly: Boolean(process.env.DATABASE_URL?.trim()),
      option: options.database,
    });
  } catch (err) {
    if (err instanceof DatabaseUrlError) fail(`--database: ${err.message.replace(/^DATABASE_URL/, 'the value')}`, EXIT_USAGE);
    throw err;
  }
  if (!decision.ok) fail(decision.message, EXIT_USAGE);
  process.stderr.write(`${usingLine(decision.target, decision.creates)}\n`);
  const target = decision.target;
  let db: Database | undefined;
  try {
    await migrate(target);
    db = openDatabase(target, config.databaseOptions);
    return await fn({ db, now: () => new Date() }, { ...config, database: target });
  } catch (err) {
    if (err instanceof AppError) fail(err.message, exitCodeOf(err));
    if (err instanceof DatabaseError) fail(err.message);
    throw err;
  } finally {
    await db?.close();
  }
}
