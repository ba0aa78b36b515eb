// The environment, parsed once at start with zod. Every problem is
// reported on its own line; the caller prints them and exits non-zero.
// The CI commands' SHIPGATE_URL and SHIPGATE_API_KEY are not here: src/cli/api-settings.ts
// reads them, so `report`, `check` and `digest` need nothing of the server's configuration.
import { z } from 'zod';
import { DatabaseUrlError, parseDatabaseUrl, type DatabaseTarget } from './db/database-url.js';
import type { DatabaseOptions } from './db/open-database.js';

const optional = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string())
  .optional()
  .transform((s) => (s ? s : undefined));

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;

function wholeNumber(min: number, max: number, message: string) {
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((n) => n >= min && n <= max, message)
    .optional();
}

// Whole days before the due date, e.g. "3,1,0"; each once, 0 (the due day) to 365.
const dayOffsets = z
  .string()
  .regex(/^\d{1,3}(\s*,\s*\d{1,3})*$/, 'must be whole days before the due date separated by commas, e.g. 3,1,0')
  .transform((s) => [...new Set(s.split(',').map((d) => Number(d.trim())))].sort((a, b) => b - a))
  .refine((days) => days.every((d) => d <= 365), 'must be days between 0 (the due day) and 365, e.g. 7,3,1,0')
  .optional();

// Where people reach this server: the readiness page links and badges are made from it.
const publicUrl = z
  .string()
  .superRefine((text, ctx) => {
    const problem = publicUrlProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((u) => u.replace(/\/+$/, ''))
  .optional();

function publicUrlProblem(text: string): string | null {
  const example = 'such as https://shipgate.example.com';
  const url = parsedUrl(text);
  if (!url) return `must be the URL people reach this server at, ${example}`;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http:// or https:// URL, ${example}`;
  if (url.search || url.hash || text.includes('#') || text.includes('?'))
    return 'must have no ?query or #fragment: the address alone, e.g. https://example.com/shipgate';
  return null;
}

function parsedUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const EnvSchema = z.object({
  DATABASE_URL: optional,
  DATABASE_POOL_SIZE: optional.pipe(wholeNumber(1, 1000, 'must be a whole number of connections between 1 and 1000, e.g. 10')),
  DATABASE_BUSY_TIMEOUT_MS: optional.pipe(
    wholeNumber(100, 600_000, 'must be a whole number of milliseconds between 100 and 600000, e.g. 5000'),
  ),
  INGEST_CONCURRENCY: optional.pipe(wholeNumber(1, 100, 'must be a whole number of uploads between 1 and 100, e.g. 2')),
  INGEST_QUEUE_TIMEOUT_MS: optional.pipe(
    wholeNumber(1_000, 3_600_000, 'must be a whole number of milliseconds between 1000 and 3600000, e.g. 120000'),
  ),
  PORT: optional.pipe(wholeNumber(0, 65535, 'must be a whole number between 0 and 65535 (0 picks a free port)')),
  LOG_LEVEL: optional.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional.pipe(z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional()),
  SLACK_APP_TOKEN: optional.pipe(z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional()),
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_API_URL: optional.pipe(z.url({ message: 'must be a URL such as https://slack.com/api/' }).optional()),
  JIRA_HOST: optional.pipe(z.url({ message: 'must be a URL such as https://your-team.atlassian.net' }).optional()),
  JIRA_EMAIL: optional.pipe(z.email({ message: 'must be the e-mail address of the Jira account' }).optional()),
  JIRA_API_TOKEN: optional,
  JIRA_WEBHOOK_SECRET: optional,
  DIGEST_TIME: optional.pipe(z.string().regex(hhmm, 'must be a time as HH:MM, e.g. 09:00').optional()),
  DIGEST_TZ: optional.pipe(z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').optional()),
  SCHEDULES: optional.pipe(z.enum(['on', 'off']).optional()),
  REMINDER_OFFSETS: optional.pipe(dayOffsets),
  STALE_RUN_HOURS: optional.pipe(wholeNumber(1, 24 * 90, 'must be a whole number of hours between 1 and 2160, e.g. 24')),
  MAX_BODY_BYTES: optional.pipe(wholeNumber(1024, Number.MAX_SAFE_INTEGER, 'must be a whole number of bytes, at least 1024')),
  MAX_JUNIT_BYTES: optional.pipe(wholeNumber(1024, Number.MAX_SAFE_INTEGER, 'must be a whole number of bytes, at least 1024')),
  MAX_CTRF_BYTES: optional.pipe(wholeNumber(1024, Number.MAX_SAFE_INTEGER, 'must be a whole number of bytes, at least 1024')),
  PUBLIC_URL: optional.pipe(publicUrl),
  REPORT_LINK_DAYS: optional.pipe(wholeNumber(1, 365, 'must be a whole number of days between 1 and 365, e.g. 7')),
});

export type SlackMode = 'off' | 'single-workspace' | 'oauth';

export interface Config {
  database: DatabaseTarget;
  /** Pool size, how long a request waits for the database, how many uploads are written at once. */
  databaseOptions: DatabaseOptions;
  port: number;
  logLevel: string;
  slack: {
    mode: SlackMode;
    socketMode: boolean;
    signingSecret?: string;
    botToken?: string;
    appToken?: string;
    clientId?: string;
    clientSecret?: string;
    stateSecret?: string;
    apiUrl?: string;
  };
  jira: { host?: string; email?: string; apiToken?: string; webhookSecret?: string; enabled: boolean };
  digest: { time: string; timeZone: string };
  schedules: boolean;
  /** Due-date reminders: days before the due date (then daily while overdue). */
  reminders: { offsets: number[] };
  /** Stale-run nudges: how long a run may stay IN_PROGRESS before its owner is nudged. */
  nudges: { staleAfterMs: number };
  /** Request size limits; a CTRF report is JSON read whole into memory, so its limit is the smaller. */
  limits: { maxBodyBytes: number; maxJUnitBytes: number; maxCtrfBytes: number };
  /**
   * The readiness pages: the server's public address (no trailing slash) that links are
   * made from, unset when none is configured (then no link is offered), and how long a link lasts.
   */
  pages: { publicUrl?: string; linkLifetimeMs: number };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      problems.push(`${name}: ${issue.message}`);
    }
  }
  // On a failed parse the cross-field checks still run on the raw strings, so
  // every problem is reported in one go rather than one per attempt.
  const e = parsed.success ? parsed.data : rawStrings(env);

  let database: DatabaseTarget | undefined;
  try {
    database = parseDatabaseUrl(e.DATABASE_URL);
  } catch (err) {
    if (err instanceof DatabaseUrlError) problems.push(err.message);
    else throw err;
  }

  const slack = slackSettings(e, problems);
  const jiraParts = [e.JIRA_HOST, e.JIRA_EMAIL, e.JIRA_API_TOKEN];
  const jiraEnabled = jiraParts.every(Boolean);
  if (!jiraEnabled && jiraParts.some(Boolean)) {
    problems.push('JIRA_HOST, JIRA_EMAIL and JIRA_API_TOKEN go together: set all three to connect Jira, or none');
  }

  if (problems.length) throw new ConfigError(problems);
  return {
    database: database!,
    databaseOptions: {
      poolSize: e.DATABASE_POOL_SIZE,
      busyTimeoutMs: e.DATABASE_BUSY_TIMEOUT_MS,
      bulkWriteConcurrency: e.INGEST_CONCURRENCY,
      bulkWriteQueueMs: e.INGEST_QUEUE_TIMEOUT_MS,
    },
    port: e.PORT ?? 3000,
    logLevel: e.LOG_LEVEL ?? 'info',
    slack,
    jira: {
      host: e.JIRA_HOST,
      email: e.JIRA_EMAIL,
      apiToken: e.JIRA_API_TOKEN,
      webhookSecret: e.JIRA_WEBHOOK_SECRET,
      enabled: jiraEnabled,
    },
    digest: { time: e.DIGEST_TIME ?? '09:00', timeZone: e.DIGEST_TZ ?? 'UTC' },
    schedules: (e.SCHEDULES ?? 'on') === 'on',
    reminders: { offsets: e.REMINDER_OFFSETS ?? [3, 1, 0] },
    nudges: { staleAfterMs: (e.STALE_RUN_HOURS ?? 24) * 3_600_000 },
    limits: {
      maxBodyBytes: e.MAX_BODY_BYTES ?? 1024 * 1024,
      maxJUnitBytes: e.MAX_JUNIT_BYTES ?? 200 * 1024 * 1024,
      maxCtrfBytes: e.MAX_CTRF_BYTES ?? 64 * 1024 * 1024,
    },
    pages: { publicUrl: e.PUBLIC_URL, linkLifetimeMs: (e.REPORT_LINK_DAYS ?? 7) * 86_400_000 },
  };
}

function rawStrings(env: NodeJS.ProcessEnv): z.infer<typeof EnvSchema> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) out[key] = env[key]?.trim() || undefined;
  return out as unknown as z.infer<typeof EnvSchema>;
}

function slackSettings(e: z.infer<typeof EnvSchema>, problems: string[]): Config['slack'] {
  const oauthParts = {
    SLACK_CLIENT_ID: e.SLACK_CLIENT_ID,
    SLACK_CLIENT_SECRET: e.SLACK_CLIENT_SECRET,
    SLACK_STATE_SECRET: e.SLACK_STATE_SECRET,
  };
  const oauth = Object.values(oauthParts).some(Boolean);
  const socketMode = Boolean(e.SLACK_APP_TOKEN);
  const base = {
    socketMode,
    signingSecret: e.SLACK_SIGNING_SECRET,
    botToken: e.SLACK_BOT_TOKEN,
    appToken: e.SLACK_APP_TOKEN,
    clientId: e.SLACK_CLIENT_ID,
    clientSecret: e.SLACK_CLIENT_SECRET,
    stateSecret: e.SLACK_STATE_SECRET,
    apiUrl: e.SLACK_API_URL,
  };
  if (oauth) {
    for (const [name, value] of Object.entries(oauthParts)) {
      if (!value)
        problems.push(
          `${name}: required for the OAuth install (many workspaces) together with the other SLACK_CLIENT_*/SLACK_STATE_SECRET values`,
        );
    }
    if (!e.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET: required with the OAuth install, to verify requests from Slack');
    return { ...base, mode: 'oauth' };
  }
  if (e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) {
    if (!e.SLACK_BOT_TOKEN)
      problems.push("SLACK_BOT_TOKEN: required to run in one workspace (xoxb-… from the app's OAuth & Permissions page)");
    if (!e.SLACK_SIGNING_SECRET && !socketMode)
      problems.push(
        'SLACK_SIGNING_SECRET: required over HTTP, to verify requests from Slack (Basic Information → App Credentials); or set SLACK_APP_TOKEN for Socket Mode',
      );
    return { ...base, mode: 'single-workspace' };
  }
  return { ...base, mode: 'off' };
}
