// `shipgate quarantine add|list|remove` straight against the database (SPEC
// §10): the built binary as a child process. A critical case is refused with
// exit 2 and nothing stored; every change is on the trail as the local operator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { runCli } from '../helpers/run-cli.js';
import { auditEntries } from '../helpers/audit.js';
import { seedProject } from '../helpers/factories.js';

describe('shipgate quarantine', () => {
  let t: TestDatabase;
  let env: Record<string, string>;
  let projectId = '';
  beforeAll(async () => {
    t = await createTestDatabase();
    env = { DATABASE_URL: t.url };
    projectId = (await seedProject(t, 'PAY', { teamId: 'local' })).project.id;
    await t.prisma.testCase.createMany({
      data: [
        { projectId, key: 'cart::applies coupon', title: 'applies coupon' },
        { projectId, key: 'pay::charges card', title: 'charges card', critical: true },
      ],
    });
  });
  afterAll(async () => t.cleanup());

  it('adds, lists and removes a quarantine; the trail names the local operator', async () => {
    const added = await runCli(
      ['quarantine', 'add', 'PAY', 'cart::applies coupon', '--until', '2099-01-31', '--reason', 'flaky on CI'],
      env,
    );
    expect(added.stderr).not.toMatch(/error/i);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Quarantined cart::applies coupon of PAY until 2099-01-31T23:59:59.999Z');

    const listed = await runCli(['quarantine', 'list', 'PAY', '--json'], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      project: 'PAY',
      quarantines: [{ caseKey: 'cart::applies coupon', reason: 'flaky on CI', by: 'cli', inForce: true }],
    });

    const removed = await runCli(['quarantine', 'remove', 'PAY', 'cart::applies coupon'], env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('its failures count again');
    expect(await t.prisma.quarantine.count()).toBe(0);
    const trail = (await auditEntries(t.prisma, { projectId })).filter((e) => e.kind.startsWith('quarantine.'));
    expect(trail.map((e) => [e.kind, e.actorType])).toEqual([
      ['quarantine.added', 'local'],
      ['quarantine.removed', 'local'],
    ]);
  });

  it('refuses a critical case and a missing reason, changing nothing', async () => {
    const critical = await runCli(['quarantine', 'add', 'PAY', 'pay::charges card', '--until', '2099-01-31', '--reason', 'x'], env);
    expect(critical.code).toBe(2);
    expect(critical.stderr).toContain('a critical case can never be quarantined');
    const noReason = await runCli(['quarantine', 'add', 'PAY', 'cart::applies coupon', '--until', '2099-01-31'], env);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
    expect(await t.prisma.quarantine.count()).toBe(0);
  });
});
