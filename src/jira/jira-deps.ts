// What the Jira parts need: the usual dependencies plus the Jira gateway.
// The gateway is built once per Config and shared; a test hands in its own.
import type { AppDeps } from '../app-deps.js';
import { createJiraGateway, type JiraGateway } from './jira-client.js';

export type JiraDeps = Pick<AppDeps, 'db' | 'logger' | 'notifier' | 'config'> & {
  /** Absent: built from config.jira (JIRA_HOST, JIRA_EMAIL, JIRA_API_TOKEN). */
  jira?: JiraGateway;
};

// Keyed by the Config object the caller passed in, so it is not a process-wide
// singleton: a different config (a test's) gets its own gateway.
const built = new WeakMap<AppDeps['config'], JiraGateway>();

/** The gateway, or null when Jira is not configured. */
export function jiraGateway(deps: JiraDeps): JiraGateway | null {
  if (deps.jira) return deps.jira;
  const c = deps.config.jira;
  if (!c.enabled || !c.host || !c.email || !c.apiToken) return null;
  let gateway = built.get(deps.config);
  if (!gateway) {
    gateway = createJiraGateway({ host: c.host, email: c.email, apiToken: c.apiToken });
    built.set(deps.config, gateway);
  }
  return gateway;
}
