// Which transport and authorization each configuration gets (no network).
import express from 'express';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { buildBoltApp } from '../../src/slack/build-bolt-app.js';
import type { Database } from '../../src/db/open-database.js';
import type { WorkspaceRegistry } from '../../src/slack/workspace-registry.js';

const logger = createLogger('silent');
const workspaces = {} as WorkspaceRegistry;
const db = {} as Database;

function routes(app: express.Express): string[] {
  const stack =
    (app as unknown as { router?: { stack: { route?: { path: string }; handle?: { stack?: { route?: { path: string } }[] } }[] } }).router
      ?.stack ?? [];
  return stack
    .flatMap((layer) => [layer.route?.path, ...(layer.handle?.stack ?? []).map((l) => l.route?.path)])
    .filter((p): p is string => Boolean(p));
}

describe('buildBoltApp', () => {
  it('one workspace over HTTP: /slack/events on the shared express app', () => {
    const http = express();
    const config = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' });
    const built = buildBoltApp(http, { config, logger, db, workspaces });
    expect(built.socketMode).toBe(false);
    expect(routes(http)).toEqual(['/slack/events']);
  });

  it('Socket Mode: nothing mounted on the HTTP app', () => {
    const http = express();
    const config = loadConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_BOT_TOKEN: 'xoxb-1' });
    const built = buildBoltApp(http, { config, logger, db, workspaces });
    expect(built.socketMode).toBe(true);
    expect(routes(http)).toEqual([]);
  });

  it('OAuth: events plus the install and redirect pages', () => {
    const http = express();
    const config = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 'st' });
    const built = buildBoltApp(http, { config, logger, db, workspaces });
    expect(built.socketMode).toBe(false);
    expect(routes(http)).toEqual(expect.arrayContaining(['/slack/events', '/slack/install']));
  });
});
