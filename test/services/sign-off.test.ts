import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database.js';
import { seedProject, TEST_OPERATOR } from '../helpers/factories.js';
import { createMilestone } from '../../src/services/create-milestone.js';
import { openTestRun } from '../../src/services/open-test-run.js';
import { ingestResults } from '../../src/services/ingest-results.js';
import { signOff } from '../../src/services/sign-off.js';
import { updateTestRun } from '../../src/services/update-test-run.js';

describe('sign-off', () => {
  let t: TestDatabase;
  const now = () => new Date();
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('stores the readiness of that moment as evidence; a rejection turns the verdict NO_GO', async () => {
    const { project } = await seedProject(t, 'PAY');
    const m = await createMilestone(t, { projectId: project.id, name: '1.0', gate: { requiredSignoffs: 1 }, actor: TEST_OPERATOR });
    const { run } = await openTestRun(t, { projectId: project.id, name: 'r', milestoneId: m.id, source: 'CI', actor: TEST_OPERATOR });
    await ingestResults(t, {
      projectId: project.id,
      runId: run.id,
      results: [
        { key: 'a', title: 'a', suite: null, status: 'PASSED', durationMs: 1, message: null, attempts: 1, flaky: false, critical: false },
      ],
    });
    await updateTestRun({ db: t.db, now }, { projectId: project.id, runId: run.id, status: 'COMPLETED', actor: TEST_OPERATOR });

    const approve = await signOff(
      { db: t.db, now },
      { milestoneId: m.id, actor: { type: 'slack', userId: 'U1', teamId: 'T1' }, decision: 'APPROVE', comment: 'LGTM' },
    );
    expect(approve.evidence.verdict).toBe('GO_WITH_RISKS');
    expect(approve.evidence.reasons.map((r) => r.code)).toEqual(['SIGNOFFS_MISSING']);
    expect(approve.readiness.verdict).toBe('GO');
    const stored = JSON.parse((await t.prisma.signoff.findFirstOrThrow({ where: { slackUserId: 'U1' } })).evidence);
    expect(stored.verdict).toBe('GO_WITH_RISKS');

    await expect(
      signOff({ db: t.db, now }, { milestoneId: m.id, actor: { type: 'slack', userId: 'U2', teamId: 'T1' }, decision: 'REJECT' }),
    ).rejects.toThrow(/needs a comment/);
    const reject = await signOff(
      { db: t.db, now },
      { milestoneId: m.id, actor: { type: 'slack', userId: 'U2', teamId: 'T1' }, decision: 'REJECT', comment: 'Perf regression' },
    );
    expect(reject.readiness.verdict).toBe('NO_GO');
    expect(reject.readiness.reasons[0]).toEqual({
      code: 'SIGNOFF_REJECTED',
      severity: 'blocker',
      message: 'Sign-off rejected by U2 (“Perf regression”)',
      userIds: ['U2'],
    });
  });
});
