// What every part of the running server is built from; passed in, never imported as a singleton.
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Notifier } from './notify/notifier.js';
import type { JiraIssueChecker } from './services/jira-issue-check.js';
import type { ServiceDeps } from './services/service-deps.js';

export interface AppDeps extends ServiceDeps {
  config: Config;
  logger: Logger;
  notifier: Notifier;
  /** Checks a Jira key before a defect links it; null when Jira is not configured. */
  jiraCheck: JiraIssueChecker | null;
}

/** Something the server started and must stop on shutdown. */
export interface Stoppable {
  stop(): Promise<void>;
}
