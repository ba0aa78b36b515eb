// The light CLI as a CI job gets it: `npm pack` packages/cli, install the tarball into an empty project with
// an empty npm cache and no network (`--offline`: there is no dependency to fetch), then run the installed
// `shipgate` — report (JUnit and CTRF), check (exit 0/1/2, the failing tests by name, json and markdown) and
// digest — against the real server as a process. The install is measured: one package, no native module.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { cleanEnv, runCli, type CliResult } from '../helpers/run-cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { fixturePath } from '../helpers/fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
// CI variables of the machine running the tests must not leak into the CLI.
const NO_CI = { GITHUB_ACTIONS: '', GITLAB_CI: '', CIRCLECI: '', JENKINS_URL: '' };

let t: TestDatabase;
let server: ServerProcess;
let tmp: string;
let project: string;
let tarball: string;
let packedFiles: string[];
let installMs: number;
let installOutput: string;
let env: Record<string, string>;

/** npm without the settings of whatever npm runs this test (npm_config_* would point it at the real cache or prefix). */
function npmEnv(): NodeJS.ProcessEnv {
  const out = cleanEnv();
  for (const key of Object.keys(out)) if (/^npm_/i.test(key)) delete out[key];
  return { ...out, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, NO_UPDATE_NOTIFIER: '1' };
}

function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The installed `shipgate`, as a CI step runs it: node_modules/.bin on PATH, node found through PATH. */
function shipgate(args: string[], extra: Record<string, string> = {}, cwd = project): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(project, 'node_modules', '.bin', 'shipgate'), args, {
      cwd,
      env: { ...npmEnv(), ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'shipgate-light-'));
  const packed = JSON.parse(
    npm(['pack', join(ROOT, 'packages', 'cli'), '--pack-destination', tmp, '--json', '--cache', join(tmp, 'pack-cache')], tmp).stdout,
  ) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp, packed[0]!.filename);
  packedFiles = packed[0]!.files.map((f) => f.path).sort();

  // A CI job's fresh checkout: a project of its own, and nothing in the npm cache.
  project = join(tmp, 'ci-job');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ci-job', private: true }));
  const started = performance.now();
  const install = npm(['install', '--offline', '--cache', join(tmp, 'empty-cache'), '--no-audit', '--no-fund', tarball], project);
  installMs = performance.now() - started;
  installOutput = install.stdout;

  t = await createTestDatabase();
  server = await startServerProcess({ DATABASE_URL: t.url, SCHEDULES: 'off' });
  const admin = { DATABASE_URL: t.url };
  expect((await runCli(['project', 'create', 'PAY', 'Payments'], admin)).code).toBe(0);
  expect((await runCli(['milestone', 'create', 'PAY', '2.4'], admin)).code).toBe(0);
  const key = await runCli(['apikey', 'create', 'PAY'], admin);
  expect(key.code).toBe(0);
  env = { SHIPGATE_URL: server.url, SHIPGATE_API_KEY: key.stdout.trim(), ...NO_CI };

  mkdirSync(join(project, 'reports'));
  copyFileSync(fixturePath('junit', 'vitest.xml'), join(project, 'reports', 'vitest.xml'));
  mkdirSync(join(project, 'ctrf'));
  copyFileSync(fixturePath('ctrf', 'jest-ctrf.json'), join(project, 'ctrf', 'report.json'));
  writeFileSync(
    join(project, 'green.xml'),
    '<testsuite name="smoke"><testcase classname="smoke" name="home page loads"/><testcase classname="smoke" name="login works"/></testsuite>',
  );
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await t?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('@shipgate/cli installed from its packed tarball', () => {
  it('packs the bundle, its notices, licence and README, and nothing else', () => {
    expect(packedFiles).toEqual(['LICENSE', 'README.md', 'THIRD_PARTY_NOTICES.md', 'dist/shipgate.mjs', 'package.json']);
  });

  it('installs offline from an empty cache as exactly one package, with no native module, in seconds', () => {
    expect(installOutput).toMatch(/added 1 package\b/);
    const modules = join(project, 'node_modules');
    expect(readdirSync(modules).filter((n) => !n.startsWith('.'))).toEqual(['@shipgate']);
    expect(readdirSync(join(modules, '@shipgate'))).toEqual(['cli']);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages).filter(Boolean)).toEqual(['node_modules/@shipgate/cli']);
    const files = filesUnder(modules);
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
    expect(realpathSync(join(modules, '.bin', 'shipgate'))).toBe(realpathSync(join(modules, '@shipgate', 'cli', 'dist', 'shipgate.mjs')));
    // lstat: the .bin link counts as a link, not as a second copy of the bundle.
    const bytes = files.reduce((sum, f) => sum + lstatSync(f).size, 0);
    // The figures for the record (the full package: 285 packages, about 213 MB, 93 s with its native build).
    console.info(`@shipgate/cli: installed in ${Math.round(installMs)} ms, ${files.length} files, ${(bytes / 1024).toFixed(0)} KB`);
    expect(bytes).toBeLessThan(1024 * 1024);
    expect(installMs).toBeLessThan(30_000);
  });

  it('npx runs it from the tarball too, without installing it into the project', () => {
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere);
    const r = npm(
      ['exec', '--offline', '--cache', join(tmp, 'npx-cache'), '--yes', '--package', tarball, '--', 'shipgate', '--version'],
      elsewhere,
    );
    expect(r.stdout.trim()).toBe(version);
  });

  it('has report, check and digest only, each with the full shipgate’s own options and help, and Shipgate’s version', async () => {
    const help = await shipgate(['--help']);
    expect(help.code).toBe(0);
    const commands = [...help.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
    expect(commands).toEqual(['report', 'check', 'digest', 'help']);
    expect((await shipgate(['--version'])).stdout.trim()).toBe(version);
    for (const command of ['report', 'check', 'digest']) {
      const light = await shipgate([command, '--help']);
      const full = await runCli([command, '--help']);
      expect(light.code).toBe(0);
      expect(light.stdout).toBe(full.stdout);
    }
    // The full shipgate keeps every command, and says the same version.
    expect((await runCli(['--version'])).stdout.trim()).toBe(version);
    const full = await runCli(['--help']);
    for (const command of ['serve', 'migrate', 'project', 'apikey', 'milestone', 'tick', 'jira', 'report', 'check', 'digest', 'doctor']) {
      expect(full.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    }
  });
});

describe('the installed shipgate against the server', () => {
  it('report: uploads JUnit and CTRF files by glob into one run and prints one summary line', async () => {
    // The server's own settings mean nothing to it: a DATABASE_URL the server would refuse is ignored.
    const r = await shipgate(
      ['report', 'reports/*.xml', 'ctrf/*.json', '--project', 'PAY', '--milestone', '2.4', '--env', 'staging', '--complete'],
      {
        DATABASE_URL: 'mysql://not-a-database-shipgate-reads',
      },
    );
    expect(r.stderr).not.toMatch(/FAILED|shipgate:/);
    expect(r.code).toBe(0);
    // vitest.xml: 3 passed, 1 failed, 1 skipped; the Jest CTRF report: 5 passed (1 flaky), 1 failed, 2 not run.
    expect(r.stdout).toMatch(
      /^Uploaded 2 files to PAY\/2\.4 \(staging\): 8 passed, 2 failed, 3 skipped, 1 flaky → run \S+ \(completed\)\n$/,
    );
    const runId = /→ run (\S+)/.exec(r.stdout)![1]!;
    expect(await t.prisma.testResult.count({ where: { runId } })).toBe(13);
    expect(await t.prisma.testRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: 'COMPLETED' });
  });

  it('report: a misspelt milestone is refused (exit 1) with the close match and the flag that creates it; nothing is created', async () => {
    const milestones = await t.prisma.milestone.count();
    const typo = await shipgate(['report', 'green.xml', '--project', 'PAY', '--milestone', '2.4.1']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/404: PAY has no milestone "2\.4\.1"\. Did you mean `PAY\/2\.4`/);
    expect(typo.stderr).toMatch(/run again with --create-milestone/);
    expect(await t.prisma.milestone.count()).toBe(milestones);
    const created = await shipgate(['report', 'green.xml', '--project', 'PAY', '--milestone', 'green', '--create-milestone', '--complete']);
    expect(created.code).toBe(0);
  });

  it('check: exit 1 on NO_GO naming the failing tests, 0 when allowed or GO, 2 on a wrong key or no settings', async () => {
    const r = await shipgate(['check', '--project', 'PAY', '--milestone', '2.4']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NO_GO {2}PAY\/2\.4: /);
    expect(r.stdout).toContain('Failing tests: 2');
    expect(r.stdout).toMatch(/^ {2}- cart\.test\.ts::cart > computes tax \[staging, since .+\]: expected 0\.30000000000000004 to be 0\.3/m);
    expect(r.stdout).toMatch(/^ {2}- .*cart totals in cents \[staging, since .+\]/m);
    expect(r.stdout).toMatch(/^Not allowed: NO_GO/m);

    expect((await shipgate(['check', '--project', 'PAY', '--milestone', '2.4', '--allow', 'NO_GO'])).code).toBe(0);
    const green = await shipgate(['check', '--project', 'PAY', '--milestone', 'green']);
    expect(green.stdout).toMatch(/^GO {2}PAY\/green: ready to ship/);
    expect(green.code).toBe(0);

    const wrongKey = await shipgate(['check', '--project', 'PAY', '--milestone', '2.4'], { SHIPGATE_API_KEY: 'sg_wrong' });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/401/);
    const unset = await shipgate(['check', '--project', 'PAY', '--milestone', '2.4'], { SHIPGATE_URL: '', SHIPGATE_API_KEY: '' });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/^shipgate: set SHIPGATE_URL .* and SHIPGATE_API_KEY .* in the environment$/m);
  });

  it('check --format json and markdown: every failing test for machines, a job summary for people; same exit codes', async () => {
    const json = await shipgate(['check', '--project', 'PAY', '--milestone', '2.4', '--format', 'json']);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ verdict: 'NO_GO', allowed: false, milestone: { name: '2.4', projectKey: 'PAY' } });
    expect(out.failingTests.total).toBe(2);
    expect(out.failingTests.tests.map((x: { title: string }) => x.title).sort()).toEqual(['cart > computes tax', 'cart totals in cents']);

    const md = await shipgate(['check', '--project', 'PAY', '--milestone', '2.4', '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^### 🔴 NO-GO: PAY\/2\.4\n/);
    expect(md.stdout).toContain('**Failing tests (2)**');
    expect(md.stdout).toMatch(/^- \*\*cart\.test\.ts::cart &gt; computes tax\*\* \(staging, since .+\): expected 0\.30000000000000004/m);
  });

  it('digest: every active milestone in text, json and markdown', async () => {
    const text = await shipgate(['digest', '--project', 'PAY']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Shipgate digest for PAY — /);
    expect(text.stdout).toMatch(/2 active milestones/);
    expect(text.stdout).toContain('PAY/2.4  —  NO_GO');
    expect(text.stdout).toContain('PAY/green  —  GO');

    const json = await shipgate(['digest', '--project', 'PAY', '--format', 'json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.milestones.map((m: { milestone: { name: string } }) => m.milestone.name).sort()).toEqual(['2.4', 'green']);

    const md = await shipgate(['digest', '--project', 'PAY', '--milestone', 'green', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## Shipgate digest for PAY\n\n.* UTC · 1 active milestone: 1 GO\n/);
  });
});
