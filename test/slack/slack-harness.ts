// The real Shipgate HTTP app with the real Bolt app mounted, on a loopback
// port, over a fresh database, with Slack's Web API served by a local stand-in.
import { loadConfig } from '../../src/config.js';
import { createHttpApp, finishHttpApp } from '../../src/http/create-http-app.js';
import { startHttpServer } from '../../src/http/start-http-server.js';
import { createLogger } from '../../src/logger.js';
import { mountSlack } from '../../src/slack/mount-slack.js';
import type { Notifier } from '../../src/notify/notifier.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { startSlackApiStandIn, type SlackApiStandIn } from '../helpers/slack-api-stand-in.js';
import { SIGNING_SECRET, sendToSlackApp, slashCommand, type SlackRequest, type Team } from '../helpers/slack-payloads.js';
import { jiraIssueChecker } from '../../src/jira/jira-issue-checker.js';

export const BOT_TOKEN = 'xoxb-test-token';

export interface SlackHarness {
  url: string;
  db: TestDatabase;
  slack: SlackApiStandIn;
  notifier: Notifier;
  now: { value: Date };
  send(request: SlackRequest, options?: Parameters<typeof sendToSlackApp>[2]): ReturnType<typeof sendToSlackApp>;
  /** Resolves once the app has done all it will do about the requests sent so far (listeners and follow-up work). */
  idle(): Promise<void>;
  /** Runs a slash command and waits for its (first) ephemeral reply through response_url. */
  command(
    team: Team,
    text: string,
  ): Promise<{ ack: Awaited<ReturnType<typeof sendToSlackApp>>; reply: () => Promise<Record<string, unknown>> }>;
  stop(): Promise<void>;
}

export async function startSlackHarness(env: Record<string, string> = {}): Promise<SlackHarness> {
  const db = await createTestDatabase();
  const slack = await startSlackApiStandIn();
  const config = loadConfig({
    DATABASE_URL: db.url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    SCHEDULES: 'off',
    ...env,
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const now = { value: new Date() };
  const app = createHttpApp({ logger, checkDatabase: () => db.db.ping() });
  const mounted = await mountSlack(app, { config, logger, db: db.db, now: () => now.value, jiraCheck: jiraIssueChecker(config) });
  finishHttpApp(app, logger);
  const server = await startHttpServer(app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}`;
  const send: SlackHarness['send'] = (request, options) => sendToSlackApp(url, request, options);
  return {
    url,
    db,
    slack,
    notifier: mounted.notifier,
    now,
    send,
    idle: () => mounted.idle(),
    async command(team, text) {
      const id = Math.random().toString(36).slice(2);
      const ack = await send(slashCommand(team, text, slack.responseUrl(id)));
      return { ack, reply: async () => (await slack.waitFor('response_url', (c) => c.body.__responseId === id)).body };
    },
    async stop() {
      await server.stop(100);
      await mounted.stop();
      await slack.close();
      await db.cleanup();
    },
  };
}

/** The text of a message's blocks and fallback, for "does it say X" assertions. */
export function textOf(message: unknown): string {
  return JSON.stringify(message ?? '').replace(/\\n/g, '\n');
}
