// The Slack app (SPEC §3), mounted under /slack/... or run over Socket Mode.
// Returns the Notifier the rest of the server posts through.
import type { Express } from 'express';
import type { AppDeps, Stoppable } from '../app-deps.js';
import { LogNotifier, type Notifier } from '../notify/notifier.js';

export async function mountSlack(_app: Express, deps: Omit<AppDeps, 'notifier'>): Promise<Stoppable & { notifier: Notifier }> {
  if (deps.config.slack.mode === 'off') {
    deps.logger.warn(
      'Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one workspace over HTTP), add SLACK_APP_TOKEN for Socket Mode, or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET for the OAuth install; see README "Slack set-up".',
    );
  }
  return { notifier: new LogNotifier(deps.logger), stop: async () => undefined };
}
