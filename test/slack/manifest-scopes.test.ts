// The manifest asks for exactly the scopes the code uses: the Web API methods
// called anywhere in src/ (client.<family>.<method>(…), filesUploadV2,
// apiCall('…')) are mapped to the scopes Slack documents for them, and the
// union must equal manifest.yml's bot scopes and BOT_SCOPES. Each scope's
// comment in the manifest must name what it is for.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, isSeq, isScalar } from 'yaml';
import { BOT_SCOPES } from '../../src/slack/slack-paths.js';
import { repoPath } from '../helpers/fixtures.js';

/**
 * Bot scopes per Web API method (docs.slack.dev/reference/methods). Methods that
 * need none are listed with []. chat.postMessage also carries chat:write.public
 * because Shipgate posts digests and reminders to public channels it was never
 * invited to.
 */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'views.open': [],
  'views.update': [],
  'views.publish': [],
  'auth.test': [],
  'files.uploadV2': ['files:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.join': ['channels:join'],
  'conversations.open': ['im:write'],
  'users.info': ['users:read'],
  'usergroups.users.list': ['usergroups:read'],
};

/** Scopes that come from a feature rather than a method call. */
const FEATURE_SCOPES: Record<string, (manifest: Manifest) => boolean> = {
  commands: (m) => (m.features.slash_commands ?? []).length > 0,
};

interface Manifest {
  features: { slash_commands?: unknown[] };
  oauth_config: { scopes: { bot: string[] } };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every Web API method the code calls, with where. */
export function calledMethods(root = repoPath('src')): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (method: string, where: string) => found.set(method, [...(found.get(method) ?? []), where]);
  for (const file of sourceFiles(root)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      const where = `${relative(repoPath(), file)}:${i + 1}`;
      for (const m of line.matchAll(
        /\b(?:client|webClient)\.(chat|views|files|conversations|users|auth|im|reactions|team|usergroups)\.(\w+(?:\.\w+)?)\(/g,
      ))
        add(`${m[1]}.${m[2]}`, where);
      if (/\.filesUploadV2\(/.test(line)) add('files.uploadV2', where);
      for (const m of line.matchAll(/\.apiCall\(\s*['"]([\w.]+)['"]/g)) add(m[1]!, where);
    });
  }
  return found;
}

describe('manifest scopes = the scopes the code uses', () => {
  const manifestText = readFileSync(repoPath('manifest.yml'), 'utf8');
  const manifest = parse(manifestText) as Manifest;

  it('finds the calls it maps (the scan can fail)', () => {
    const calls = calledMethods();
    expect([...calls.keys()]).toEqual(expect.arrayContaining(['chat.postMessage', 'views.open', 'files.uploadV2']));
  });

  it('every method called has a known scope, and the union equals the manifest and BOT_SCOPES', () => {
    const calls = calledMethods();
    const unknown = [...calls.keys()].filter((m) => !(m in METHOD_SCOPES));
    expect(unknown, `add these to METHOD_SCOPES: ${unknown.map((m) => `${m} (${calls.get(m)!.join(', ')})`).join('; ')}`).toEqual([]);
    const needed = new Set([...calls.keys()].flatMap((m) => METHOD_SCOPES[m]!));
    for (const [scope, used] of Object.entries(FEATURE_SCOPES)) if (used(manifest)) needed.add(scope);
    const asked = [...manifest.oauth_config.scopes.bot].sort();
    expect(asked, 'manifest.yml oauth_config.scopes.bot').toEqual([...needed].sort());
    expect([...BOT_SCOPES].sort(), 'BOT_SCOPES in src/slack/slack-paths.ts').toEqual([...needed].sort());
  });

  it('each scope has a comment that names a method or feature the code uses', () => {
    const doc = parseDocument(manifestText);
    const bot = doc.getIn(['oauth_config', 'scopes', 'bot'], true);
    expect(isSeq(bot)).toBe(true);
    const calls = calledMethods();
    for (const [i, item] of (isSeq(bot) ? bot.items : []).entries()) {
      if (!isScalar(item)) continue;
      const scope = String(item.value);
      // The comment above the first item belongs to the list in the YAML tree.
      const comment = item.commentBefore ?? (i === 0 && isSeq(bot) ? (bot.commentBefore ?? '') : '');
      expect(comment.trim().length, `${scope} has no comment`).toBeGreaterThan(10);
      const methods = [...calls.keys()].filter((m) => METHOD_SCOPES[m]!.includes(scope));
      // The comment names the method (or /milestone for `commands`), so it cannot describe a use that does not exist.
      const named = scope === 'commands' ? comment.includes('/milestone') : methods.some((m) => comment.includes(m));
      expect(named, `the comment of ${scope} names none of ${methods.join(', ')}: "${comment.trim()}"`).toBe(true);
    }
  });
});
