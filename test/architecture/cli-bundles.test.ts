// The light CLI (@shipgate/cli, packages/cli) is one committed file that scripts/bundle-cli.mjs builds from
// src/cli/light-main.ts. It must be current, carry no server code (database, configuration, Slack, Jira,
// services) and no database driver or native module, need no package at run time, and ship the licences of
// what it bundles. test/e2e/light-cli.test.ts installs and runs it; test/e2e/github-action.test.ts holds the
// Action's bundle to the same.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');

/** The sources a bundle holds, from the `// path` comment esbuild puts before each module. */
function bundledSources(bundle: string): string[] {
  return [...new Set(bundle.match(/^\/\/ (src|node_modules)\/\S+$/gm)?.map((line) => line.slice(3)) ?? [])].sort();
}

const packageOf = (path: string) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];

describe('the light CLI bundle (packages/cli/dist/shipgate.mjs)', () => {
  const bundle = read('packages', 'cli', 'dist', 'shipgate.mjs');
  const sources = bundledSources(bundle);

  it('is what src/cli/light-main.ts builds to (run `npm run bundle:cli` when not), with its notices and licence', () => {
    const check = spawnSync(process.execPath, ['scripts/bundle-cli.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    expect(read('packages', 'cli', 'LICENSE')).toBe(read('LICENSE'));
  });

  it('holds the CI commands and the code they share with the Action, and nothing of the server', () => {
    expect(sources).toContain('src/cli/light-main.ts');
    expect(sources).toEqual(
      expect.arrayContaining(['src/cli/commands/report.ts', 'src/cli/commands/check.ts', 'src/cli/commands/digest.ts']),
    );
    for (const source of sources.filter((s) => s.startsWith('src/'))) expect(source).toMatch(/^src\/(cli|domain|messages)\//);
    for (const admin of ['serve', 'migrate', 'project', 'apikey', 'milestone', 'tick', 'jira', 'doctor']) {
      expect(sources).not.toContain(`src/cli/commands/${admin}.ts`);
    }
    expect(sources.filter((s) => /^src\/cli\/(run-command|database-choice|format-admin)\.ts$/.test(s))).toEqual([]);
  });

  it('bundles only small pure-JavaScript packages, each named with its licence in THIRD_PARTY_NOTICES.md', () => {
    const packages = [...new Set(sources.map(packageOf).filter(Boolean))].sort();
    expect(packages).toEqual(['commander', 'fdir', 'p-limit', 'picomatch', 'tinyglobby', 'yocto-queue']);
    const notices = read('packages', 'cli', 'THIRD_PARTY_NOTICES.md');
    for (const name of packages) {
      const { version, license } = JSON.parse(read('node_modules', name!, 'package.json')) as { version: string; license: string };
      expect(notices).toContain(`## ${name} ${version} (${license})`);
    }
    // The text of each licence, not only its name: MIT asks for the copyright notice itself.
    expect(notices).toContain('Copyright (c) 2011 TJ Holowaychuk');
  });

  it('imports nothing but Node’s own modules at run time, and starts as an executable ES module', () => {
    expect(bundle.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const imports = [...bundle.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1]!);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports)
      expect(specifier).toMatch(/^(node:)?(fs|path|url|module|events|child_process|process|os|fs\/promises)$/);
    expect(bundle).not.toMatch(/\brequire\(["'](?!node:)[^"']+["']\)/);
  });

  it('the bundle script refuses server code, naming the import that pulls it in (the full CLI, bundled as if light)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { bundle } from './scripts/bundle.mjs'; await bundle({ entry: 'src/cli/main.ts', outfile: 'out/refused.mjs', banner: '', notFor: 'the light CLI' });",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('src/cli/run-command.ts imports src/config.ts: the light CLI must carry no server code');
    expect(r.stderr).toMatch(/src\/cli\/run-command\.ts imports src\/db\//);
    expect(r.stderr).toMatch(/src\/cli\/commands\/tick\.ts imports src\/slack\//);
  });
});

describe('the @shipgate/cli package (packages/cli/package.json)', () => {
  const pkg = JSON.parse(read('packages', 'cli', 'package.json')) as Record<string, unknown>;
  const root = JSON.parse(read('package.json')) as { version: string; engines: unknown; license: string };

  it('is @shipgate/cli at Shipgate’s version, with a shipgate bin, the same engines and licence, and no dependency', () => {
    expect(pkg).toMatchObject({
      name: '@shipgate/cli',
      version: root.version,
      license: root.license,
      type: 'module',
      engines: root.engines,
      bin: { shipgate: 'dist/shipgate.mjs' },
    });
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'scripts']) {
      expect(pkg[field], field).toBeUndefined();
    }
    expect(pkg.files).toEqual(['dist/shipgate.mjs', 'THIRD_PARTY_NOTICES.md']);
    expect(read('packages', 'cli', 'README.md')).toMatch(/npm install --global @shipgate\/cli/);
  });
});
