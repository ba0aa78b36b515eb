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
import { BOT_SCOPES } from '../../src/slack/slack-paths.js';
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

/** OAuth mode: many workspaces, each installed through /slack/install with its own token. */
export interface OAuthHarness extends SlackHarness {
  /** Runs the install flow as `team` would, through Slack's authorize page and the redirect. */
  install(team: Team): Promise<{ location: URL; done: Response }>;
}

export async function startOAuthHarness(env: Record<string, string> = {}): Promise<OAuthHarness> {
  const h = await startSlackHarness({
    SLACK_BOT_TOKEN: '',
    SLACK_CLIENT_ID: '123.456',
    SLACK_CLIENT_SECRET: 'client-secret',
    SLACK_STATE_SECRET: 'state-secret',
    ...env,
  });
  // Slack answers the code of the team that pressed "Allow": the code carries the team id here.
  h.slack.respond('oauth.v2.access', (call) => {
    const teamId = String(call.body.code).replace(/^code-/, '');
    return {
      body: {
        ok: true,
        app_id: 'A0TEST',
        authed_user: { id: `U${teamId.slice(1)}` },
        scope: BOT_SCOPES.join(','),
        token_type: 'bot',
        access_token: `xoxb-oauth-${teamId}`,
        bot_user_id: 'U0BOT',
        team: { id: teamId, name: `Team ${teamId}` },
        enterprise: null,
        is_enterprise_install: false,
      },
    };
  });
  h.slack.respond('auth.test', (call) => ({
    body: { ok: true, team_id: String(call.token).replace(/^xoxb-oauth-/, ''), user_id: 'U0BOT', bot_id: 'B0BOT' },
  }));
  return {
    ...h,
    async install(team) {
      const start = await fetch(`${h.url}/slack/install`, { redirect: 'manual' });
      if (start.status !== 302) throw new Error(`/slack/install answered ${start.status}`);
      const location = new URL(start.headers.get('location')!);
      const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
      const state = location.searchParams.get('state')!;
      const done = await fetch(`${h.url}/slack/oauth_redirect?code=code-${team.teamId}&state=${encodeURIComponent(state)}`, {
        headers: { cookie },
        redirect: 'manual',
      });
      return { location, done };
    },
  };
}

/** The text of a message's blocks and fallback, for "does it say X" assertions. */
export function textOf(message: unknown): string {
  return JSON.stringify(message ?? '').replace(/\\n/g, '\n');
}
