// Jira: mounts the webhook at POST /jira/webhook on the shared
// express app, with its own raw-body parser (the signature is over the exact
// bytes). The outbox and reconcile ticks (outbox-worker.ts, jira-reconcile.ts)
// run from the schedules and `shipgate tick`; nothing runs here in the background.
import type { Express } from 'express';
import type { AppDeps, Stoppable } from '../app-deps.js';
import { jiraWebhookHandlers, JIRA_WEBHOOK_PATH } from './webhook.js';

export function mountJira(app: Express, deps: AppDeps): Stoppable {
  app.post(JIRA_WEBHOOK_PATH, ...jiraWebhookHandlers(deps));
  if (!deps.config.jira.enabled) {
    deps.logger.info('Jira is off: set JIRA_HOST, JIRA_EMAIL and JIRA_API_TOKEN to create and link issues');
  } else if (!deps.config.jira.webhookSecret) {
    deps.logger.warn(`Jira webhooks are refused (503) until JIRA_WEBHOOK_SECRET is set; status changes still arrive through the reconcile`);
  }
  return { stop: async () => undefined };
}
