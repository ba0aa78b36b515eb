// What every use case is given: the database and the clock. Edges (HTTP, Slack,
// CLI, ticks) pass their own dependencies, which include these; tests hand in a
// fixed clock.
import type { Database } from '../db/open-database.js';

export interface ServiceDeps {
  db: Database;
  /** The clock; nothing in a use case calls `new Date()` for "now". */
  now: () => Date;
}
