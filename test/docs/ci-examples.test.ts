// docs/ci.md cannot drift: every code block whose info string says `test:<name>`
// is taken from the page as written. The shell and curl flows run with `sh`
// against the real server (the light CLI's bundle as `shipgate` on PATH, a stand-in `pytest`
// and `./deploy.sh`); the workflow files are parsed and their structure checked
// (reporting steps run `if: always()` / `when: always`, the gate before the deploy).
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { fixturePath } from '../helpers/fixtures.js';

const DOC = readFileSync(fileURLToPath(new URL('../../docs/ci.md', import.meta.url)), 'utf8');
const LIGHT_CLI = fileURLToPath(new URL('../../packages/cli/', import.meta.url));
const LIGHT_BIN = join(LIGHT_CLI, 'dist', 'shipgate.mjs');
const LIGHT_NAME = (JSON.parse(readFileSync(join(LIGHT_CLI, 'package.json'), 'utf8')) as { name: string }).name;
/** The install line the examples use: the light CLI by its package name. */
const INSTALL = `npm install --global ${LIGHT_NAME}`;

/** The blocks marked ```<lang> test:<name>, by name. */
function examples(markdown: string): Map<string, { lang: string; code: string }> {
  const out = new Map<string, { lang: string; code: string }>();
  for (const m of markdown.matchAll(/^```(\w+) test:([\w-]+)\n([\s\S]*?)^```$/gm)) out.set(m[2]!, { lang: m[1]!, code: m[3]! });
  return out;
}
const BLOCKS = examples(DOC);
const block = (name: string) => {
  const b = BLOCKS.get(name);
  if (!b) throw new Error(`docs/ci.md has no block marked test:${name}`);
  return b.code;
};

/** Replaces a placeholder that must occur exactly once, so a changed example fails here rather than silently. */
function fill(code: string, placeholder: string, value: string): string {
  expect(code.split(placeholder).length - 1, placeholder).toBe(1);
  return code.replace(placeholder, value);
}

interface StepLike {
  run?: string;
  uses?: string;
  if?: string;
  name?: string;
}

describe('docs/ci.md examples', () => {
  it('marks the four examples the tests run or check', () => {
    expect([...BLOCKS.keys()].sort()).toEqual(['curl', 'github-actions', 'gitlab-ci', 'shell']);
    expect(BLOCKS.get('shell')!.lang).toBe('sh');
    expect(BLOCKS.get('curl')!.lang).toBe('sh');
  });

  it('GitHub Actions: every step after the tests that installs or reports runs if: always(); deploy is gated', () => {
    const wf = parse(block('github-actions'));
    const steps: StepLike[] = wf.jobs.test.steps;
    const tests = steps.findIndex((s) => /\bnpm test\b/.test(s.run ?? ''));
    expect(tests).toBeGreaterThan(-1);
    const after = steps.slice(tests + 1);
    const install = after.find((s) => s.run === INSTALL);
    const report = after.find((s) => /^shipgate report /.test(s.run ?? ''));
    expect(install?.if).toBe('always()');
    expect(report?.if).toBe('always()');
    expect(after.indexOf(install!)).toBeLessThan(after.indexOf(report!));
    for (const s of after) expect(s.if, s.name ?? s.run).toBe('always()');

    expect(wf.jobs.deploy.needs).toBe('test');
    const deploy: StepLike[] = wf.jobs.deploy.steps;
    const gate = deploy.findIndex((s) => /(^|\n)shipgate check /.test(s.run ?? ''));
    const ship = deploy.findIndex((s) => s.run === './deploy.sh');
    expect(gate).toBeGreaterThan(-1);
    // A gate piped into the job summary must keep its own exit code.
    if (/shipgate check [^\n]*\|/.test(deploy[gate]!.run!)) expect(deploy[gate]!.run).toMatch(/^set -o pipefail\n/);
    expect(deploy.findIndex((s) => s.run === INSTALL)).toBeGreaterThan(-1);
    expect(deploy.findIndex((s) => s.run === INSTALL)).toBeLessThan(gate);
    expect(ship).toBeGreaterThan(gate);
    for (const s of deploy.slice(gate, ship + 1)) expect(s.if).toBeUndefined();
  });

  it('GitLab CI: the reports are kept and uploaded when the tests fail; deploy runs after the gate', () => {
    const ci = parse(block('gitlab-ci'));
    expect(ci.stages).toEqual(['test', 'report', 'deploy']);
    expect(ci.test.artifacts.when).toBe('always');
    expect(ci.test.artifacts.paths).toContain('reports/');
    expect(ci.report.when).toBe('always');
    expect(ci.report.needs).toEqual([{ job: 'test', artifacts: true }]);
    const report: string[] = ci.report.script;
    expect(report.indexOf(INSTALL)).toBeGreaterThan(-1);
    expect(report.indexOf(INSTALL)).toBeLessThan(report.findIndex((l) => /^shipgate report /.test(l)));
    expect(ci.deploy.when).toBeUndefined();
    const deploy: string[] = ci.deploy.script;
    expect(deploy.indexOf(INSTALL)).toBeGreaterThan(-1);
    expect(deploy.indexOf(INSTALL)).toBeLessThan(deploy.findIndex((l) => /^shipgate check /.test(l)));
    expect(deploy.findIndex((l) => /^shipgate check /.test(l))).toBeLessThan(deploy.indexOf('./deploy.sh'));
  });
});

describe(`docs/ci.md flows against a running server (${testProvider()})`, () => {
  let t: TestDatabase;
  let server: ServerProcess;
  let root: string;
  let key: string;
  let env: NodeJS.ProcessEnv;

  const sh = (code: string, cwd: string, extra: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('sh', ['-c', code], { cwd, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout, stderr }));
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startServerProcess({ DATABASE_URL: t.url, SCHEDULES: 'off' });
    const admin = { DATABASE_URL: t.url };
    expect((await runCli(['project', 'create', 'PAY', 'Payments'], admin)).code).toBe(0);
    expect((await runCli(['milestone', 'create', 'PAY', '2.4'], admin)).code).toBe(0);
    const created = await runCli(['apikey', 'create', 'PAY'], admin);
    expect(created.code).toBe(0);
    key = created.stdout.trim();

    root = mkdtempSync(join(tmpdir(), 'shipgate-docs-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    // `shipgate` as `npm install --global @shipgate/cli` puts it on PATH: the light CLI's committed bundle.
    writeFileSync(join(bin, 'shipgate'), `#!/bin/sh\nexec "${process.execPath}" "${LIGHT_BIN}" "$@"\n`);
    // `pytest --junitxml=PATH` writes the report the test chose ($PYTEST_REPORT) and fails, as a run with failures does.
    writeFileSync(
      join(bin, 'pytest'),
      '#!/bin/sh\nfor a; do case "$a" in --junitxml=*) out="${a#--junitxml=}";; esac; done\nmkdir -p "$(dirname "$out")"\ncp "$PYTEST_REPORT" "$out"\nexit 1\n',
    );
    chmodSync(join(bin, 'shipgate'), 0o755);
    chmodSync(join(bin, 'pytest'), 0o755);
    // CI variables of the machine running the tests must not reach the CLI.
    env = {
      ...cleanEnv(),
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      GITHUB_ACTIONS: '',
      GITLAB_CI: '',
      CIRCLECI: '',
      JENKINS_URL: '',
    };
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await t?.cleanup();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function shellFlow(): string {
    return fill(fill(block('shell'), 'https://shipgate.example.com', server.url), 'sg_…', key);
  }

  function workDir(name: string): string {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'deploy.sh'), '#!/bin/sh\necho deployed > deployed.txt\n');
    chmodSync(join(dir, 'deploy.sh'), 0o755);
    return dir;
  }

  it('shell: failing tests are reported, check refuses (exit 1), the digest still prints, nothing is deployed', async () => {
    const dir = workDir('failing');
    const r = await sh(shellFlow(), dir, { PYTEST_REPORT: fixturePath('junit', 'pytest.xml') });
    expect(r.stdout).toMatch(/^Uploaded 1 file to PAY\/2\.4 \(staging\): 3 passed, 2 failed, 1 skipped → run \S+ \(completed\)$/m);
    expect(r.stdout).toMatch(/^NO_GO {2}PAY\/2\.4: /m);
    expect(r.stdout).toMatch(/^Shipgate digest for PAY — /m);
    expect(r.stdout).toMatch(/^not deploying \(shipgate check exited 1\)$/m);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'deployed.txt'))).toBe(false);
    const run = await t.prisma.testRun.findFirstOrThrow({
      where: { externalId: { startsWith: 'nightly-' } },
      include: { _count: { select: { results: true } } },
    });
    expect(run.status).toBe('COMPLETED');
    expect(run._count.results).toBe(6);
  });

  it('shell: once the failures are fixed, the same flow deploys and prints the digest', async () => {
    const dir = workDir('fixed');
    const green = join(dir, 'green-pytest.xml');
    writeFileSync(green, readFileSync(fixturePath('junit', 'pytest.xml'), 'utf8').replace(/<failure[\s\S]*?<\/failure>/g, ''));
    const r = await sh(shellFlow(), dir, { PYTEST_REPORT: green });
    expect(r.stderr).not.toMatch(/shipgate:/);
    expect(r.stdout).toMatch(/^Uploaded 1 file to PAY\/2\.4 \(staging\): 5 passed, 0 failed, 1 skipped/m);
    expect(r.stdout).toMatch(/^Allowed: /m);
    expect(r.stdout).toMatch(/^Shipgate digest for PAY — /m);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'deployed.txt'), 'utf8')).toBe('deployed\n');
  });

  it('curl: opens the run, uploads, completes it and reads the verdict; exit 0', async () => {
    const dir = workDir('curl');
    mkdirSync(join(dir, 'reports'));
    copyFileSync(fixturePath('junit', 'vitest.xml'), join(dir, 'reports', 'junit.xml'));
    const r = await sh(block('curl'), dir, { SHIPGATE_URL: server.url, SHIPGATE_API_KEY: key });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const run = await t.prisma.testRun.findFirstOrThrow({
      where: { externalId: 'build-17' },
      include: { _count: { select: { results: true } } },
    });
    expect(run).toMatchObject({ name: 'build 17', status: 'COMPLETED' });
    expect(run._count.results).toBe(5);
    const lines = r.stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!).counts).toMatchObject({ passed: 3, failed: 1, skipped: 1 }); // the upload's answer
    expect(JSON.parse(lines[1]!)).toMatchObject({ id: run.id, status: 'COMPLETED' }); // the PATCH's
    expect(lines[2]).toMatch(/^"(GO|GO_WITH_RISKS|NO_GO|INSUFFICIENT_EVIDENCE)"$/); // jq '.verdict, .reasons'
  });

  it('curl: a wrong key is a visible failure with the server’s message, not exit 0; nothing is opened', async () => {
    const dir = workDir('curl-wrong-key');
    mkdirSync(join(dir, 'reports'));
    copyFileSync(fixturePath('junit', 'vitest.xml'), join(dir, 'reports', 'junit.xml'));
    const runs = await t.prisma.testRun.count();
    const r = await sh(block('curl'), dir, { SHIPGATE_URL: server.url, SHIPGATE_API_KEY: `sg_${'x'.repeat(32)}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Shipgate refused the run: \{"error":\{"code":"UNAUTHENTICATED"/);
    expect(r.stdout).toBe('');
    expect(await t.prisma.testRun.count()).toBe(runs);
  });
});
