// Composition root: config → database → HTTP app (API, Slack, Jira) → schedules.
// Nothing else lives here; every part is built elsewhere and wired together.
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { migrate } from './db/migrator.js';
import { openDatabase, describeDatabase } from './db/open-database.js';
import { createHttpApp, finishHttpApp } from './http/create-http-app.js';
import { startHttpServer } from './http/start-http-server.js';

export interface RunningShipgate {
  port: number;
  stop(): Promise<void>;
}

export async function startShipgate(config: Config, logger: Logger): Promise<RunningShipgate> {
  const report = await migrate(config.database);
  const db = openDatabase(config.database);
  logger.info(
    { database: describeDatabase(db), applied: report.applied, alreadyApplied: report.alreadyApplied },
    report.applied.length ? `database migrated (${report.applied.length} applied)` : 'database up to date',
  );

  const app = createHttpApp({ logger, checkDatabase: () => db.ping() });

  if (config.slack.mode === 'off') {
    logger.warn(
      'Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one workspace over HTTP), add SLACK_APP_TOKEN for Socket Mode, or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET for the OAuth install; see README "Slack set-up".',
    );
  }

  finishHttpApp(app, logger);
  let server;
  try {
    server = await startHttpServer(app, config.port);
  } catch (err) {
    await db.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`Port ${config.port} is already in use: stop the other process or set PORT to a free port.`);
    throw err;
  }
  logger.info({ port: server.port }, `Shipgate listening on http://localhost:${server.port}`);

  return {
    port: server.port,
    async stop() {
      await server.stop();
      await db.close();
      logger.info('Shipgate stopped');
    },
  };
}
