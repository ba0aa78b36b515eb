// Builds the Bolt App for the configured mode:
// - over HTTP, an ExpressReceiver sharing the server's express app, request URLs
//   under /slack/…, signatures checked with SLACK_SIGNING_SECRET;
// - Socket Mode when SLACK_APP_TOKEN is set (one workspace);
// - one workspace (SLACK_BOT_TOKEN, via `authorize`, so no auth.test per event)
//   or many (OAuth install at /slack/install, installations in the database).
import { App, ExpressReceiver } from '@slack/bolt';
import type { Express } from 'express';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Database } from '../db/open-database.js';
import { boltLogger } from './bolt-logger.js';
import { clientOptions } from './client-options.js';
import { createInstallationStore } from './installation-store.js';
import { BOT_SCOPES, EVENTS_PATH, INSTALL_PATH, OAUTH_REDIRECT_PATH } from './slack-paths.js';
import type { WorkspaceRegistry } from './workspace-registry.js';

export interface BuiltBoltApp {
  app: App;
  /** Socket Mode connects to Slack on start; HTTP mode is served by the express app. */
  socketMode: boolean;
}

export function buildBoltApp(
  http: Express,
  o: { config: Config; logger: Logger; db: Database; workspaces: WorkspaceRegistry },
): BuiltBoltApp {
  const s = o.config.slack;
  const logger = boltLogger(o.logger);
  const client = clientOptions(o.config);

  if (s.mode === 'oauth') {
    if (s.socketMode)
      o.logger.warn('SLACK_APP_TOKEN is ignored with the OAuth install: many workspaces are served over HTTP at /slack/events.');
    const receiver = new ExpressReceiver({
      app: http,
      signingSecret: s.signingSecret!,
      endpoints: EVENTS_PATH,
      logger,
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      stateSecret: s.stateSecret,
      scopes: [...BOT_SCOPES],
      installationStore: createInstallationStore(o.db, o.workspaces),
      installerOptions: { installPath: INSTALL_PATH, redirectUriPath: OAUTH_REDIRECT_PATH, clientOptions: client, directInstall: true },
    });
    return { app: new App({ receiver, logger, clientOptions: client, convoStore: false }), socketMode: false };
  }

  const botToken = s.botToken!;
  // The token is the same for every request; handing it over this way skips
  // Bolt's own auth.test call (the workspace registry makes its own, once).
  const authorize = async () => ({ botToken });
  if (s.socketMode) {
    return {
      app: new App({ socketMode: true, appToken: s.appToken!, authorize, logger, clientOptions: client, convoStore: false }),
      socketMode: true,
    };
  }
  const receiver = new ExpressReceiver({ app: http, signingSecret: s.signingSecret!, endpoints: EVENTS_PATH, logger });
  // No conversation store: Shipgate keeps its state in the database, and the
  // store's per-request lookups only cost ack time.
  return { app: new App({ receiver, authorize, logger, clientOptions: client, convoStore: false }), socketMode: false };
}
