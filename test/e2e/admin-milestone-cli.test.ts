// `shipgate milestone …`, `shipgate apikey list|revoke` and `shipgate project list`
// as built, straight against the test database: readable text and --json, the
// lifecycle rules of the API, close-match hints, and refusals that exit 2 and
// change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/api/authenticate.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';
import { seedRun } from '../helpers/factories.js';

let t: TestDatabase;
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, env);
const milestones = () =>
  t.prisma.milestone.findMany({ orderBy: { name: 'asc' }, select: { name: true, status: true, dueDate: true, gatePolicy: true } });

beforeAll(async () => {
  t = await createTestDatabase();
  env = { DATABASE_URL: t.url };
});
afterAll(async () => t?.cleanup());

describe(`shipgate project list (${testProvider()})`, () => {
  it('says there are none on an empty database, creating nothing', async () => {
    const r = await cli('project', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No projects yet\. Create one with `shipgate project create <KEY> <name>`/);
    expect(await t.prisma.workspace.count()).toBe(0);
  });

  it('lists projects by key as text and as JSON', async () => {
    expect((await cli('project', 'create', 'PAY', 'Payments')).code).toBe(0);
    expect((await cli('project', 'create', 'AUTH', 'Sign-in')).code).toBe(0);
    const text = await cli('project', 'list');
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+NAME\s+CHANNEL\s+CREATED\s+ID$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['AUTH', 'Sign-in'],
      ['PAY', 'Payments'],
    ]);
    const json = await cli('project', 'list', '--json');
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.projects.map((p: any) => [p.key, p.name])).toEqual([
      ['AUTH', 'Sign-in'],
      ['PAY', 'Payments'],
    ]);
  });
});

describe(`shipgate milestone (${testProvider()})`, () => {
  it('creates a milestone with a due date, time zone and gate', async () => {
    const r = await cli(
      'milestone',
      'create',
      'pay',
      '2.4',
      '--due',
      '2030-06-30',
      '--time-zone',
      'Europe/Berlin',
      '--pass-rate',
      '98',
      '--require-env',
      'staging',
    );
    expect(r.stderr).toMatch(/^Using database: (SQLite|PostgreSQL) at /);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Created milestone PAY\/2\.4 \(ACTIVE\), id \S+\.\n/);
    const m = await t.prisma.milestone.findFirstOrThrow({ where: { name: '2.4' } });
    expect(m).toMatchObject({ status: 'ACTIVE', timeZone: 'Europe/Berlin', createdBy: 'cli' });
    expect(m.dueDate!.toISOString()).toBe('2030-06-30T21:59:59.999Z'); // the end of that day in Berlin
    expect(JSON.parse(m.gatePolicy)).toEqual({ passRateThreshold: 0.98, requiredEnvironments: ['staging'] });
  });

  it('refuses bad input with what was wrong and what works, exit 2, nothing created', async () => {
    const before = await milestones();
    const cases: [string[], RegExp][] = [
      [['milestone', 'create', 'PAY', '2.4'], /PAY already has a milestone named "2\.4" .*pick another name/],
      [['milestone', 'create', 'PAY', '2.5', '--due', '2030-02-30'], /"2030-02-30" is not a calendar date/],
      [['milestone', 'create', 'PAY', '2.5', '--pass-rate', '120'], /--pass-rate.*expected a percentage from 0 to 100/],
      [['milestone', 'create', 'NOPE', '2.5'], /There is no project NOPE in this workspace\. Projects: AUTH, PAY\./],
      [['milestone', 'list', '--status', 'done'], /expected active, completed, archived or all/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(await milestones()).toEqual(before);
  });

  it('lists active milestones with verdicts as text, every status with --status all, and JSON', async () => {
    expect((await cli('milestone', 'create', 'AUTH', 'Spring', 'release')).code).toBe(0);
    const text = await cli('milestone', 'list');
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^MILESTONE\s+STATUS\s+VERDICT\s+PASS RATE\s+DUE$/);
    expect(lines[1]).toMatch(/^PAY\/2\.4\s+ACTIVE\s+INSUFFICIENT_EVIDENCE\s+no results\s+2030-06-30 \(in \d+ days\)$/);
    expect(lines[2]).toMatch(/^AUTH\/Spring release\s+ACTIVE\s+INSUFFICIENT_EVIDENCE\s+no results\s+no due date$/);
    const onlyPay = JSON.parse((await cli('milestone', 'list', '--project', 'PAY', '--json')).stdout);
    expect(onlyPay.total).toBe(1);
    expect(onlyPay.milestones[0]).toMatchObject({ projectKey: 'PAY', name: '2.4', status: 'ACTIVE', verdict: 'INSUFFICIENT_EVIDENCE' });
  });

  it('shows a milestone with its gate and reasons; a typo names the close matches and exits 2', async () => {
    const shown = await cli('milestone', 'show', 'PAY/2.4');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^PAY\/2\.4\n/);
    expect(shown.stdout).toMatch(/ Verdict +INSUFFICIENT_EVIDENCE: /);
    expect(shown.stdout).toMatch(/ Gate +pass rate ≥ 98% · open CRITICAL\/HIGH defects block · environments staging · at least 1 executed/);
    expect(shown.stdout).toMatch(/\[blocker\] Required environment staging has no executed results/);
    const json = JSON.parse((await cli('milestone', 'show', '2.4', '--project', 'PAY', '--json')).stdout);
    expect(json.milestone).toMatchObject({ projectKey: 'PAY', name: '2.4', timeZone: 'Europe/Berlin' });
    expect(json.readiness.verdict).toBe('INSUFFICIENT_EVIDENCE');

    const typo = await cli('milestone', 'show', 'PAY/2.4.1');
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toMatch(/PAY has no milestone "2\.4\.1"\. Did you mean `PAY\/2\.4`\?/);
    expect(typo.stderr).toMatch(/shipgate milestone list --status all/);
  });

  it('completes only on an allowed verdict or with --override; reopens; archives for good', async () => {
    const refused = await cli('milestone', 'complete', 'PAY/2.4');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/can't be completed: the verdict is INSUFFICIENT_EVIDENCE\..*--override "<the reason>"/);
    expect((await t.prisma.milestone.findFirstOrThrow({ where: { name: '2.4' } })).status).toBe('ACTIVE');

    const overridden = await cli('milestone', 'complete', 'PAY/2.4', '--override', 'release board approved');
    expect(overridden.code).toBe(0);
    expect(overridden.stdout).toBe('Completed PAY/2.4 (verdict INSUFFICIENT_EVIDENCE, override: release board approved).\n');
    expect(await t.prisma.milestone.findFirstOrThrow({ where: { name: '2.4' } })).toMatchObject({
      status: 'COMPLETED',
      completionOverrideReason: 'release board approved',
    });

    const again = await cli('milestone', 'complete', 'PAY/2.4');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('PAY/2.4 is already completed; nothing to do.\n');

    const reopened = await cli('milestone', 'reopen', 'PAY/2.4');
    expect(reopened.code).toBe(0);
    expect(await t.prisma.milestone.findFirstOrThrow({ where: { name: '2.4' } })).toMatchObject({ status: 'ACTIVE', completedAt: null });

    const archived = await cli('milestone', 'archive', 'PAY/2.4');
    expect(archived.code).toBe(0);
    const back = await cli('milestone', 'reopen', 'PAY/2.4');
    expect(back.code).toBe(2);
    expect(back.stderr).toMatch(/archived milestone can't be reopened\. Create a new milestone/);
    expect((await t.prisma.milestone.findFirstOrThrow({ where: { name: '2.4' } })).status).toBe('ARCHIVED');
    expect((await cli('milestone', 'list')).stdout).not.toMatch(/PAY\/2\.4/);
    expect((await cli('milestone', 'list', '--status', 'archived')).stdout).toMatch(/PAY\/2\.4\s+ARCHIVED/);
  });

  it('completes a GO milestone without an override', async () => {
    expect((await cli('milestone', 'create', 'PAY', '3.0')).code).toBe(0);
    const m = await t.prisma.milestone.findFirstOrThrow({ where: { name: '3.0' } });
    await seedRun(t, { projectId: m.projectId, milestoneId: m.id, passed: 5 });
    const r = await cli('milestone', 'complete', '3.0');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Completed PAY/3.0 (verdict GO).\n');
  });
});

describe(`shipgate apikey list|revoke (${testProvider()})`, () => {
  it('lists keys without the key itself, revokes one so the API refuses it, and revoking again changes nothing', async () => {
    const created = await cli('apikey', 'create', 'PAY', '--name', 'github-actions');
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const now = new Date();
    await expect(authenticate(t.prisma, `Bearer ${key}`, 'PAY', now)).resolves.toMatchObject({ project: { key: 'PAY' } });

    const list = await cli('apikey', 'list', 'PAY');
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(key);
    const row = await t.prisma.apiKey.findFirstOrThrow({ where: { name: 'github-actions' } });
    expect(list.stdout).toMatch(
      new RegExp(`^${row.id}\\s+${row.prefix}…\\s+github-actions\\s+report\\s+\\d{4}-\\d{2}-\\d{2} by cli\\s+\\d{4}-\\d{2}-\\d{2}$`, 'm'),
    );
    const json = JSON.parse((await cli('apikey', 'list', 'PAY', '--json')).stdout);
    expect(json.project).toBe('PAY');
    expect(json.keys).toEqual([
      expect.objectContaining({ id: row.id, prefix: row.prefix, name: 'github-actions', scope: 'report', revokedAt: null }),
    ]);
    expect(JSON.stringify(json)).not.toContain(key);

    const revoked = await cli('apikey', 'revoke', row.id);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(`Revoked key ${row.prefix}… of PAY (github-actions).\n`);
    await expect(authenticate(t.prisma, `Bearer ${key}`, 'PAY', now)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });

    const twice = await cli('apikey', 'revoke', row.id);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toMatch(/was already revoked; nothing changed/);
    expect((await cli('apikey', 'list', 'PAY')).stdout).toMatch(/^PAY has no active API keys\./);
    expect((await cli('apikey', 'list', 'PAY', '--all')).stdout).toMatch(new RegExp(`^${row.id}\\s.*\\d{4}-\\d{2}-\\d{2}$`, 'm'));
  });

  it('an unknown key id or project exits 2 saying where to look, changing nothing', async () => {
    const before = await t.prisma.apiKey.findMany({ orderBy: { id: 'asc' } });
    const unknown = await cli('apikey', 'revoke', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No API key with id nope in this workspace\. `shipgate apikey list <KEY>` shows the ids\./);
    const project = await cli('apikey', 'list', 'PYA');
    expect(project.code).toBe(2);
    expect(project.stderr).toMatch(/There is no project PYA in this workspace\. Projects: AUTH, PAY\./);
    const scope = await cli('apikey', 'create', 'PAY', '--scope', 'root');
    expect(scope.code).toBe(2);
    expect(scope.stderr).toMatch(/--scope.*expected one of read, report, admin, got "root"/);
    expect(await t.prisma.apiKey.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('creates a key of the scope asked for, and lists it', async () => {
    const created = await cli('apikey', 'create', 'PAY', '--scope', 'admin', '--name', 'release-board');
    expect(created.code).toBe(0);
    expect(await t.prisma.apiKey.findFirstOrThrow({ where: { name: 'release-board' } })).toMatchObject({ scope: 'admin' });
    expect((await cli('apikey', 'list', 'PAY')).stdout).toMatch(/\s+release-board\s+admin\s+/);
  });
});

describe('--help', () => {
  it('every administration command has one', async () => {
    for (const args of [
      ['milestone', '--help'],
      ...['create', 'list', 'show', 'complete', 'reopen', 'archive'].map((c) => ['milestone', c, '--help']),
      ['apikey', 'list', '--help'],
      ['apikey', 'revoke', '--help'],
      ['project', 'list', '--help'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/^Usage: shipgate /);
      if (args.length === 3) expect(r.stdout, args.join(' ')).toMatch(/--database <url-or-path>/);
    }
  });
});
