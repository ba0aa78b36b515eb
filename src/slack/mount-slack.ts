// The Slack app, mounted under /slack/... or run over Socket Mode.
// Returns the Notifier the rest of the server posts through.
import { webApi } from '@slack/bolt';
import type { Express } from 'express';
import type { AppDeps, Stoppable } from '../app-deps.js';
import { LogNotifier, type Notifier } from '../notify/notifier.js';
import { createAfterAckQueue } from './after-ack.js';
import { buildBoltApp } from './build-bolt-app.js';
import { registerActions } from './listeners/actions/index.js';
import { registerCommands } from './listeners/commands/index.js';
import { registerEvents } from './listeners/events/index.js';
import { registerViews } from './listeners/views/index.js';
import type { SlackDeps } from './slack-deps.js';
import { SlackNotifier } from './slack-notifier.js';
import { EVENTS_PATH } from './slack-paths.js';
import { workspaceMiddleware } from './workspace-middleware.js';
import { installingTeamWorkspace, perTeamWorkspaces, type InstallingTeam, type WorkspaceRegistry } from './workspace-registry.js';
import { clientOptions } from './client-options.js';

export async function mountSlack(
  app: Express,
  deps: Omit<AppDeps, 'notifier'>,
): Promise<Stoppable & { notifier: Notifier; idle(): Promise<void> }> {
  const { config, logger } = deps;
  if (config.slack.mode === 'off') {
    logger.warn(
      'Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one workspace over HTTP), add SLACK_APP_TOKEN for Socket Mode, or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET for the OAuth install; see README "Slack set-up".',
    );
    return { notifier: new LogNotifier(logger), stop: async () => undefined, idle: async () => undefined };
  }

  // Registered before Bolt's own route, so it sees every Slack request arrive and leave.
  const inFlight = countInFlight(app, EVENTS_PATH);
  const workspaces: WorkspaceRegistry =
    config.slack.mode === 'oauth' ? perTeamWorkspaces(deps) : installingTeamWorkspace(deps, botTokenTeam(config));
  // SQLite queries block the event loop, so its follow-up work goes one job at a
  // time; with PostgreSQL two overlap (query mapping still costs CPU here).
  const afterAck = createAfterAckQueue(
    logger,
    deps.db.provider === 'sqlite' ? 1 : 2,
    () => inFlight.count > 0 || performance.now() - inFlight.lastArrival < QUIET_MS,
  );
  const slackDeps: SlackDeps = { ...deps, workspaces, afterAck };
  const bolt = buildBoltApp(app, { config, logger, db: deps.db, workspaces });

  bolt.app.use(afterAck.tracker);
  bolt.app.use(workspaceMiddleware(workspaces));
  registerCommands(bolt.app, slackDeps);
  registerActions(bolt.app, slackDeps);
  registerViews(bolt.app, slackDeps);
  registerEvents(bolt.app, slackDeps);
  bolt.app.error(async (error) => {
    logger.error({ err: error }, 'Slack listener error');
  });

  if (bolt.socketMode) await bolt.app.start();
  logger.info(
    { mode: config.slack.mode, transport: bolt.socketMode ? 'socket' : 'http' },
    bolt.socketMode ? 'Slack app connected over Socket Mode' : 'Slack app listening at /slack/events',
  );
  return {
    notifier: new SlackNotifier(config, deps.db),
    // Resolves once no listener runs and no follow-up work is queued (tests await it).
    idle: () => afterAck.idle(),
    stop: async () => {
      if (bolt.socketMode) await bolt.app.stop();
      await afterAck.drain();
    },
  };
}

/** The team the single-workspace bot token was installed in, as Slack's auth.test names it. */
function botTokenTeam(config: AppDeps['config']): InstallingTeam {
  const client = new webApi.WebClient(config.slack.botToken, clientOptions(config));
  return async () => {
    const me = await client.auth.test();
    if (!me.team_id) throw new Error('Slack auth.test named no team for SLACK_BOT_TOKEN');
    return { id: me.team_id, name: me.team ?? null };
  };
}

// Requests come in bursts (a channel of people, a retried batch): follow-up work
// waits until none has arrived for this long, so it does not slip in between
// two requests of a burst and hold back the second one's ack.
const QUIET_MS = 8;

/** How many Slack requests are between arriving and being answered, and when the last one arrived. */
function countInFlight(app: Express, path: string): { count: number; lastArrival: number } {
  const state = { count: 0, lastArrival: -Infinity };
  app.use(path, (_req, res, next) => {
    state.count++;
    state.lastArrival = performance.now();
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        state.count--;
      }
    };
    res.on('finish', finish);
    res.on('close', finish);
    next();
  });
  return state;
}
