// SHIPGATE_URL and SHIPGATE_API_KEY, as the CI commands (and the light @shipgate/cli) read them: what is
// missing or unusable is named with the way out, and the key itself is never echoed.
import { describe, expect, it } from 'vitest';
import { CliSetupError } from '../../src/cli/api-client.js';
import { apiClientFromEnv, apiSettingsFromEnv } from '../../src/cli/api-settings.js';

const KEY = 'sg_0123456789abcdef';

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    apiSettingsFromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(CliSetupError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('apiSettingsFromEnv', () => {
  it('takes both, trimmed', () => {
    expect(apiSettingsFromEnv({ SHIPGATE_URL: ' https://shipgate.example.com/ ', SHIPGATE_API_KEY: `${KEY}\n` })).toEqual({
      url: 'https://shipgate.example.com/',
      apiKey: KEY,
    });
    expect(apiClientFromEnv({ SHIPGATE_URL: 'http://127.0.0.1:3000//', SHIPGATE_API_KEY: KEY }).baseUrl).toBe('http://127.0.0.1:3000');
  });

  it('names what is missing (empty counts as missing), each with where it comes from', () => {
    expect(refusal({})).toBe(
      'set SHIPGATE_URL (the server, e.g. https://shipgate.example.com) and SHIPGATE_API_KEY (create one with `shipgate apikey create KEY`) in the environment',
    );
    expect(refusal({ SHIPGATE_URL: 'https://s.example', SHIPGATE_API_KEY: '  ' })).toMatch(/^set SHIPGATE_API_KEY \(/);
    expect(refusal({ SHIPGATE_API_KEY: KEY })).toMatch(/^set SHIPGATE_URL \(.*\) in the environment$/);
  });

  it('refuses a URL that is not http(s) and a key that is not a Shipgate key, without echoing the key', () => {
    expect(refusal({ SHIPGATE_URL: 'shipgate.example.com', SHIPGATE_API_KEY: KEY })).toBe(
      'SHIPGATE_URL "shipgate.example.com" is not an http(s) URL; set it to the server, e.g. https://shipgate.example.com',
    );
    expect(refusal({ SHIPGATE_URL: 'ftp://shipgate.example.com', SHIPGATE_API_KEY: KEY })).toMatch(/not an http\(s\) URL/);
    const secret = 'ghp_not-a-shipgate-key';
    const both = refusal({ SHIPGATE_URL: 'nope', SHIPGATE_API_KEY: secret });
    expect(both.split('\n')).toEqual([
      'SHIPGATE_URL "nope" is not an http(s) URL; set it to the server, e.g. https://shipgate.example.com',
      'shipgate: SHIPGATE_API_KEY is not a Shipgate API key (those start with sg_); create one with `shipgate apikey create KEY`',
    ]);
    expect(both).not.toContain(secret);
  });
});
