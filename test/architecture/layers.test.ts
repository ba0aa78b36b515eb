// The direction of imports between the folders of src/, as CONTRIBUTING.md
// describes it: edges (Slack, HTTP API, CLI, schedules, Jira) call use cases;
// use cases call the domain and the database; the domain and the message
// builders call nothing with side effects. A new import against the grain
// fails here with the file and the line to look at.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../helpers/fixtures.js';

const src = repoPath('src');

/** What each area of src/ may import (besides itself and npm packages). `*` is anything. */
const ALLOWED: Record<string, string[] | '*'> = {
  domain: [],
  junit: [],
  ctrf: ['junit'],
  charts: ['domain'],
  logger: [],
  config: ['db', 'domain'],
  db: ['domain'],
  notify: ['logger'],
  services: ['db', 'domain', 'junit', 'ctrf', 'config'],
  messages: ['domain', 'services', 'charts'],
  http: ['logger'],
  'app-deps': ['config', 'db', 'logger', 'notify', 'services'],
  jira: ['app-deps', 'config', 'db', 'domain', 'logger', 'messages', 'notify', 'services'],
  jobs: ['app-deps', 'charts', 'config', 'db', 'domain', 'jira', 'logger', 'messages', 'notify', 'services'],
  api: ['app-deps', 'config', 'db', 'domain', 'junit', 'logger', 'services'],
  slack: ['app-deps', 'config', 'db', 'domain', 'logger', 'messages', 'notify', 'services'],
  pages: ['app-deps', 'charts', 'config', 'db', 'domain', 'logger', 'messages', 'services'],
  cli: '*',
  main: '*',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'generated') return [];
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The area a file of src/ belongs to: its top folder, or its file name for files at the top. */
function areaOf(path: string): string {
  const [first, ...rest] = relative(src, path).split(sep);
  return rest.length ? first! : first!.replace(/\.ts$/, '');
}

interface Violation {
  file: string;
  line: number;
  imports: string;
}

function violations(): Violation[] {
  const out: Violation[] = [];
  for (const file of files(src)) {
    const from = areaOf(file);
    const allowed = ALLOWED[from];
    if (allowed === '*') continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)) {
        const target = resolve(dirname(file), m[1]!);
        if (!target.startsWith(src + sep)) continue;
        const to = areaOf(target.replace(/\.js$/, '.ts'));
        if (to === from || allowed?.includes(to)) continue;
        out.push({ file: relative(src, file), line: i + 1, imports: `${to} (${m[1]})` });
      }
    });
  }
  return out;
}

describe('the layers of src/', () => {
  it('every area of src/ is in the table', () => {
    const areas = new Set(files(src).map(areaOf));
    expect([...areas].filter((a) => !(a in ALLOWED))).toEqual([]);
  });

  it('imports only go the allowed way (domain pure, nothing but the edges imports Slack, Jira never imports the jobs)', () => {
    expect(violations()).toEqual([]);
  });
});
