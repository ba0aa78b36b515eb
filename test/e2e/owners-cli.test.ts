// `shipgate project owners` as a process against a real database: importing a
// CODEOWNERS-style file (a bad line named by number, exit 2, nothing changed),
// listing it back as a file the import reads, --json, --clear, and the audit
// trail naming the local operator.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOwnerRules } from '../../src/services/list-owner-rules.js';
import { auditEntries } from '../helpers/audit.js';
import { seedProject } from '../helpers/factories.js';
import { runCli } from '../helpers/run-cli.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

describe(`shipgate project owners (${testProvider()})`, () => {
  let t: TestDatabase;
  let dir: string;
  let projectId = '';
  const cli = (...args: string[]) => runCli(['project', 'owners', ...args], { DATABASE_URL: t.url });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'shipgate-owners-'));
    projectId = (await seedProject(t, 'PAY', { teamId: 'local' })).project.id;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.cleanup();
  });

  it('with no rules, says how to set them', async () => {
    const r = await cli('PAY');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PAY has no owner rules. Set them with: shipgate project owners PAY --set-file FILE');
  });

  it('refuses a file with a line it cannot read, naming the line; nothing changes', async () => {
    const bad = file('BAD', '# owners\ncheckout* @S0PAY\n\nsearch* @bob\n');
    const r = await cli('PAY', '--set-file', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: Line 4: "@bob" is not an owner.`);
    expect(r.stderr).toContain('Nothing was changed.');
    const repeated = await cli('PAY', '--set-file', file('REPEATED', 'a* @U01\na* @U02\n'));
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toContain('Line 2 repeats the pattern "a*" of Line 1');
    const missing = await cli('PAY', '--set-file', join(dir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read .*nope/);
    expect(await listOwnerRules(t, { projectId })).toEqual([]);
  });

  it('imports a file, lists it back as a file that reads the same, and as JSON; audited as the local operator', async () => {
    const text =
      '# PAY\ncheckout*  @S0PAY\ncheckout::pays-by-card @U0ANN @W0BOB  # Ann and Bob\nbilling\\ ›\\ refunds* @U0ANN\ncheckout::legacy\n';
    const set = await cli('PAY', '--set-file', file('OWNERS', text));
    expect(set.code).toBe(0);
    expect(set.stderr).toContain('Owner rules of PAY set: 4.');
    const listed = await cli('PAY');
    expect(listed.stdout).toBe('checkout* @S0PAY\ncheckout::pays-by-card @U0ANN @W0BOB\nbilling\\ ›\\ refunds* @U0ANN\ncheckout::legacy\n');
    const json = await cli('PAY', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ rules: await listOwnerRules(t, { projectId }) });
    expect((await listOwnerRules(t, { projectId }))[2]).toEqual({ pattern: 'billing › refunds*', owners: ['U0ANN'] });
    // The listing imports back to the same rules, changing nothing (and writing no entry).
    expect((await cli('PAY', '--set-file', file('AGAIN', listed.stdout))).code).toBe(0);
    const entries = (await auditEntries(t.prisma, { projectId })).filter((e) => e.kind === 'project.owners');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorType: 'local' });
  });

  it('--clear removes every rule; with --set-file it is a usage error', async () => {
    expect((await cli('PAY', '--clear', '--set-file', 'x')).code).toBe(2);
    const cleared = await cli('PAY', '--clear');
    expect(cleared.code).toBe(0);
    expect(cleared.stderr).toContain('PAY has no owner rules now.');
    expect(await listOwnerRules(t, { projectId })).toEqual([]);
  });
});
