// manifest.yml must be valid against Slack's published manifest schema (vendored in ../shared).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..', '..', '..');
const schemaDir = join(root, '..', 'shared', 'vendor', 'slack-manifest-schema');

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
    settings: { interactivity: { request_url: string }; event_subscriptions: { request_url: string } };
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
    for (const url of [manifest.features.slash_commands[0]!.url, manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions.request_url]) {
      expect(new URL(url).pathname).toBe('/slack/events');
    }
  });
});
