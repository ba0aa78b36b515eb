// The GitHub Action as GitHub runs it: `node action/dist/index.mjs` (the committed bundle) with the
// INPUT_* variables the runner sets (upper-cased names, hyphens kept, action.yml's defaults filled in),
// GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files, against the real server as a process.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { cleanEnv, runCli } from '../helpers/run-cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { fixturePath } from '../helpers/fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ActionYaml {
  runs: { using: string; main: string };
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
}
const actionYaml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;

interface ActionRun {
  code: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

let t: TestDatabase;
let server: ServerProcess;
let dir: string;
let apiKey: string;
let step = 0;

/** Runs the bundled Action once, as a GitHub runner would: `with:` values on top of action.yml's defaults. */
function runAction(withInputs: Record<string, string>): Promise<ActionRun> {
  step++;
  const summaryFile = join(dir, `summary-${step}.md`);
  const outputFile = join(dir, `output-${step}.txt`);
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(actionYaml.inputs)) inputs[`INPUT_${name.toUpperCase()}`] = spec.default ?? '';
  for (const [name, value] of Object.entries(withInputs)) inputs[`INPUT_${name.toUpperCase()}`] = value;
  const env = {
    ...cleanEnv(),
    ...inputs,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/payments',
    GITHUB_RUN_ID: String(9000 + step),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: String(step),
    GITHUB_WORKFLOW: 'CI',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, actionYaml.runs.main)], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => {
      const outputs = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      resolve({ code, stdout, summary: readFileSync(summaryFile, 'utf8'), outputs });
    });
  });
}

const base = () => ({ url: server.url, 'api-key': apiKey, project: 'PAY' });

beforeAll(async () => {
  t = await createTestDatabase();
  server = await startServerProcess({ DATABASE_URL: t.url, SCHEDULES: 'off' });
  expect((await runCli(['project', 'create', 'PAY', 'Payments'], { DATABASE_URL: t.url })).code).toBe(0);
  const key = await runCli(['apikey', 'create', 'PAY'], { DATABASE_URL: t.url });
  expect(key.code).toBe(0);
  apiKey = key.stdout.trim();
  dir = mkdtempSync(join(tmpdir(), 'shipgate-action-'));
  mkdirSync(join(dir, 'reports'));
  copyFileSync(fixturePath('junit', 'vitest.xml'), join(dir, 'reports', 'vitest.xml'));
  writeFileSync(
    join(dir, 'reports', 'smoke.xml'),
    '<testsuite name="smoke"><testcase classname="smoke" name="home page loads"/><testcase classname="smoke" name="login works"/></testsuite>',
  );
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await t?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('action.yml and its bundle', () => {
  it('runs the committed bundle on node20 and declares exactly the inputs the code reads', () => {
    expect(actionYaml.runs).toEqual({ using: 'node20', main: 'action/dist/index.mjs' });
    expect(Object.keys(actionYaml.inputs).sort()).toEqual(
      ['allow', 'api-key', 'complete', 'create-milestone', 'environment', 'files', 'gate', 'milestone', 'project', 'url'].sort(),
    );
    for (const name of ['url', 'api-key', 'project', 'milestone']) expect(actionYaml.inputs[name]!.required).toBe(true);
    expect(Object.keys(actionYaml.outputs).sort()).toEqual(['allowed', 'run-id', 'verdict']);
  });

  it('the committed bundle and its notices are what src/cli/github-action.ts builds to (run `npm run bundle:action` when not)', () => {
    const check = spawnSync(process.execPath, ['scripts/bundle-action.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    // No database driver, configuration or commander: the Action makes HTTP calls only.
    const bundle = readFileSync(join(ROOT, actionYaml.runs.main), 'utf8');
    expect(bundle.match(/^\/\/ (src|node_modules)\/\S+$/gm)?.length).toBeGreaterThan(10);
    expect(bundle.match(/^\/\/ (src\/db|src\/config|node_modules\/(better-sqlite3|pg|@prisma|commander))\S*$/gm)).toBeNull();
    // The licence of every npm package inside it travels with it.
    const notices = readFileSync(join(ROOT, 'action', 'dist', 'THIRD_PARTY_NOTICES.md'), 'utf8');
    const packages = new Set([...bundle.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/\s]+)\//gm)].map((m) => m[1]!));
    expect([...packages].sort()).toEqual(['fdir', 'picomatch', 'tinyglobby']);
    for (const name of packages) expect(notices).toMatch(new RegExp(`^## ${name} \\S+ \\(MIT\\)$`, 'm'));
  });
});

describe('the Action against the server', () => {
  it('uploads the reports, gates, fails the step on a NO-GO, and writes the job summary and outputs', async () => {
    const r = await runAction({
      ...base(),
      milestone: '2.4',
      environment: 'staging',
      files: 'reports/*.xml\n',
      'create-milestone': 'true',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Uploaded 2 files to PAY\/2\.4 \(staging\): 5 passed, 1 failed, 1 skipped → run \S+ \(completed\)$/m);
    expect(r.stdout).toMatch(/^::error title=Shipgate::PAY\/2\.4 is NO_GO: it does not pass this gate$/m);
    expect(r.stdout).toContain(`::add-mask::${apiKey}`);
    expect(r.outputs.verdict).toBe('NO_GO');
    expect(r.outputs.allowed).toBe('false');
    expect(r.outputs['run-id']).toMatch(/\S+/);
    expect(r.summary).toMatch(/^### 🔴 Shipgate: PAY\/2\\\.4 is NO GO$/m);
    expect(r.summary).toContain('**Not allowed**: NO_GO does not pass this gate (allow it with `allow: NO_GO`).');
    expect(r.summary).toMatch(/^- \*\*blocker\*\* .+$/m);
    expect(r.summary).toContain('**Upload**: Uploaded 2 files to PAY/2\\.4 \\(staging\\)');
    // The run is named after the GitHub build and links back to it.
    const run = (await (
      await fetch(`${server.url}/api/projects/PAY/test-runs/${r.outputs['run-id']}`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).json()) as { name: string; url: string; status: string };
    expect(run.name).toBe('CI #1');
    expect(run.url).toBe('https://github.com/acme/payments/actions/runs/9001');
    expect(run.status).toBe('COMPLETED');
  });

  it('passes the step when the verdict is allowed, gating only (no files)', async () => {
    const r = await runAction({ ...base(), milestone: '2.4', allow: 'GO_WITH_RISKS, NO_GO' });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/::error/);
    expect(r.outputs).toEqual({ verdict: 'NO_GO', allowed: 'true' });
    expect(r.summary).toContain('**Allowed**: NO_GO passes this gate.');
    expect(r.summary).not.toContain('**Upload**');
  });

  it('uploads without gating when gate is false, and fails the step on a broken report', async () => {
    writeFileSync(join(dir, 'broken.xml'), '<testsuite name="x"><testcase name="a"></testsuite>');
    const r = await runAction({ ...base(), milestone: '2.4', files: 'broken.xml', gate: 'false' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error title=Shipgate::upload failed: Uploaded 0 of 1 file to PAY\/2\.4; FAILED: broken\.xml/m);
    expect(r.outputs.verdict).toBeUndefined();
    expect(r.summary).toContain('Files not stored: broken\\.xml');
  });

  it('refuses a misspelt milestone unless create-milestone is true, and says so in the summary', async () => {
    const r = await runAction({ ...base(), milestone: '2.5', files: 'reports/smoke.xml' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error title=Shipgate::the server answered 404: .*2\.5/m);
    // The way out is the Action's own input, not the CLI's flag.
    expect(r.stdout).toMatch(/^::error title=Shipgate::.*%0ATo create milestone "2\.5", set the input create-milestone: true\.$/m);
    expect(r.stdout).not.toContain('--create-milestone');
    expect(r.summary).toMatch(/\*\*Error\*\*: the server answered 404/);
    expect(r.summary).toContain('To create milestone "2\\.5", set the input create\\-milestone\\: true\\.');
    expect(r.summary).not.toContain('\\-\\-create\\-milestone');
    const list = (await (
      await fetch(`${server.url}/api/projects/PAY/milestones`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).json()) as {
      items?: { name: string }[];
    };
    expect(JSON.stringify(list)).not.toContain('"2.5"');
  });

  it("fails the step with the server's words on a wrong key, and on a missing input before any request", async () => {
    const wrongKey = await runAction({ ...base(), 'api-key': 'sg_wrong', milestone: '2.4' });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(/^::error title=Shipgate::the server answered 401/m);
    const missing = await runAction({ ...base(), project: '', milestone: '2.4' });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^::error title=Shipgate::input project is required$/m);
    expect(missing.summary).toBe('');
  });
});
