// Where the CI commands (`report`, `check`, `digest`) find the server: SHIPGATE_URL and SHIPGATE_API_KEY.
// Read here rather than in src/config.ts, so these commands, and the light @shipgate/cli bundle built from
// them (scripts/bundle-cli.mjs), need nothing of the server's configuration: no database, Slack or Jira settings.
import { CliSetupError, createApiClient, type ApiClient } from './api-client.js';

export interface ApiSettings {
  url: string;
  apiKey: string;
}

/** SHIPGATE_URL and SHIPGATE_API_KEY from `env`; throws CliSetupError naming each one missing or unusable (never echoing the key). */
export function apiSettingsFromEnv(env: NodeJS.ProcessEnv): ApiSettings {
  const url = env.SHIPGATE_URL?.trim() ?? '';
  const apiKey = env.SHIPGATE_API_KEY?.trim() ?? '';
  const missing = [
    !url && 'SHIPGATE_URL (the server, e.g. https://shipgate.example.com)',
    !apiKey && 'SHIPGATE_API_KEY (create one with `shipgate apikey create KEY`)',
  ].filter(Boolean);
  if (missing.length) throw new CliSetupError(`set ${missing.join(' and ')} in the environment`);
  const problems = [
    !isHttpUrl(url) && `SHIPGATE_URL "${url}" is not an http(s) URL; set it to the server, e.g. https://shipgate.example.com`,
    !apiKey.startsWith('sg_') &&
      'SHIPGATE_API_KEY is not a Shipgate API key (those start with sg_); create one with `shipgate apikey create KEY`',
  ].filter(Boolean);
  if (problems.length) throw new CliSetupError(problems.join('\nshipgate: '));
  return { url, apiKey };
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** The client from SHIPGATE_URL and SHIPGATE_API_KEY; throws CliSetupError naming what is missing or wrong. */
export function apiClientFromEnv(env: NodeJS.ProcessEnv = process.env): ApiClient {
  const { url, apiKey } = apiSettingsFromEnv(env);
  return createApiClient(url, apiKey);
}
