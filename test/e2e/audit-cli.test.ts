// The audit trail from the CLI, as built, straight against the test database:
// `shipgate milestone create` with a gate and scope and `complete --override`
// are recorded with the local operator (and the OS user) as the actor; a refused
// completion records nothing; `milestone show --audit` prints the trail newest
// first, and --json carries it.
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, changes } from '../helpers/audit.js';
import { resultRows, seedRun } from '../helpers/factories.js';
import { runCli } from '../helpers/run-cli.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

let t: TestDatabase;
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, env);

beforeAll(async () => {
  t = await createTestDatabase();
  env = { DATABASE_URL: t.url };
});
afterAll(async () => t?.cleanup());

describe(`shipgate and the audit trail (${testProvider()})`, () => {
  it('records the CLI operator; refuses without an override and records nothing; show --audit prints the trail', async () => {
    expect((await cli('project', 'create', 'PAY', 'Payments')).code).toBe(0);
    const created = await cli('milestone', 'create', 'PAY', '2.4', '--pass-rate', '98', '--scope', 'checkout::*');
    expect(created.code, created.stderr).toBe(0);
    const m = await t.prisma.milestone.findFirstOrThrow({ where: { name: '2.4' } });
    await seedRun(t, { projectId: m.projectId, milestoneId: m.id, results: resultRows(1, 1, 'checkout') });

    const refused = await cli('milestone', 'complete', 'PAY/2.4');
    expect(refused.code).toBe(2);
    expect(changes(await auditEntries(t.prisma, { milestoneId: m.id })).map((c) => c.kind)).toEqual(['milestone.gate', 'milestone.scope']);

    const done = await cli('milestone', 'complete', 'PAY/2.4', '--override', 'Hotfix approved by the board');
    expect(done.code, done.stderr).toBe(0);
    const trail = await auditEntries(t.prisma, { milestoneId: m.id });
    expect(changes(trail)).toEqual([
      { kind: 'milestone.gate', before: { passRateThreshold: null }, after: { passRateThreshold: 0.98 } },
      { kind: 'milestone.scope', before: { scope: null }, after: { scope: ['checkout::*'] } },
      {
        kind: 'milestone.status',
        before: { status: 'ACTIVE', overrideReason: null },
        after: { status: 'COMPLETED', overrideReason: 'Hotfix approved by the board' },
      },
    ]);
    for (const e of trail)
      expect(e).toMatchObject({ actorType: 'local', actorId: 'local', actorName: userInfo().username, actorTeam: null });
    // Queued for the channel: the gate and the scope, not the completion.
    expect(await t.prisma.outboxItem.count({ where: { kind: 'slack.auditNotice' } })).toBe(2);

    const shown = await cli('milestone', 'show', 'PAY/2.4', '--audit');
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.split('\n');
    const at = lines.indexOf('Audit trail (newest first)');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(
      /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}milestone\.status {2}by local \(.+\) {2}status: "ACTIVE" → "COMPLETED"; overrideReason: null → "Hotfix approved by the board"$/,
    );
    expect(lines[at + 2]).toContain('milestone.scope  by local');
    expect(lines[at + 2]).toContain('scope: null → ["checkout::*"]');
    expect(lines[at + 3]).toContain('milestone.gate  by local');
    expect(lines[at + 3]).toContain('passRateThreshold: null → 0.98');
    // Approvers from the CLI: ids checked, the change on the project's trail with the operator.
    const set = await cli('project', 'set-approvers', 'PAY', 'u024be7lh', 'S0614TZR7');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('Approvers of PAY: U024BE7LH, S0614TZR7.');
    const wrong = await cli('project', 'set-approvers', 'PAY', '@ann');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('"@ANN" is not a Slack user id');
    expect((await cli('project', 'set-approvers', 'PAY')).code).toBe(2);
    const cleared = await cli('project', 'set-approvers', 'PAY', '--clear');
    expect(cleared.stdout).toContain('PAY has no approvers');
    const approvers = (await auditEntries(t.prisma, { projectId: m.projectId })).filter((e) => e.kind === 'project.approvers');
    expect(changes(approvers)).toEqual([
      { kind: 'project.approvers', before: { approvers: [] }, after: { approvers: ['U024BE7LH', 'S0614TZR7'] } },
      { kind: 'project.approvers', before: { approvers: ['U024BE7LH', 'S0614TZR7'] }, after: { approvers: [] } },
    ]);
    expect(approvers[0]).toMatchObject({ actorType: 'local', actorName: userInfo().username });

    // Without --audit, no trail.
    expect((await cli('milestone', 'show', 'PAY/2.4')).stdout).not.toContain('Audit trail');

    const json = await cli('milestone', 'show', 'PAY/2.4', '--audit', '--json');
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.audit.nextCursor).toBeNull();
    expect(body.audit.entries.map((e: { kind: string }) => e.kind)).toEqual(['milestone.status', 'milestone.scope', 'milestone.gate']);
    expect(body.audit.entries[0].actor).toEqual({ type: 'local', id: 'local', name: userInfo().username, team: null });
  });
});
