// "Resolved but still failing" on a scripted history: a defect resolved (through
// the use case, so the audit trail says when) whose linked test fails in a run
// that started after that raises RESOLVED_DEFECT_STILL_FAILING in the readiness
// and is told in the milestone's channel once; a failure from before the
// resolution, a test that passes again, or an open defect raise nothing; a
// defect reopened and resolved again that fails again is told again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runResolvedFailingTick } from '../../src/jobs/resolved-failing-tick.js';
import { reportDefect } from '../../src/services/report-defect.js';
import { updateDefect } from '../../src/services/update-defect.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { resultRow, seedMilestone, seedProject, seedRun, TEST_OPERATOR } from '../helpers/factories.js';
import { RecordingNotifier } from '../helpers/recording-notifier.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

const at = (hour: number) => new Date(Date.UTC(2026, 11, 1, hour));

describe(`resolved but still failing (${testProvider()})`, () => {
  let t: TestDatabase;
  let projectId: string;
  let milestoneId: string;
  const defects: Record<string, string> = {};
  const logger = createLogger('silent');
  const config = loadConfig({});
  const notifier = new RecordingNotifier();
  const tick = (now: Date) => runResolvedFailingTick({ db: t.db, notifier, logger, config }, now);
  const run = (hour: number, name: string, results: ReturnType<typeof resultRow>[]) =>
    seedRun(t, { projectId, milestoneId, name, startedAt: at(hour), results });
  const setStatus = (key: string, status: 'RESOLVED' | 'OPEN', hour: number) =>
    updateDefect({ ...t, now: () => at(hour) }, { projectId, defectId: defects[key]!, patch: { status }, actor: TEST_OPERATOR });

  beforeAll(async () => {
    t = await createTestDatabase();
    projectId = (await seedProject(t, 'PAY', { slackChannelId: 'C-PROJECT' })).project.id;
    milestoneId = (await seedMilestone(t, projectId, '2.4', { slackChannelId: 'C-MILESTONE' })).id;
    await run(1, 'CI #1', [
      resultRow('auth::login', 'FAILED'),
      resultRow('pay::card', 'FAILED'),
      resultRow('old::x', 'FAILED'),
      resultRow('open::y', 'FAILED'),
    ]);
    for (const [key, testKey, title] of [
      ['login', 'auth::login', 'Login fails on Safari'],
      ['card', 'pay::card', 'Card payments time out'],
      ['old', 'old::x', 'Old <b>bug</b>'],
      ['open', 'open::y', 'Still open'],
    ] as const) {
      defects[key] = (await reportDefect(t, { projectId, milestoneId, title, severity: 'MEDIUM', testKey })).id;
    }
    await setStatus('login', 'RESOLVED', 2);
    await setStatus('card', 'RESOLVED', 2);
    await setStatus('old', 'RESOLVED', 2);
    // After the resolutions: login still fails, card passes, old::x and open::y are not run again.
    await run(3, 'CI #3', [resultRow('auth::login', 'FAILED'), resultRow('pay::card'), resultRow('open::y', 'FAILED')]);
  });
  afterAll(async () => t.cleanup());

  it('the readiness names the resolved defect whose test failed in a later run, and only that one', async () => {
    const readiness = await getReadiness({ ...t, now: () => at(4) }, milestoneId);
    expect(readiness.reasons.filter((r) => r.code === 'RESOLVED_DEFECT_STILL_FAILING')).toEqual([
      {
        code: 'RESOLVED_DEFECT_STILL_FAILING',
        severity: 'risk',
        message:
          'A fix did not hold: defect “Login fails on Safari” was resolved, but its test login (auth::login) ' +
          'failed on default in CI #3, a run that started after that',
      },
    ]);
    expect(readiness.checks.find((c) => c.rule === 'resolvedDefectsFailing')).toEqual({
      rule: 'resolvedDefectsFailing',
      status: 'risk',
      actual: 1,
      threshold: 0,
    });
  });

  it('says so once in the milestone channel, however many ticks', async () => {
    notifier.posts = [];
    expect(await tick(at(4))).toEqual({ considered: 1, sent: 1, skipped: 0, failed: 0 });
    expect(await tick(at(5))).toEqual({ considered: 1, sent: 0, skipped: 1, failed: 0 });
    expect(notifier.posts.map((p) => [p.channel, p.text])).toEqual([
      [
        'C-MILESTONE',
        ':repeat: *PAY/2.4*: defect “Login fails on Safari” was resolved 2026-12-01 02:00 UTC, but its test login (auth::login) ' +
          'failed on default in CI #3, a run that started after that. If the fix did not hold, reopen the defect.',
      ],
    ]);
  });

  it('reopened, resolved again and failing again: told again; passing again: the risk goes', async () => {
    notifier.posts = [];
    await setStatus('login', 'OPEN', 6);
    await setStatus('login', 'RESOLVED', 7);
    expect(await tick(at(7))).toEqual({ considered: 0, sent: 0, skipped: 0, failed: 0 });
    await run(8, 'CI #8', [resultRow('auth::login', 'FAILED')]);
    expect(await tick(at(9))).toEqual({ considered: 1, sent: 1, skipped: 0, failed: 0 });
    expect(notifier.posts.map((p) => p.text)).toEqual([expect.stringContaining('was resolved 2026-12-01 07:00 UTC, but its test login')]);
    await run(10, 'CI #10', [resultRow('auth::login')]);
    const readiness = await getReadiness({ ...t, now: () => at(11) }, milestoneId);
    expect(readiness.reasons.map((r) => r.code)).not.toContain('RESOLVED_DEFECT_STILL_FAILING');
  });
});
