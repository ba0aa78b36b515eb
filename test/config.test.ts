import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs with nothing set: SQLite in ./data, port 3000, Slack and Jira off', () => {
    const config = loadConfig({});
    expect(config.database.provider).toBe('sqlite');
    expect(config.database.provider === 'sqlite' && config.database.file).toMatch(/data\/shipgate\.db$/);
    expect(config.port).toBe(3000);
    expect(config.slack.mode).toBe('off');
    expect(config.jira.enabled).toBe(false);
    expect(config.digest).toEqual({ time: '09:00', timeZone: 'UTC' });
  });

  it('treats empty values as unset (as a copied .env.example leaves them)', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: '', JIRA_HOST: ' ', PORT: '' });
    expect(config.slack.mode).toBe('off');
    expect(config.port).toBe(3000);
  });

  it('makes readiness page links from PUBLIC_URL (without its trailing slash), for 7 days unless REPORT_LINK_DAYS says', () => {
    expect(loadConfig({}).pages).toEqual({ publicUrl: undefined, linkLifetimeMs: 7 * 86_400_000 });
    expect(loadConfig({ PUBLIC_URL: 'https://ship.example.com/sg/', REPORT_LINK_DAYS: '30' }).pages).toEqual({
      publicUrl: 'https://ship.example.com/sg',
      linkLifetimeMs: 30 * 86_400_000,
    });
    expect(problems({ PUBLIC_URL: 'ship.example.com', REPORT_LINK_DAYS: '0' })).toEqual([
      'PUBLIC_URL: must be the URL people reach this server at, such as https://shipgate.example.com',
      'REPORT_LINK_DAYS: must be a whole number of days between 1 and 365, e.g. 7',
    ]);
    expect(problems({ PUBLIC_URL: 'ftp://ship.example.com' })).toEqual([
      'PUBLIC_URL: must be an http:// or https:// URL, such as https://shipgate.example.com',
    ]);
    expect(problems({ PUBLIC_URL: 'https://ship.example.com/?x=1' })[0]).toMatch(/^PUBLIC_URL: must have no \?query or #fragment/);
  });

  it('switches to PostgreSQL on a postgresql:// URL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/shipgate' });
    expect(config.database).toEqual({ provider: 'postgresql', url: 'postgresql://u:p@db:5432/shipgate' });
  });

  it('reports every wrong value on its own line', () => {
    const lines = problems({
      DATABASE_URL: 'mysql://root@db/x',
      PORT: '70000',
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      DIGEST_TIME: '9am',
      DIGEST_TZ: 'Mars/Olympus',
      JIRA_HOST: 'https://acme.atlassian.net',
    });
    expect(lines).toHaveLength(7);
    expect(lines.find((l) => l.startsWith('PORT:'))).toMatch(/between 0 and 65535/);
    expect(lines.find((l) => l.startsWith('SLACK_BOT_TOKEN:'))).toMatch(/xoxb-/);
    expect(lines.find((l) => l.startsWith('DIGEST_TIME:'))).toMatch(/HH:MM/);
    expect(lines.find((l) => l.startsWith('DIGEST_TZ:'))).toMatch(/IANA/);
    expect(lines.find((l) => l.startsWith('DATABASE_URL'))).toMatch(/file:.*postgresql:\/\//);
    expect(lines.find((l) => l.startsWith('JIRA_HOST, JIRA_EMAIL'))).toMatch(/all three/);
    // A bot token without a signing secret is a problem of its own, reported in the same go.
    expect(lines.find((l) => l.startsWith('SLACK_SIGNING_SECRET:'))).toMatch(/Socket Mode/);
  });

  it('asks for the signing secret over HTTP but not in Socket Mode', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET:/)]);
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(socket.slack).toMatchObject({ mode: 'single-workspace', socketMode: true });
  });

  it('needs all OAuth settings together', () => {
    const lines = problems({ SLACK_CLIENT_ID: '1.2', SLACK_SIGNING_SECRET: 's' });
    expect(lines.sort()).toEqual([expect.stringMatching(/^SLACK_CLIENT_SECRET:/), expect.stringMatching(/^SLACK_STATE_SECRET:/)]);
    const ok = loadConfig({ SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 's', SLACK_SIGNING_SECRET: 'x' });
    expect(ok.slack.mode).toBe('oauth');
  });

  it('reads reminder offsets and the stale-run threshold, with defaults 3,1,0 and 24 h', () => {
    expect(loadConfig({}).reminders.offsets).toEqual([3, 1, 0]);
    expect(loadConfig({}).nudges.staleAfterMs).toBe(24 * 3_600_000);
    const custom = loadConfig({ REMINDER_OFFSETS: '0, 7,1,7', STALE_RUN_HOURS: '6' });
    expect(custom.reminders.offsets).toEqual([7, 1, 0]);
    expect(custom.nudges.staleAfterMs).toBe(6 * 3_600_000);
    const lines = problems({ REMINDER_OFFSETS: '3 days', STALE_RUN_HOURS: '0' });
    expect(lines.find((l) => l.startsWith('REMINDER_OFFSETS:'))).toMatch(/e\.g\. 3,1,0/);
    expect(lines.find((l) => l.startsWith('STALE_RUN_HOURS:'))).toMatch(/between 1 and 2160/);
    expect(problems({ REMINDER_OFFSETS: '400,1' })).toEqual([
      expect.stringMatching(/^REMINDER_OFFSETS: .*between 0 \(the due day\) and 365/),
    ]);
  });
});
