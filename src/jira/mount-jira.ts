// Jira (SPEC §7): the webhook at POST /jira/webhook and the outbox worker.
import type { Express } from 'express';
import type { AppDeps, Stoppable } from '../app-deps.js';

export function mountJira(_app: Express, _deps: AppDeps): Stoppable {
  return { stop: async () => undefined };
}
