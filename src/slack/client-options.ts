// Web API client settings shared by the Bolt app and the notifier.
// SLACK_API_URL lets tests and proxies stand in for slack.com.
import type { webApi } from '@slack/bolt';
import type { Config } from '../config.js';

export function clientOptions(config: Config): webApi.WebClientOptions {
  const url = config.slack.apiUrl;
  return {
    // The client joins method names onto this base, so it must end with a slash.
    ...(url ? { slackApiUrl: url.endsWith('/') ? url : `${url}/` } : {}),
    // A few quick retries for network blips; Slack being down for long is the
    // caller's business (the outbox retries with backoff), not a hung request.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
    timeout: 10_000,
  };
}
