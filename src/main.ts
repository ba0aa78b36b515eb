// Composition root: config → database → HTTP app (API, Slack, Jira, pages) → schedules.
// Nothing else lives here; every part is built elsewhere and wired together.
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { migrate } from './db/migrator.js';
import { openDatabase, describeDatabase } from './db/open-database.js';
import { isDatabaseBusy } from './db/overload.js';
import { sweepStaleUploads } from './services/staged-upload.js';
import { createHttpApp, finishHttpApp } from './http/create-http-app.js';
import { startHttpServer } from './http/start-http-server.js';
import { mountApi } from './api/mount-api.js';
import { mountSlack } from './slack/mount-slack.js';
import { mountJira } from './jira/mount-jira.js';
import { mountPages } from './pages/mount-pages.js';
import { jiraIssueChecker } from './jira/jira-issue-checker.js';
import { startSchedules } from './jobs/start-schedules.js';
import type { AppDeps } from './app-deps.js';

export interface RunningShipgate {
  port: number;
  stop(): Promise<void>;
}

export async function startShipgate(config: Config, logger: Logger): Promise<RunningShipgate> {
  const report = await migrate(config.database);
  const db = openDatabase(config.database, config.databaseOptions);
  logger.info(
    { database: describeDatabase(db), applied: report.applied, alreadyApplied: report.alreadyApplied },
    report.applied.length ? `database migrated (${report.applied.length} applied)` : 'database up to date',
  );
  const swept = await sweepStaleUploads(new Date());
  if (swept) logger.info({ removed: swept }, 'removed uploads a stopped server left staged');

  const app = createHttpApp({ logger, checkDatabase: () => db.ping(), isBusy: isDatabaseBusy });
  const now = () => new Date();

  const jiraCheck = jiraIssueChecker(config);
  const slack = await mountSlack(app, { config, logger, db, now, jiraCheck });
  const deps: AppDeps = { config, logger, db, now, jiraCheck, notifier: slack.notifier };
  mountApi(app, deps);
  const jira = mountJira(app, deps);
  mountPages(app, deps);
  finishHttpApp(app, logger);
  let server;
  try {
    server = await startHttpServer(app, config.port);
  } catch (err) {
    await Promise.all([slack.stop(), jira.stop()]);
    await db.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      throw new Error(`Port ${config.port} is already in use: stop the other process or set PORT to a free port.`, { cause: err });
    throw err;
  }
  logger.info({ port: server.port }, `Shipgate listening on http://localhost:${server.port}`);
  const schedules = config.schedules ? startSchedules(deps) : { stop: async () => undefined };

  return {
    port: server.port,
    async stop() {
      await schedules.stop();
      await server.stop();
      await Promise.all([slack.stop(), jira.stop()]);
      await db.close();
      logger.info('Shipgate stopped');
    },
  };
}
