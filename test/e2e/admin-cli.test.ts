// `shipgate project create` and `shipgate apikey create` straight against the database.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';
import { describeTarget } from '../../src/db/database-url.js';

describe('administration commands', () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await createTestDatabase();
    env = { DATABASE_URL: t.url };
  });
  afterAll(async () => t.cleanup());

  it('creates a project in the local workspace', async () => {
    const result = await runCli(['project', 'create', 'PAY', 'Payments', 'team'], env);
    expect(result.stderr).toBe(`Using database: ${describeTarget(t.target)}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Created project PAY \(Payments team\)/);
    const project = await t.prisma.project.findFirstOrThrow({ where: { key: 'PAY' }, include: { workspace: true } });
    expect(project.name).toBe('Payments team');
    expect(project.workspace.slackTeamId).toBe('local');
  });

  it('refuses an invalid key and a duplicate key with exit 2 (a usage error), changing nothing', async () => {
    const invalid = await runCli(['project', 'create', 'pay', 'Lower'], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/"pay" is not a valid project key \(did you mean PAY\?\)/);
    const duplicate = await runCli(['project', 'create', 'PAY', 'Again'], env);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/already exists/);
    expect(await t.prisma.project.count()).toBe(1);
  });

  it('prints an API key once and stores only its hash', async () => {
    const result = await runCli(['apikey', 'create', 'PAY', '--name', 'ci'], env);
    expect(result.code).toBe(0);
    const key = result.stdout.trim();
    expect(key).toMatch(/^sg_[A-Za-z0-9_-]{32}$/);
    const rows = await t.prisma.apiKey.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(rows[0]!.prefix).toBe(key.slice(0, 10));
  });

  it('refuses a key for an unknown project', async () => {
    const result = await runCli(['apikey', 'create', 'NOPE'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No project NOPE\. Create it first/);
  });

  it('has --help on every command', async () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['migrate', '--help'],
      ['project', 'create', '--help'],
      ['apikey', 'create', '--help'],
    ]) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: shipgate/);
    }
  });
});

// Run from another directory, DATABASE_URL's default (./data/shipgate.db) names
// a file that is not there: the administration commands refuse to create it
// (the server and `migrate` still do, as the quick start needs).
describe('administration commands outside the server directory', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shipgate-elsewhere-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuse to create ./data/shipgate.db, saying which file, why and what works; exit 2', async () => {
    for (const args of [
      ['project', 'create', 'PAY', 'Payments'],
      ['milestone', 'list'],
      ['tick', 'reminders'],
    ]) {
      const r = await runCli(args, {}, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`No Shipgate database at ${join(dir, 'data', 'shipgate.db')}`);
      expect(r.stderr).toMatch(
        /DATABASE_URL is not set, so the default file:\.\/data\/shipgate\.db is taken relative to the current directory/,
      );
      expect(r.stderr).toMatch(/--database <file or URL>/);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('create the database --database names, say so, and use it after', async () => {
    const file = join(dir, 'admin.db');
    const created = await runCli(['project', 'create', 'PAY', 'Payments', '--database', 'admin.db'], {}, dir);
    expect(created.code).toBe(0);
    expect(created.stderr).toBe(`Using database: SQLite at ${file} (new: creating it)\n`);
    const listed = await runCli(['project', 'list', '--json'], { DATABASE_URL: `file:${file}` }, dir);
    expect(listed.stderr).toBe(`Using database: SQLite at ${file}\n`);
    expect(JSON.parse(listed.stdout).projects.map((p: any) => p.key)).toEqual(['PAY']);
  });

  it('a --database that is no database is a usage error naming what works', async () => {
    const r = await runCli(['project', 'list', '--database', 'mysql://db/shipgate'], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--database: .*must start with file: \(SQLite, e\.g\. file:\.\/data\/shipgate\.db\) or postgresql:\/\//);
  });

  it('migrate still creates the embedded database where DATABASE_URL points, as the server does', async () => {
    const r = await runCli(['migrate'], {}, dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'data', 'shipgate.db'))).toBe(true);
  });
});
