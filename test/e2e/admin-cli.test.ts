// `shipgate project create` and `shipgate apikey create` straight against the database.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';

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
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Created project PAY \(Payments team\)/);
    const project = await t.prisma.project.findFirstOrThrow({ where: { key: 'PAY' }, include: { workspace: true } });
    expect(project.name).toBe('Payments team');
    expect(project.workspace.slackTeamId).toBe('local');
  });

  it('refuses an invalid key and a duplicate key, changing nothing', async () => {
    const invalid = await runCli(['project', 'create', 'pay', 'Lower'], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/"pay" is not a valid project key \(did you mean PAY\?\)/);
    const duplicate = await runCli(['project', 'create', 'PAY', 'Again'], env);
    expect(duplicate.code).toBe(1);
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
    expect(result.code).toBe(1);
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
