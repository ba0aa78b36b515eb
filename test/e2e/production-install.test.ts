// The production install, for real: the Dockerfile's own steps (its `RUN sh scripts/production-install.sh …`
// lines, read from the file) pack this built clone and install the tarball into an empty directory with
// the runtime dependencies only; then `npx shipgate migrate`, the Dockerfile's CMD and its HEALTHCHECK run
// there against a SQLite file, with no TypeScript, Prisma CLI or test tooling anywhere in the install.
//
// Slow on purpose, and part of every CI run (SQLite only: nothing here depends on the database the rest
// of the suite uses). Measured on the 2-core development machine: pack 5-45 s (45 when dist/ must be
// built), install 45-90 s from the warm npm cache, 291 packages, about 200 MB. better-sqlite3 is native: where
// it cannot download its prebuilt binary (no internet here) it would compile for 3-5 minutes, so the
// test hands it the binary already compiled in this clone's node_modules (same version, same Node) the way
// a download would, through prebuild-install's local-prebuilds setting. SHIPGATE_TEST_COMPILE_NATIVE=1
// makes it compile instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  execForm,
  finalStage,
  instructionsOf,
  productionInstallSteps,
  readDockerfile,
  PRODUCTION_INSTALL_SCRIPT,
} from '../helpers/dockerfile.js';
import { cleanEnv } from '../helpers/run-cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { testProvider } from '../helpers/test-database.js';
import { waitUntil } from '../helpers/wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MINUTES = 60_000;

interface Ran {
  code: number | null;
  output: string;
  seconds: number;
}

function run(program: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, seconds: Math.round((Date.now() - started) / 100) / 10 }));
  });
}

/** Where the Dockerfile's absolute paths (/pkg, /app, /data) live in this test. */
function local(work: string, path: string): string {
  return path.startsWith('/') ? join(work, path.slice(1)) : path;
}

/**
 * A prebuilt better-sqlite3 as prebuild-install would download it (the compiled addon in a tarball named
 * for the version, Node ABI, platform and architecture), made from the one this clone compiled.
 */
function localPrebuild(work: string): string {
  const pkg = join(ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const dir = join(work, 'prebuilds');
  mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const tar = spawnSync('tar', ['-czf', join(dir, name), '-C', pkg, 'build/Release/better_sqlite3.node'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`cannot pack the compiled better-sqlite3: ${tar.stderr}`);
  return dir;
}

function installedPackages(app: string): string[] {
  const lock = JSON.parse(readFileSync(join(app, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  return Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/'));
}

function megabytes(dir: string): number {
  const du = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Math.round(Number(du.stdout.split('\t')[0]) / 1024);
}

describe.skipIf(testProvider() !== 'sqlite')('production install: the Dockerfile steps, run for real', () => {
  const docker = readDockerfile();
  const runtime = finalStage(docker);
  let work: string;
  let app: string;
  let database: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'shipgate-production-'));
    app = local(work, '/app');
    database = `file:${join(local(work, '/data'), 'shipgate.db')}`;
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) await server.stop('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it(
    `packs the built clone and installs it with runtime dependencies only (${PRODUCTION_INSTALL_SCRIPT})`,
    async () => {
      const steps = productionInstallSteps(docker);
      expect(steps.map((s) => s[0])).toEqual(['pack', 'install']);
      const env = cleanEnv();
      if (process.env.SHIPGATE_TEST_COMPILE_NATIVE !== '1') env.npm_config_better_sqlite3_local_prebuilds = localPrebuild(work);
      const report: string[] = [];
      for (const [step, ...paths] of steps) {
        const ran = await run('sh', [PRODUCTION_INSTALL_SCRIPT, step!, ...paths.map((p) => local(work, p))], { cwd: ROOT, env });
        expect(ran.code, `${step} failed:\n${ran.output}`).toBe(0);
        report.push(`${step} ${ran.seconds} s`);
      }
      // The install ends by asking the installed command its version.
      const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      expect(existsSync(join(app, 'bin', 'shipgate.js'))).toBe(true);
      expect(spawnSync(process.execPath, ['bin/shipgate.js', '--version'], { cwd: app, encoding: 'utf8' }).stdout.trim()).toBe(version);

      // Only what the server runs on: the built code, no sources, no build or test tooling.
      expect(existsSync(join(app, 'dist', 'cli', 'main.js'))).toBe(true);
      expect(existsSync(join(app, 'src'))).toBe(false);
      for (const dev of ['typescript', 'prisma', '@prisma/engines', 'vitest', 'eslint', 'tsx', '@prisma/schema-engine-wasm']) {
        expect(existsSync(join(app, 'node_modules', dev)), `${dev} is a dev dependency`).toBe(false);
      }
      for (const runtimeDep of ['@prisma/client', 'better-sqlite3', 'pg', 'express', '@slack/bolt']) {
        expect(existsSync(join(app, 'node_modules', runtimeDep, 'package.json')), `${runtimeDep} is needed at run time`).toBe(true);
      }
      const packages = installedPackages(app).length;
      expect(packages).toBeLessThan(320);
      console.log(`[production install] ${report.join(', ')}; ${packages} packages, ${megabytes(app)} MB`);
    },
    15 * MINUTES,
  );

  it('npm start needs no build and no dev dependency there (its prestart only checks dist/)', async () => {
    const ran = await run('npm', ['run', 'prestart'], { cwd: app });
    expect(ran.code, ran.output).toBe(0);
    expect(ran.output).not.toMatch(/building/);
  });

  it('`npx shipgate migrate` migrates a new SQLite file', async () => {
    const ran = await run('npx', ['--offline', 'shipgate', 'migrate'], { cwd: app, env: { ...cleanEnv(), DATABASE_URL: database } });
    expect(ran.code, ran.output).toBe(0);
    expect(ran.output).toMatch(/Applied \d+ migration\(s\) to SQLite at .*shipgate\.db/);
    expect(existsSync(join(local(work, '/data'), 'shipgate.db'))).toBe(true);
  });

  it("starts with the Dockerfile's CMD and answers /healthz and /readyz", async () => {
    const [program, ...args] = execForm(instructionsOf(runtime, 'CMD')[0]!);
    expect(program).toBe('node');
    server = await startServerProcess({ DATABASE_URL: database }, 60_000, { argv: [process.execPath, ...args], cwd: app });
    expect(server.logs()).toMatch(/database up to date/);
    let health = 0;
    let ready = 0;
    await waitUntil(
      async () => {
        health = (await fetch(`${server!.url}/healthz`)).status;
        ready = (await fetch(`${server!.url}/readyz`)).status;
        return health === 200 && ready === 200;
      },
      'healthz and readyz answer 200',
      { timeoutMs: 20_000, everyMs: 200 },
    );
    expect([health, ready]).toEqual([200, 200]);
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'ok' });
  });

  it("the Dockerfile's HEALTHCHECK passes while the server runs and fails once it stops", async () => {
    expect(server, 'the server started').toBeDefined();
    const [program, ...args] = execForm(instructionsOf(runtime, 'HEALTHCHECK')[0]!);
    expect(program).toBe('node');
    const port = new URL(server!.url).port;
    const probe = () => run(process.execPath, args, { cwd: app, env: { ...cleanEnv(), PORT: port } });
    expect((await probe()).code).toBe(0);
    expect(await server!.stop('SIGTERM')).toBe(0);
    expect((await probe()).code).toBe(1);
  });
});
