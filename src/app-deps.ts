// What every part of the running server is built from; passed in, never imported as a singleton.
import type { Config } from './config.js';
import type { Database } from './db/open-database.js';
import type { Logger } from './logger.js';
import type { Notifier } from './notify/notifier.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Database;
  notifier: Notifier;
  /** The clock; tests hand in a fixed one. */
  now: () => Date;
}

/** Something the server started and must stop on shutdown. */
export interface Stoppable {
  stop(): Promise<void>;
}
