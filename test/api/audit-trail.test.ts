// The audit trail through the REST API: every change that can move a verdict,
// made with an admin key, is recorded with the key as the actor, the time, and
// exactly the fields that changed; a refused or failed change leaves no entry,
// and an entry that cannot be written takes its change down with it (one
// transaction). Then the two listings: newest first, paged by cursor.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/create-api-key.js';
import { auditEntries, changes } from '../helpers/audit.js';
import { client, startApi, type ApiHarness } from '../helpers/api-server.js';
import { resultRows, seedMilestone, seedProject, seedRun } from '../helpers/factories.js';
import { testProvider } from '../helpers/test-database.js';

describe(`audit trail over the REST API (${testProvider()})`, () => {
  let h: ApiHarness;
  let admin: ReturnType<typeof client>;
  let report: ReturnType<typeof client>;
  let projectId = '';
  let adminKeyId = '';
  let n = 0;
  const base = '/api/projects/PAY';
  let clock = new Date('2030-03-01T10:00:00.000Z');
  const tick = () => {
    clock = new Date(clock.getTime() + 60_000);
    h.setNow(clock);
    return clock;
  };

  beforeAll(async () => {
    h = await startApi();
    const { workspace, project } = await seedProject(h.t, 'PAY');
    projectId = project.id;
    const adminKey = await createApiKey(h.t, { workspaceId: workspace.id, projectKey: 'PAY', scope: 'admin', name: 'release-board' });
    adminKeyId = adminKey.id;
    admin = client(h.url, adminKey.key);
    report = client(h.url, (await createApiKey(h.t, { workspaceId: workspace.id, projectKey: 'PAY', name: 'pipeline' })).key);
  });
  afterAll(async () => h?.close());
  beforeEach(() => void tick());

  const byKey = () => ({ actorType: 'api-key', actorId: adminKeyId, actorName: 'release-board', actorTeam: null });

  /** A milestone at NO_GO: 3 of 4 passed, and an open CRITICAL defect. */
  async function failing() {
    const m = await seedMilestone(h.t, projectId, `r${++n}`);
    await seedRun(h.t, { projectId, milestoneId: m.id, results: resultRows(3, 1) });
    const defect = await h.t.prisma.defect.create({ data: { projectId, milestoneId: m.id, title: 'Crash', severity: 'CRITICAL' } });
    return { m, defect };
  }

  it('project gate defaults: just the changed keys, null where the project had not set one', async () => {
    const at = tick();
    expect((await admin('PATCH', base, { gate: { passRateThreshold: 0.9, requiredSignoffs: 1 } })).status).toBe(200);
    // The same values again, and a rename: nothing that moves a verdict changed, so nothing is recorded.
    expect((await admin('PATCH', base, { name: 'Payments', gate: { passRateThreshold: 0.9 } })).status).toBe(200);
    expect((await admin('PATCH', base, { gate: { passRateThreshold: 0.8 } })).status).toBe(200);
    const trail = await auditEntries(h.t.prisma, { projectId });
    const project = trail.filter((e) => e.milestoneId === null);
    expect(changes(project)).toEqual([
      {
        kind: 'project.gate',
        before: { passRateThreshold: null, requiredSignoffs: null },
        after: { passRateThreshold: 0.9, requiredSignoffs: 1 },
      },
      { kind: 'project.gate', before: { passRateThreshold: 0.9 }, after: { passRateThreshold: 0.8 } },
    ]);
    expect(project[0]).toMatchObject({ ...byKey(), milestoneId: null, defectId: null });
    expect(project[0]!.createdAt.toISOString()).toBe(at.toISOString());
    // Put back, so the milestones below have the usual gate.
    expect((await admin('PATCH', base, { gate: { passRateThreshold: 0.95, requiredSignoffs: 0 } })).status).toBe(200);
  });

  it('approvers: set and cleared with an admin key, recorded; bad ids and a report key are refused', async () => {
    const set = await admin('PATCH', base, { approvers: ['U024BE7LH', 'S0614TZR7', 'U024BE7LH'] });
    expect(set.status).toBe(200);
    expect(set.body.approvers).toEqual(['U024BE7LH', 'S0614TZR7']);
    const bad = await admin('PATCH', base, { approvers: ['@ann'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"@ann" is not a Slack user id (U… or W…) or user group id (S…)');
    expect((await report('PATCH', base, { approvers: [] })).status).toBe(403);
    expect((await admin('PATCH', base, { approvers: null })).body.approvers).toEqual([]);
    const trail = (await auditEntries(h.t.prisma, { projectId })).filter((e) => e.kind === 'project.approvers');
    expect(changes(trail)).toEqual([
      { kind: 'project.approvers', before: { approvers: [] }, after: { approvers: ['U024BE7LH', 'S0614TZR7'] } },
      { kind: 'project.approvers', before: { approvers: ['U024BE7LH', 'S0614TZR7'] }, after: { approvers: [] } },
    ]);
    for (const e of trail) expect(e).toMatchObject(byKey());
  });

  it('a milestone created with a gate and a scope records both; one created without records nothing', async () => {
    const res = await admin('POST', `${base}/milestones`, {
      name: 'with gate',
      gate: { passRateThreshold: 0.99, requiredEnvironments: ['staging'] },
      scope: { include: ['checkout::*', 'auth::login'] },
    });
    expect(res.status).toBe(201);
    expect(changes(await auditEntries(h.t.prisma, { milestoneId: res.body.id }))).toEqual([
      {
        kind: 'milestone.gate',
        before: { passRateThreshold: null, requiredEnvironments: null },
        after: { passRateThreshold: 0.99, requiredEnvironments: ['staging'] },
      },
      { kind: 'milestone.scope', before: { scope: null }, after: { scope: ['checkout::*', 'auth::login'] } },
    ]);
    const plain = await report('POST', `${base}/milestones`, { name: 'plain' });
    expect(plain.status).toBe(201);
    expect(await auditEntries(h.t.prisma, { milestoneId: plain.body.id })).toEqual([]);
  });

  it('gate, scope, due date and completion against the gate, each with exact before and after', async () => {
    const { m } = await failing();
    const path = `${base}/milestones/${m.id}`;
    expect((await admin('PATCH', path, { gate: { passRateThreshold: 0.5 } })).status).toBe(200);
    expect((await admin('PATCH', path, { scope: { include: ['case::*'] } })).status).toBe(200);
    expect((await admin('PATCH', path, { scope: null })).status).toBe(200);
    expect((await admin('PATCH', path, { dueDate: '2030-04-01', timeZone: 'Europe/Berlin' })).status).toBe(200);
    // Still NO_GO (the CRITICAL defect): completing needs an override, and its reason is recorded.
    const done = await admin('PATCH', path, { status: 'COMPLETED', overrideReason: 'Board accepted the risk' });
    expect(done.status).toBe(200);
    expect((await admin('PATCH', path, { status: 'ACTIVE' })).status).toBe(200);
    expect((await admin('PATCH', path, { status: 'ARCHIVED' })).status).toBe(200);
    const trail = await auditEntries(h.t.prisma, { milestoneId: m.id });
    expect(changes(trail)).toEqual([
      { kind: 'milestone.gate', before: { passRateThreshold: null }, after: { passRateThreshold: 0.5 } },
      { kind: 'milestone.scope', before: { scope: null }, after: { scope: ['case::*'] } },
      { kind: 'milestone.scope', before: { scope: ['case::*'] }, after: { scope: null } },
      {
        kind: 'milestone.due',
        before: { dueDate: null, timeZone: 'UTC' },
        // The end of that day in the milestone's zone.
        after: { dueDate: '2030-04-01T21:59:59.999Z', timeZone: 'Europe/Berlin' },
      },
      {
        kind: 'milestone.status',
        before: { status: 'ACTIVE', overrideReason: null },
        after: { status: 'COMPLETED', overrideReason: 'Board accepted the risk' },
      },
      {
        kind: 'milestone.status',
        before: { status: 'COMPLETED', overrideReason: 'Board accepted the risk' },
        after: { status: 'ACTIVE', overrideReason: null },
      },
      { kind: 'milestone.status', before: { status: 'ACTIVE' }, after: { status: 'ARCHIVED' } },
    ]);
    for (const e of trail) expect(e).toMatchObject(byKey());
  });

  it('defect status, severity and waiver, in the trail of its milestone', async () => {
    const { m, defect } = await failing();
    const path = `${base}/defects/${defect.id}`;
    expect((await admin('PATCH', path, { severity: 'MEDIUM', title: 'Crash on pay' })).status).toBe(200);
    expect((await admin('PATCH', path, { waiver: { reason: 'Legacy gateway only', until: '2030-05-01T00:00:00.000Z' } })).status).toBe(200);
    expect((await admin('PATCH', path, { status: 'RESOLVED' })).status).toBe(200);
    expect((await admin('PATCH', path, { status: 'OPEN' })).status).toBe(200);
    const trail = await auditEntries(h.t.prisma, { defectId: defect.id });
    expect(changes(trail)).toEqual([
      { kind: 'defect.severity', before: { severity: 'CRITICAL' }, after: { severity: 'MEDIUM' } },
      {
        kind: 'defect.waiver',
        before: { status: 'OPEN', waiverReason: null, waiverUntil: null },
        after: { status: 'WAIVED', waiverReason: 'Legacy gateway only', waiverUntil: '2030-05-01T00:00:00.000Z' },
      },
      {
        kind: 'defect.status',
        before: { status: 'WAIVED', waiverReason: 'Legacy gateway only', waiverUntil: '2030-05-01T00:00:00.000Z' },
        after: { status: 'RESOLVED', waiverReason: null, waiverUntil: null },
      },
      { kind: 'defect.status', before: { status: 'RESOLVED' }, after: { status: 'OPEN' } },
    ]);
    for (const e of trail) expect(e).toMatchObject({ ...byKey(), milestoneId: m.id, defectId: defect.id });
  });

  it('aborting a run that holds results is recorded; aborting an empty one (CI after failed uploads) is not', async () => {
    const m = await seedMilestone(h.t, projectId, `aborts ${++n}`);
    const full = await seedRun(h.t, { projectId, milestoneId: m.id, name: 'nightly', results: resultRows(2, 1), status: 'IN_PROGRESS' });
    const empty = await seedRun(h.t, { projectId, milestoneId: m.id, name: 'empty', status: 'IN_PROGRESS' });
    expect((await admin('PATCH', `${base}/test-runs/${full.id}`, { status: 'ABORTED' })).status).toBe(200);
    expect((await report('PATCH', `${base}/test-runs/${empty.id}`, { status: 'ABORTED' })).status).toBe(200);
    const trail = await auditEntries(h.t.prisma, { milestoneId: m.id });
    expect(changes(trail)).toEqual([
      {
        kind: 'run.aborted',
        before: { status: 'IN_PROGRESS' },
        after: { status: 'ABORTED', runId: full.id, runName: 'nightly', results: 3 },
      },
    ]);
    expect(trail[0]).toMatchObject(byKey());
  });

  it('a refused change writes no entry: wrong scope, lifecycle rule, bad input, name taken', async () => {
    const { m, defect } = await failing();
    const before = await auditEntries(h.t.prisma, { projectId });
    // A report key may not lower the gate nor resolve a blocking defect (403).
    expect((await report('PATCH', `${base}/milestones/${m.id}`, { gate: { passRateThreshold: 0 } })).status).toBe(403);
    expect((await report('PATCH', `${base}/defects/${defect.id}`, { status: 'RESOLVED' })).status).toBe(403);
    expect((await report('POST', `${base}/milestones`, { name: 'sneaky', gate: { passRateThreshold: 0 } })).status).toBe(403);
    // Completing on NO_GO without a reason (409); a waiver in the past (400); a bad time zone (400).
    expect((await admin('PATCH', `${base}/milestones/${m.id}`, { status: 'COMPLETED' })).status).toBe(409);
    expect((await admin('PATCH', `${base}/defects/${defect.id}`, { waiver: { reason: 'x', until: '2001-01-01T00:00:00Z' } })).status).toBe(
      400,
    );
    expect((await admin('PATCH', `${base}/milestones/${m.id}`, { gate: { passRateThreshold: 0.1 }, timeZone: 'Mars/Base' })).status).toBe(
      400,
    );
    // A gate change together with a rename to a taken name: the database refuses the rename, and the gate with it.
    const other = await seedMilestone(h.t, projectId, `taken ${n}`);
    const clash = await admin('PATCH', `${base}/milestones/${m.id}`, { name: other.name, gate: { passRateThreshold: 0.1 } });
    expect(clash.status).toBe(409);
    expect(await auditEntries(h.t.prisma, { projectId })).toEqual(before);
    expect((await h.t.prisma.milestone.findUniqueOrThrow({ where: { id: m.id } })).gatePolicy).toBe('{}');
    expect(await h.t.prisma.outboxItem.count({ where: { kind: 'slack.auditNotice' } })).toBe(
      before.filter((e) => ['project.gate', 'project.approvers', 'milestone.gate', 'milestone.scope'].includes(e.kind)).length,
    );
  });

  describe('an entry that cannot be written takes its change down with it', () => {
    const refuse =
      testProvider() === 'postgresql'
        ? [
            `CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`,
            `CREATE TRIGGER refuse_audit BEFORE INSERT ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
          ]
        : [`CREATE TRIGGER refuse_audit BEFORE INSERT ON "AuditEntry" BEGIN SELECT RAISE(ABORT, 'audit refused'); END`];
    const allow =
      testProvider() === 'postgresql'
        ? [`DROP TRIGGER refuse_audit ON "AuditEntry"`, `DROP FUNCTION refuse_audit()`]
        : [`DROP TRIGGER refuse_audit`];

    it('gate, completion, waiver and a new milestone with a gate: all refused whole', async () => {
      const { m, defect } = await failing();
      for (const sql of refuse) await h.t.prisma.$executeRawUnsafe(sql);
      try {
        expect((await admin('PATCH', `${base}/milestones/${m.id}`, { gate: { passRateThreshold: 0 } })).status).toBe(500);
        expect((await admin('PATCH', `${base}/milestones/${m.id}`, { status: 'COMPLETED', overrideReason: 'x' })).status).toBe(500);
        expect(
          (await admin('PATCH', `${base}/defects/${defect.id}`, { waiver: { reason: 'x', until: '2030-12-01T00:00:00Z' } })).status,
        ).toBe(500);
        expect((await admin('POST', `${base}/milestones`, { name: `gated ${n}`, gate: { passRateThreshold: 0 } })).status).toBe(500);
        expect((await admin('PATCH', base, { gate: { passRateThreshold: 0 } })).status).toBe(500);
      } finally {
        for (const sql of allow) await h.t.prisma.$executeRawUnsafe(sql);
      }
      expect(await h.t.prisma.milestone.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({
        gatePolicy: '{}',
        status: 'ACTIVE',
        completionOverrideReason: null,
      });
      expect(await h.t.prisma.defect.findUniqueOrThrow({ where: { id: defect.id } })).toMatchObject({ status: 'OPEN', waiverReason: null });
      expect(await h.t.prisma.milestone.count({ where: { projectId, name: `gated ${n}` } })).toBe(0);
      expect(JSON.parse((await h.t.prisma.project.findUniqueOrThrow({ where: { id: projectId } })).gatePolicy)).toMatchObject({
        passRateThreshold: 0.95,
      });
    });
  });

  describe('listings', () => {
    it('GET …/milestones/{id}/audit: newest first, paged by cursor, the key as actor', async () => {
      const { m } = await failing();
      const path = `${base}/milestones/${encodeURIComponent(m.name)}`;
      for (const rate of [0.5, 0.6, 0.7, 0.8, 0.9]) {
        tick();
        expect((await admin('PATCH', path, { gate: { passRateThreshold: rate } })).status).toBe(200);
      }
      const first = await report('GET', `${path}/audit?limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.entries.map((e: { after: { passRateThreshold: number } }) => e.after.passRateThreshold)).toEqual([0.9, 0.8]);
      expect(first.body.entries[0]).toEqual({
        id: expect.any(String),
        kind: 'milestone.gate',
        projectId,
        milestoneId: m.id,
        defectId: null,
        actor: { type: 'api-key', id: adminKeyId, name: 'release-board', team: null },
        before: { passRateThreshold: 0.8 },
        after: { passRateThreshold: 0.9 },
        at: clock.toISOString(),
      });
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: { entries: { after: { passRateThreshold: number } }[]; nextCursor: string | null } } =
          await report('GET', `${path}/audit?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.entries.map((e) => e.after.passRateThreshold));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([0.9, 0.8, 0.7, 0.6, 0.5]);
    });

    it('GET …/audit: the project and all its milestones; a read key may read it', async () => {
      const all = await report('GET', `${base}/audit?limit=200`);
      expect(all.status).toBe(200);
      const stored = await auditEntries(h.t.prisma, { projectId });
      expect(all.body.entries).toHaveLength(stored.length);
      const times = all.body.entries.map((e: { at: string }) => e.at);
      expect([...times].sort().reverse()).toEqual(times);
      expect(new Set(all.body.entries.map((e: { kind: string }) => e.kind))).toEqual(
        new Set([
          'project.gate',
          'project.approvers',
          'milestone.gate',
          'milestone.scope',
          'milestone.due',
          'milestone.status',
          'defect.severity',
          'defect.waiver',
          'defect.status',
          'run.aborted',
        ]),
      );
    });

    it('a bad cursor or limit is a 400 that says what works', async () => {
      const bad = await report('GET', `${base}/audit?cursor=nope`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('nextCursor of the previous page');
      const big = await report('GET', `${base}/audit?limit=5000`);
      expect(big.status).toBe(400);
      expect(big.body.error.message).toContain('limit');
      expect((await report('GET', `${base}/milestones/nope/audit`)).status).toBe(404);
    });
  });
});
