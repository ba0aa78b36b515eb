// The Dockerfile cannot be built here (no Docker engine), so this holds it to what it promises: its
// install steps are exactly scripts/production-install.sh's, which test/e2e/production-install.test.ts
// runs; the rest is a non-root runtime with a health check, a data volume and the server's port.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  baseImage,
  execForm,
  finalStage,
  instructionsOf,
  productionInstallSteps,
  readDockerfile,
  PRODUCTION_INSTALL_SCRIPT,
} from '../helpers/dockerfile.js';

const ROOT = new URL('../../', import.meta.url);
const docker = readDockerfile();
const runtime = finalStage(docker);

function envOf(args: string[]): Record<string, string> {
  const pairs = args.flatMap((a) => a.split(/\s+/));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

describe('Dockerfile', () => {
  it('runs no step but the scripted production install, its npm ci and the data folder', () => {
    const runs = docker.stages.flatMap((s) => instructionsOf(s, 'RUN'));
    expect(runs).toEqual([
      'npm ci --no-audit --no-fund',
      `sh ${PRODUCTION_INSTALL_SCRIPT} pack /pkg`,
      `sh ${PRODUCTION_INSTALL_SCRIPT} install /pkg /app`,
      'mkdir -p /data && chown node:node /data',
    ]);
    // The e2e test runs exactly these, and the script knows each one.
    const steps = productionInstallSteps(docker);
    expect(steps).toEqual([
      ['pack', '/pkg'],
      ['install', '/pkg', '/app'],
    ]);
    const script = readFileSync(new URL(PRODUCTION_INSTALL_SCRIPT, ROOT), 'utf8');
    for (const [step] of steps) expect(script).toMatch(new RegExp(`^${step}\\)$`, 'm'));
  });

  it('is multi-stage: builds with the dev dependencies, runs on the slim image of the same Node with the installed app only', () => {
    expect(docker.stages.map((s) => s.name)).toEqual(['build', 'install', undefined]);
    const [build, install] = docker.stages;
    expect(baseImage(docker, build!)).toMatch(/^node:\d+-bookworm$/);
    expect(baseImage(docker, install!)).toBe(baseImage(docker, build!));
    expect(baseImage(docker, runtime)).toBe(`${baseImage(docker, build!)}-slim`);
    expect(instructionsOf(install!, 'COPY')).toContain('--from=build /pkg /pkg');
    expect(instructionsOf(runtime, 'COPY')).toEqual(['--from=install /app /app']);
    expect(instructionsOf(runtime, 'WORKDIR')).toEqual(['/app']);
  });

  it('runs as a user other than root', () => {
    const users = instructionsOf(runtime, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
  });

  it('exposes the port the server listens on and keeps the SQLite database on the volume, writable by that user', () => {
    const env = envOf(instructionsOf(runtime, 'ENV'));
    expect(instructionsOf(runtime, 'EXPOSE')).toEqual([env.PORT]);
    expect(Number(env.PORT)).toBe(loadConfig({}).port);
    const config = loadConfig({ DATABASE_URL: env.DATABASE_URL });
    expect(config.database.provider).toBe('sqlite');
    const volumes = instructionsOf(runtime, 'VOLUME');
    expect(volumes).toEqual(['/data']);
    expect(config.database.provider === 'sqlite' && config.database.file).toBe('/data/shipgate.db');
    expect(instructionsOf(runtime, 'RUN')).toContain(`mkdir -p /data && chown ${instructionsOf(runtime, 'USER')[0]}:node /data`);
  });

  it('checks health on /healthz at the configured port, and starts the server', () => {
    const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/--interval=\S+ .*CMD \[/);
    const probe = execForm(healthcheck!);
    expect(probe.slice(0, 2)).toEqual(['node', '-e']);
    expect(probe[2]).toContain('${process.env.PORT}/healthz');
    expect(execForm(instructionsOf(runtime, 'CMD')[0]!)).toEqual(['node', 'bin/shipgate.js', 'serve']);
  });

  it('.dockerignore leaves out what is installed, built or secret', () => {
    const ignored = readFileSync(new URL('.dockerignore', ROOT), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const path of ['.git', 'node_modules', 'dist', 'data', '.env', 'src/db/generated']) expect(ignored).toContain(path);
  });

  it('the README says the Dockerfile and the tested install are the same steps', () => {
    const readme = readFileSync(fileURLToPath(new URL('README.md', ROOT)), 'utf8');
    expect(readme).toContain(PRODUCTION_INSTALL_SCRIPT);
    expect(readme).toContain('test/e2e/production-install.test.ts');
  });
});
