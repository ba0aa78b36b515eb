// manifest.yml must be valid against Slack's published manifest schema (copied with its licence into test/fixtures/slack-manifest-schema).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { App } from '@slack/bolt';
import { actionRoutes, exactly, registerActions } from '../../src/slack/listeners/actions/index.js';
import { registerCommands } from '../../src/slack/listeners/commands/index.js';
import { registerEvents } from '../../src/slack/listeners/events/index.js';
import { registerViews, viewRoutes } from '../../src/slack/listeners/views/index.js';
import type { SlackDeps } from '../../src/slack/slack-deps.js';
import { fixturePath, repoPath } from '../helpers/fixtures.js';
import { BOT_EVENTS, BOT_SCOPES, COMMAND, EVENTS_PATH, OAUTH_REDIRECT_PATH } from '../../src/slack/slack-paths.js';

const root = repoPath();
const schemaDir = fixturePath('slack-manifest-schema');

function validator() {
  const schema = JSON.parse(readFileSync(join(schemaDir, 'manifest.schema.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The top-level schema refers to its versioned parts by their published URLs;
  // serve those from the vendored copies (no network here).
  for (const version of ['1.0.0', '2.0.0']) {
    const part = JSON.parse(readFileSync(join(schemaDir, 'schemas', `manifest.schema.${version}.json`), 'utf8')) as Record<string, unknown>;
    ajv.addSchema(part, `https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.${version}.json`);
  }
  return ajv.compile(schema);
}

describe('manifest.yml', () => {
  const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
    features: { slash_commands: { command: string; url: string }[]; app_home: { home_tab_enabled: boolean } };
    settings: {
      interactivity: { request_url: string; is_enabled: boolean };
      event_subscriptions: { request_url: string; bot_events: string[] };
    };
    oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  };

  it("is valid against Slack's manifest schema", () => {
    const validate = validator();
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema itself rejects a broken manifest (the check can fail)', () => {
    const validate = validator();
    const invalid = JSON.parse(readFileSync(join(schemaDir, 'examples', 'v1-manifest.invalid.json'), 'utf8')) as unknown;
    expect(validate(invalid)).toBe(false);
    expect(validate({ ...manifest, display_information: {} })).toBe(false);
  });

  it('declares /milestone, interactivity and the Home tab under /slack/', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/milestone']);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    for (const url of [
      manifest.features.slash_commands[0]!.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ]) {
      expect(new URL(url).pathname).toBe('/slack/events');
    }
  });

  it('agrees with what the app registers: command, request URLs, OAuth redirect, scopes, events', () => {
    // The routing tables, run against a recorder instead of a Bolt App.
    const registered = { command: [] as string[], event: [] as string[], action: [] as string[], view: [] as string[] };
    const recorder = {
      command: (name: string) => registered.command.push(name),
      event: (name: string) => registered.event.push(name),
      action: () => undefined,
      view: () => undefined,
    } as unknown as App;
    const deps = {} as SlackDeps;
    registerCommands(recorder, deps);
    registerEvents(recorder, deps);
    registerActions(recorder, deps);
    registerViews(recorder, deps);
    registered.action = Object.keys(actionRoutes(deps));
    registered.view = Object.keys(viewRoutes(deps));

    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(registered.command);
    expect(registered.command).toEqual([COMMAND]);
    for (const url of [
      manifest.features.slash_commands[0]!.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ]) {
      expect(new URL(url).pathname).toBe(EVENTS_PATH);
    }
    expect(manifest.settings.interactivity.is_enabled).toBe(registered.action.length + registered.view.length > 0);
    expect(manifest.oauth_config.redirect_urls.map((u) => new URL(u).pathname)).toEqual([OAUTH_REDIRECT_PATH]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...registered.event].sort());
    expect(registered.event).toEqual([...BOT_EVENTS]);
    // The nudge message (built by the schedules) and the card rely on these ids.
    expect(registered.action).toEqual(
      expect.arrayContaining([
        'nudge_complete',
        'nudge_abort',
        'nudge_snooze',
        'card_refresh',
        'card_signoff',
        'card_defect',
        'card_link',
        'card_complete',
      ]),
    );
    const matcher = exactly(registered.action);
    expect(registered.action.every((id) => matcher.test(id))).toBe(true);
    expect(matcher.test('card_refresh_x')).toBe(false);
  });
});
