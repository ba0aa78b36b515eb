// The CI path end to end: the real server as a process, and the built CLI's
// `report`, `check` and `digest` against it, as a pipeline would run them.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';
import { createApiKey } from '../../src/services/create-api-key.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { fixturePath } from '../helpers/fixtures.js';

const fixtures = fixturePath('junit');
// Counts of the fixtures (asserted on their own in test/junit and test/services).
const PYTEST = { passed: 3, failed: 2, skipped: 1 };
const VITEST = { passed: 3, failed: 1, skipped: 1 };
const NESTED = { passed: 3, failed: 1, skipped: 1 };
// CI variables of the machine running the tests must not leak into the CLI.
const NO_CI = { GITHUB_ACTIONS: '', GITLAB_CI: '', CIRCLECI: '', JENKINS_URL: '' };

let t: TestDatabase;
let server: ServerProcess;
let dir: string;
let env: Record<string, string>;
let adminKey = '';
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { ...env, ...extra }, dir);

beforeAll(async () => {
  t = await createTestDatabase();
  server = await startServerProcess({ DATABASE_URL: t.url, SCHEDULES: 'off' });
  expect((await runCli(['project', 'create', 'PAY', 'Payments'], { DATABASE_URL: t.url })).code).toBe(0);
  const key = await runCli(['apikey', 'create', 'PAY'], { DATABASE_URL: t.url });
  expect(key.code).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'shipgate-ci-'));
  mkdirSync(join(dir, 'reports', 'unit'), { recursive: true });
  mkdirSync(join(dir, 'reports', 'e2e'), { recursive: true });
  copyFileSync(join(fixtures, 'pytest.xml'), join(dir, 'reports', 'unit', 'pytest.xml'));
  copyFileSync(join(fixtures, 'vitest.xml'), join(dir, 'reports', 'unit', 'vitest.xml'));
  copyFileSync(join(fixtures, 'nested-suites.xml'), join(dir, 'reports', 'e2e', 'nested.xml'));
  writeFileSync(
    join(dir, 'green.xml'),
    '<testsuite name="smoke"><testcase classname="smoke" name="home page loads"/><testcase classname="smoke" name="login works"/></testsuite>',
  );
  writeFileSync(join(dir, 'broken.xml'), '<testsuite name="x"><testcase name="a"></testsuite>');
  mkdirSync(join(dir, 'ctrf'));
  copyFileSync(fixturePath('ctrf', 'jest-ctrf.json'), join(dir, 'ctrf', 'report.json'));
  writeFileSync(join(dir, 'broken-too.xml'), '<testsuite name="y"><testcase name="b">');
  env = { SHIPGATE_URL: server.url, SHIPGATE_API_KEY: key.stdout.trim(), ...NO_CI };
  // The pipeline's key is a report key; completing a milestone is an admin's call.
  const workspace = await t.prisma.workspace.findFirstOrThrow();
  adminKey = (await createApiKey(t, { workspaceId: workspace.id, projectKey: 'PAY', scope: 'admin' })).key;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await t?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('shipgate report', () => {
  it('uploads every file a glob matches into one run and prints one summary line', async () => {
    const r = await cli([
      'report',
      'reports/**/*.xml',
      '--project',
      'PAY',
      '--milestone',
      '2.4',
      '--env',
      'staging',
      '--external-id',
      'build-17',
      '--create-milestone',
      '--complete',
    ]);
    expect(r.stderr).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
    const passed = PYTEST.passed + VITEST.passed + NESTED.passed;
    const failed = PYTEST.failed + VITEST.failed + NESTED.failed;
    const skipped = PYTEST.skipped + VITEST.skipped + NESTED.skipped;
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^Uploaded 3 files to PAY/2\\.4 \\(staging\\): ${passed} passed, ${failed} failed, ${skipped} skipped → run (\\S+) \\(completed\\)\\n$`,
      ),
    );
    // Not a terminal: one plain progress line per file on stderr.
    expect(r.stderr.trim().split('\n')).toHaveLength(3);

    const runId = /→ run (\S+)/.exec(r.stdout)![1]!;
    const run = await t.prisma.testRun.findUniqueOrThrow({ where: { id: runId }, include: { milestone: true, environment: true } });
    expect(run).toMatchObject({ status: 'COMPLETED', externalId: 'build-17', source: 'CI' });
    expect(run.milestone!.name).toBe('2.4');
    expect(run.environment!.name).toBe('staging');
    expect(await t.prisma.testResult.count({ where: { runId } })).toBe(passed + failed + skipped);

    // The same build again: the same run, nothing duplicated.
    const again = await cli([
      'report',
      'reports/**/*.xml',
      '--project',
      'PAY',
      '--milestone',
      '2.4',
      '--env',
      'staging',
      '--external-id',
      'build-17',
    ]);
    expect(again.code).toBe(0);
    expect(/→ run (\S+)/.exec(again.stdout)![1]).toBe(runId);
    expect(await t.prisma.testResult.count({ where: { runId } })).toBe(passed + failed + skipped);
    expect(await t.prisma.testRun.count({ where: { externalId: 'build-17' } })).toBe(1);
  });

  it('detects a CTRF JSON report by its content and uploads it beside JUnit files', async () => {
    const r = await cli(['report', 'green.xml', 'ctrf/report.json', '--project', 'PAY', '--milestone', 'ctrf', '--create-milestone']);
    expect(r.stderr).not.toMatch(/FAILED/);
    expect(r.code).toBe(0);
    // green.xml: 2 passed; the jest CTRF report: 5 passed (1 flaky), 1 failed, 2 not run.
    expect(r.stdout).toMatch(/^Uploaded 2 files to PAY\/ctrf: 7 passed, 1 failed, 2 skipped, 1 flaky → run \S+\n$/);
    const runId = /→ run (\S+)/.exec(r.stdout)![1]!;
    expect(await t.prisma.testResult.count({ where: { runId } })).toBe(10);
    expect(await t.prisma.testResult.count({ where: { runId, flaky: true, attempts: 2 } })).toBe(1);
  });

  it('derives the run from the CI build on GitHub Actions', async () => {
    const gh = {
      GITHUB_ACTIONS: 'true',
      GITHUB_RUN_ID: '991',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_RUN_NUMBER: '42',
      GITHUB_WORKFLOW: 'CI',
      GITHUB_REPOSITORY: 'acme/pay',
      GITHUB_SERVER_URL: 'https://github.com',
    };
    const r = await cli(['report', 'green.xml', '--project', 'PAY', '--milestone', 'smoke', '--create-milestone'], gh);
    expect(r.code).toBe(0);
    const run = await t.prisma.testRun.findUniqueOrThrow({ where: { id: /→ run (\S+)/.exec(r.stdout)![1]! } });
    expect(run).toMatchObject({
      name: 'CI #42',
      url: 'https://github.com/acme/pay/actions/runs/991',
      externalId: 'github:acme/pay:991:1:smoke:',
    });
  });

  it('fails (exit 1) when a file is refused, still uploading the others, and leaves the run open; counts only the stored files', async () => {
    const r = await cli([
      'report',
      'broken.xml',
      'green.xml',
      '--project',
      'PAY',
      '--milestone',
      'mixed',
      '--create-milestone',
      '--complete',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.xml: FAILED — the server answered 400: .*Line 1/);
    expect(r.stdout).toMatch(
      /^Uploaded 1 of 2 files to PAY\/mixed: 2 passed, 0 failed, 0 skipped; FAILED: broken\.xml → run \S+ \(left in progress because an upload failed\)\n$/,
    );
    const run = await t.prisma.testRun.findFirstOrThrow({ where: { milestone: { name: 'mixed' } } });
    expect(run.status).toBe('IN_PROGRESS');
    expect(await t.prisma.testResult.count({ where: { runId: run.id } })).toBe(2);
  });

  it('aborts the run it opened when every file was refused, so no empty run is left in progress', async () => {
    const r = await cli(['report', 'broken.xml', 'broken-too.xml', '--project', 'PAY', '--milestone', 'all bad', '--create-milestone']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^Uploaded 0 of 2 files to PAY\/all bad; FAILED: broken-too\.xml, broken\.xml → run \S+ aborted: no file was stored\n$/,
    );
    const runId = /→ run (\S+)/.exec(r.stdout)![1]!;
    const run = await t.prisma.testRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('ABORTED');
    expect(await t.prisma.testResult.count({ where: { runId } })).toBe(0);

    // A run that already existed (the same build again) is not the report's to abort.
    const ok = await cli(['report', 'green.xml', '--project', 'PAY', '--milestone', 'all bad', '--external-id', 'kept']);
    expect(ok.code).toBe(0);
    const again = await cli(['report', 'broken.xml', '--project', 'PAY', '--milestone', 'all bad', '--external-id', 'kept']);
    expect(again.code).toBe(1);
    expect(again.stdout).not.toMatch(/aborted/);
    const kept = await t.prisma.testRun.findFirstOrThrow({ where: { externalId: 'kept' } });
    expect(kept.status).toBe('IN_PROGRESS');
  });

  it('a milestone typo is refused with the close matches and creates nothing; --create-milestone creates it', async () => {
    const milestones = await t.prisma.milestone.count();
    const runs = await t.prisma.testRun.count();
    const typo = await cli(['report', 'green.xml', '--project', 'PAY', '--milestone', '2.4.1']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/404: PAY has no milestone "2\.4\.1"\. Did you mean `PAY\/2\.4`/);
    expect(typo.stderr).toMatch(/--create-milestone/);
    expect(typo.stdout).toBe('');
    expect(await t.prisma.milestone.count()).toBe(milestones);
    expect(await t.prisma.testRun.count()).toBe(runs);

    const created = await cli(['report', 'green.xml', '--project', 'PAY', '--milestone', '2.4.1', '--create-milestone']);
    expect(created.code).toBe(0);
    expect((await t.prisma.milestone.findFirstOrThrow({ where: { name: '2.4.1' } })).status).toBe('ACTIVE');
  });

  it('fails when nothing matches, and exits 2 without SHIPGATE_URL / SHIPGATE_API_KEY', async () => {
    const none = await cli(['report', 'nothing/**/*.xml', '--project', 'PAY', '--milestone', '2.4']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no files match "nothing\/\*\*\/\*\.xml"/);
    const unset = await runCli(['report', 'green.xml', '--project', 'PAY', '--milestone', '2.4'], NO_CI, dir);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/set SHIPGATE_URL .* and SHIPGATE_API_KEY/);
    const badKey = await cli(['report', 'green.xml', '--project', 'PAY', '--milestone', '2.4'], { SHIPGATE_API_KEY: 'sg_wrong' });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/401: This API key is not valid/);
  });
});

describe('shipgate check', () => {
  it('exit 1 on NO_GO with the reasons, 0 when that verdict is allowed', async () => {
    const r = await cli(['check', '--project', 'PAY', '--milestone', '2.4']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NO_GO {2}PAY\/2\.4: not ready to ship/);
    expect(r.stdout).toMatch(/\[blocker\] .*Pass rate/);
    expect(r.stdout).toMatch(/Not allowed/);
    const allowed = await cli(['check', '--project', 'PAY', '--milestone', '2.4', '--allow', 'GO_WITH_RISKS,NO_GO']);
    expect(allowed.code).toBe(0);
  });

  it('exit 0 on GO; GO_WITH_RISKS only when allowed (repeatable --allow)', async () => {
    expect((await cli(['report', 'green.xml', '--project', 'PAY', '--milestone', 'green', '--create-milestone', '--complete'])).code).toBe(
      0,
    );
    const go = await cli(['check', '--project', 'PAY', '--milestone', 'green']);
    expect(go.stdout).toMatch(/^GO {2}PAY\/green: ready to ship/);
    expect(go.code).toBe(0);

    // A run still in progress is a risk, not a blocker.
    expect((await cli(['report', 'green.xml', '--project', 'PAY', '--milestone', 'risky', '--create-milestone'])).code).toBe(0);
    const risky = await cli(['check', '--project', 'PAY', '--milestone', 'risky']);
    expect(risky.stdout).toMatch(/^GO_WITH_RISKS/);
    expect(risky.stdout).toMatch(/\[risk\] /);
    expect(risky.code).toBe(1);
    expect((await cli(['check', '--project', 'PAY', '--milestone', 'risky', '--allow', 'NO_GO', '--allow', 'go_with_risks'])).code).toBe(0);
  });

  it('says when the milestone is completed or archived: the verdict is its final state; the exit code still follows the verdict', async () => {
    expect(
      (await cli(['report', 'green.xml', '--project', 'PAY', '--milestone', 'shipped', '--create-milestone', '--complete'])).code,
    ).toBe(0);
    const patch = (status: string) =>
      fetch(`${server.url}/api/projects/PAY/milestones/shipped`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { completedAt: string } }));
    const completed = await patch('COMPLETED');
    expect(completed.status).toBe(200);
    const since = `${completed.body.completedAt.slice(0, 16).replace('T', ' ')} UTC`;
    const done = await cli(['check', '--project', 'PAY', '--milestone', 'shipped']);
    expect(done.code).toBe(0);
    expect(done.stdout.split('\n').slice(0, 2)).toEqual([
      'GO  PAY/shipped: ready to ship',
      `Milestone "shipped" is COMPLETED (since ${since}): the verdict is from its final state; reopen it to add results.`,
    ]);
    const gated = await cli(['check', '--project', 'PAY', '--milestone', 'shipped', '--allow', 'GO_WITH_RISKS']);
    expect(gated.code).toBe(0);

    expect((await patch('ARCHIVED')).status).toBe(200);
    const archived = await cli(['check', '--project', 'PAY', '--milestone', 'shipped']);
    expect(archived.code).toBe(0);
    expect(archived.stdout).toContain(
      'Milestone "shipped" is ARCHIVED: the verdict is from its final state; an archived milestone takes no more results.',
    );
  });

  it('exit 2 on errors: unknown milestone, wrong key, bad --allow, missing flags, server unreachable', async () => {
    const unknown = await cli(['check', '--project', 'PAY', '--milestone', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/404/);
    expect((await cli(['check', '--project', 'PAY', '--milestone', '2.4'], { SHIPGATE_API_KEY: 'sg_wrong' })).code).toBe(2);
    const badAllow = await cli(['check', '--project', 'PAY', '--milestone', '2.4', '--allow', 'MAYBE']);
    expect(badAllow.code).toBe(2);
    expect(badAllow.stderr).toMatch(/MAYBE is not a verdict/);
    expect((await cli(['check', '--project', 'PAY'])).code).toBe(2);
    const down = await cli(['check', '--project', 'PAY', '--milestone', '2.4'], { SHIPGATE_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/cannot reach the Shipgate server/);
  });
});

describe('shipgate digest', () => {
  it('prints every active milestone, worst first, with pass rate and denominator', async () => {
    const r = await cli(['digest', '--project', 'PAY']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Shipgate digest for PAY/);
    const milestones = await t.prisma.milestone.count({ where: { status: 'ACTIVE' } });
    expect(r.stdout).toMatch(new RegExp(`${milestones} active milestones`));
    const first = r.stdout.indexOf('PAY/2.4  —  NO_GO');
    expect(first).toBeGreaterThan(0);
    expect(r.stdout.indexOf('PAY/green  —  GO')).toBeGreaterThan(first);
    expect(r.stdout).toMatch(/Pass rate {2}69\.2% \(9\/13 executed passed\)/);
  });

  it('prints one milestone with --milestone', async () => {
    const r = await cli(['digest', '--project', 'PAY', '--milestone', 'green']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 active milestone: 1 GO/);
    expect(r.stdout).not.toMatch(/PAY\/2\.4/);
  });
});

describe('shipgate check and digest: failing tests and blockers, --format text|json|markdown', () => {
  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${server.url}/api/projects/PAY${path}`, {
      method,
      headers: { authorization: `Bearer ${env.SHIPGATE_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as { id: string };
  };
  const HOSTILE = ['<img src=x onerror=alert(1)>', '[click](https://evil.example)', '**loud** | table |'];

  beforeAll(async () => {
    // "gate": 205 failing tests (more than one page of the listing), a hostile few, and a blocking defect.
    const run = await api('POST', '/test-runs', { name: 'build <b>9</b>', milestone: 'gate', createMilestone: true, environment: 'qa' });
    const results = [
      ...HOSTILE.map((title) => ({ title, status: 'FAILED', message: `${title}\nsecond line` })),
      ...Array.from({ length: 202 }, (_, i) => ({ key: `bulk::t${String(i).padStart(3, '0')}`, title: `t${i}`, status: 'FAILED' })),
      { title: 'fine', status: 'PASSED' },
    ];
    await api('POST', `/test-runs/${run.id}/results`, { results });
    await api('PATCH', `/test-runs/${run.id}`, { status: 'COMPLETED' });
    await api('POST', '/defects', { title: 'Refunds <script>lost</script>', severity: 'HIGH', milestone: 'gate' });
    await api('POST', '/defects', { title: 'Typo in footer', severity: 'LOW', milestone: 'gate' });
  }, 60_000);

  it('text: the blocking defect and the first 10 failing tests with environment and since-run, then how many more; exit 1', async () => {
    const r = await cli(['check', '--project', 'PAY', '--milestone', 'gate']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('Blocking defects: 1');
    expect(lines).toContain('  - HIGH  Refunds <script>lost</script>');
    expect(r.stdout).not.toContain('Typo in footer');
    const start = lines.indexOf('Failing tests: 205 (first 10)');
    expect(start).toBeGreaterThan(0);
    // Byte order: "**…" and "<…" and "[…" sort among the bulk:: keys by their first byte.
    expect(lines.slice(start + 1, start + 12)).toEqual([
      '  - **loud** | table | [qa, since build <b>9</b>]: **loud** | table |',
      '  - <img src=x onerror=alert(1)> [qa, since build <b>9</b>]: <img src=x onerror=alert(1)>',
      '  - [click](https://evil.example) [qa, since build <b>9</b>]: [click](https://evil.example)',
      ...Array.from({ length: 7 }, (_, i) => `  - bulk::t00${i} [qa, since build <b>9</b>]`),
      '  …and 195 more (--format json lists them all)',
    ]);
    expect(lines.at(-2)).toMatch(/^Not allowed: NO_GO/);
    const checks = lines.indexOf('Checks: 9 of 11 held (5 not applied)');
    expect(checks).toBeGreaterThan(start);
    expect(lines.slice(checks + 1, checks + 5)).toEqual([
      '  [fail] pass rate 0.4%, gate 95%',
      '  [fail] 1 blocking defect open',
      '  [ok]   no critical tests failing',
      '  [ok]   no sign-offs rejected',
    ]);
  });

  it('json: the readiness with every failing test (over several pages) and the blocking defects; the exit code still follows the verdict', async () => {
    const r = await cli(['check', '--project', 'PAY', '--milestone', 'gate', '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ verdict: 'NO_GO', allowed: false, milestone: { name: 'gate', projectKey: 'PAY' } });
    expect(out.reasons.map((x: { code: string }) => x.code)).toContain('BLOCKING_DEFECT_OPEN');
    expect(out.failingTests.total).toBe(205);
    expect(out.failingTests.tests).toHaveLength(205);
    expect(new Set(out.failingTests.tests.map((t: { key: string }) => t.key)).size).toBe(205);
    expect(out.failingTests.tests[1]).toMatchObject({
      key: HOSTILE[0],
      environment: 'qa',
      status: 'FAILED',
      message: `${HOSTILE[0]}\nsecond line`,
      since: { name: 'build <b>9</b>' },
      latestRun: { name: 'build <b>9</b>' },
    });
    expect(out.checks).toHaveLength(16);
    expect(out.checks.slice(0, 2)).toEqual([
      { rule: 'passRate', status: 'fail', actual: 1 / 206, threshold: 0.95 },
      { rule: 'blockingDefects', status: 'fail', actual: 1, threshold: 0 },
    ]);
    expect(out.blockingDefects).toEqual([
      expect.objectContaining({ title: 'Refunds <script>lost</script>', severity: 'HIGH', status: 'OPEN' }),
    ]);
    const allowed = await cli(['check', '--project', 'PAY', '--milestone', 'gate', '--format', 'json', '--allow', 'NO_GO']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).allowed).toBe(true);
  });

  it('markdown: a small job summary in which names, messages and titles from data are text, not markup', async () => {
    const r = await cli(['check', '--project', 'PAY', '--milestone', 'gate', '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^### 🔴 NO-GO: PAY\/gate\n/);
    expect(r.stdout).not.toMatch(/[<>]/);
    expect(r.stdout).toContain('- **HIGH** Refunds &lt;script&gt;lost&lt;/script&gt;\n');
    expect(r.stdout).toContain(
      '**Failing tests (205)**\n\n- **\\*\\*loud\\*\\* \\| table \\|** (qa, since build &lt;b&gt;9&lt;/b&gt;): \\*\\*loud',
    );
    expect(r.stdout).toContain('- **&lt;img src=x onerror=alert(1)&gt;** (qa, since build &lt;b&gt;9&lt;/b&gt;): &lt;img');
    expect(r.stdout).toContain('- **\\[click\\](https://evil.example)** (qa');
    expect(r.stdout).toContain('- …and 195 more (--format json lists them all)\n');
    expect(r.stdout).not.toContain('second line');
    expect(r.stdout).toContain(
      '**Checks** (9 of 11 held)\n\n| | Rule | Value |\n|---|---|---|\n| ❌ | passRate | pass rate 0.4%, gate 95% |\n',
    );
    expect(r.stdout.split('\n').length).toBeLessThan(60);
  });

  it('an unknown --format is a usage error (exit 2) naming the formats', async () => {
    const r = await cli(['check', '--project', 'PAY', '--milestone', 'gate', '--format', 'html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/text, json, markdown/);
    expect(r.stdout).toBe('');
  });

  it('--since leads with what changed: the sentence, then the newly failing tests by name; json carries the changes', async () => {
    const text = await cli(['check', '--project', 'PAY', '--milestone', 'gate', '--since', '1h']);
    expect(text.code).toBe(1);
    const lines = text.stdout.split('\n');
    // Everything in "gate" was posted within the hour: then, nothing was known.
    expect(lines[1]).toMatch(
      /^Since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: 205 newly failing in qa · 2 defects opened · Insufficient evidence → NO-GO$/,
    );
    expect(lines[2]).toBe('  Newly failing: 205 (first 10)');
    expect(lines[3]).toBe('    - **loud** | table | [qa, run build <b>9</b>, new]');
    const json = JSON.parse((await cli(['check', '--project', 'PAY', '--milestone', 'gate', '--since', '1h', '--format', 'json'])).stdout);
    expect(json.changes).toMatchObject({
      verdict: { before: 'INSUFFICIENT_EVIDENCE', after: 'NO_GO' },
      tests: { newlyFailing: { total: 205, byEnvironment: [{ environment: 'qa', total: 205 }] }, stillFailing: 0 },
    });
    const md = await cli(['digest', '--project', 'PAY', '--milestone', 'gate', '--since', '1h', '--format', 'markdown']);
    expect(md.stdout).toMatch(
      /\nSince \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: 205 newly failing in qa · 2 defects opened · Insufficient evidence → NO-GO\n/,
    );
    expect(md.stdout).toContain('- Newly failing **\\*\\*loud\\*\\* \\| table \\|** (qa, run build &lt;b&gt;9&lt;/b&gt;, new)\n');
  });

  it('--since that is not a time is a usage error (exit 2) saying what works', async () => {
    const r = await cli(['check', '--project', 'PAY', '--milestone', 'gate', '--since', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"yesterday" is not a time ago or an instant: give minutes, hours or days ago (90m, 24h, 7d)');
    expect(r.stdout).toBe('');
  });

  it('digest in each format: the first 5 failing tests per milestone in text and markdown, all of them in json', async () => {
    const text = await cli(['digest', '--project', 'PAY', '--milestone', 'gate']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('  Failing tests: 205 (first 5)\n');
    expect(text.stdout).toContain('    …and 200 more (--format json lists them all)');
    expect(text.stdout).toContain('  Blocking defects: 1\n    - HIGH  Refunds <script>lost</script>');

    const json = await cli(['digest', '--project', 'PAY', '--format', 'json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.project).toBe('PAY');
    const gate = out.milestones.find((m: { milestone: { name: string } }) => m.milestone.name === 'gate');
    expect(gate.failingTests.tests).toHaveLength(205);
    const green = out.milestones.find((m: { milestone: { name: string } }) => m.milestone.name === 'green');
    expect(green).toMatchObject({ verdict: 'GO', failingTests: { total: 0, tests: [] }, blockingDefects: [] });

    const md = await cli(['digest', '--project', 'PAY', '--milestone', 'gate', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## Shipgate digest for PAY\n\n.* UTC · 1 active milestone: 1 NO-GO\n\n### 🔴 NO-GO: PAY\/gate\n/);
    expect(md.stdout).toContain('- …and 200 more (--format json lists them all)');
    expect(md.stdout).not.toMatch(/[<>]/);
  });
});
