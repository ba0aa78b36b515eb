// "Resolved but still failing" on a scripted history: a defect resolved (through
// the use case, so the audit trail says when) whose linked test fails in a run
// that started after that raises RESOLVED_DEFECT_STILL_FAILING in the readiness
// and is told in the milestone's channel once; a failure from before the
// resolution, a test that passes again, or an open defect raise nothing; a
// defect reopened and resolved again that fails again is told again. With
// threads on (the default), the line is a reply in the thread of the
// milestone's living card, told once, and not at all if the fix holds by then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { runLivingTick } from '../../src/jobs/living-tick.js';
import { runResolvedFailingTick } from '../../src/jobs/resolved-failing-tick.js';
import { setChannelThreads } from '../../src/services/set-channel-threads.js';
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
    const { workspace, project } = await seedProject(t, 'PAY', { slackChannelId: 'C-PROJECT' });
    projectId = project.id;
    milestoneId = (await seedMilestone(t, projectId, '2.4', { slackChannelId: 'C-MILESTONE' })).id;
    // Threads off: the line is a message of its own (the living thread is tested below).
    await setChannelThreads(t, { workspaceId: workspace.id, channelId: 'C-MILESTONE', threads: false });
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

describe(`resolved but still failing, in the living thread (${testProvider()})`, () => {
  let t: TestDatabase;
  const logger = createLogger('silent');
  const config = loadConfig({});
  const notifier = new RecordingNotifier();
  const deps = () => ({ db: t.db, notifier, logger, config });

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.cleanup());

  it('with threads on (the default), the line is one reply in the thread of the living card', async () => {
    const projectId = (await seedProject(t, 'SHOP', { slackChannelId: 'C-SHOP' })).project.id;
    const milestoneId = (await seedMilestone(t, projectId, '1.0')).id;
    await seedRun(t, { projectId, milestoneId, name: 'CI #1', startedAt: at(1), results: [resultRow('auth::login', 'FAILED')] });
    const d = await reportDefect(t, { projectId, milestoneId, title: 'Login <b>fails</b>', severity: 'MEDIUM', testKey: 'auth::login' });
    await updateDefect({ ...t, now: () => at(2) }, { projectId, defectId: d.id, patch: { status: 'RESOLVED' }, actor: TEST_OPERATOR });
    await seedRun(t, { projectId, milestoneId, name: 'CI #3', startedAt: at(3), results: [resultRow('auth::login', 'FAILED')] });

    expect(await runResolvedFailingTick(deps(), at(4))).toMatchObject({ sent: 1 });
    expect(await runResolvedFailingTick(deps(), at(5))).toMatchObject({ sent: 0, skipped: 1 });
    expect(notifier.posts).toEqual([]);
    const queued = await t.prisma.outboxItem.findMany({ where: { kind: 'living.event', payload: { contains: 'resolved.failing' } } });
    expect(queued).toHaveLength(1);

    // The living tick on the same clock: due are the resolution (stamped at 02:00) and the line; the
    // set-up's other events are stamped with the real clock, so not due yet.
    expect(await runLivingTick(deps(), at(4))).toMatchObject({ claimed: 2, cardsPosted: 1, replies: 1, failed: 0 });
    expect(await runLivingTick(deps(), at(5))).toMatchObject({ claimed: 0 });
    const [card, reply] = notifier.posts;
    expect(notifier.posts).toHaveLength(2);
    expect(card!.threadTs).toBeUndefined();
    expect(reply!.threadTs).toBe('1.000100');
    expect(reply!.text.split('\n')).toEqual([
      ':white_check_mark: Defect resolved: Login &lt;b&gt;fails&lt;/b&gt;',
      ':repeat: *SHOP/1.0*: defect “Login &lt;b&gt;fails&lt;/b&gt;” was resolved 2026-12-01 02:00 UTC, but its test login (auth::login) ' +
        'failed on default in CI #3, a run that started after that. If the fix did not hold, reopen the defect.',
    ]);
  });

  it('a fix that holds by the time the living tick comes is not told', async () => {
    notifier.posts = [];
    const projectId = (await seedProject(t, 'OPS', { slackChannelId: 'C-OPS' })).project.id;
    const milestoneId = (await seedMilestone(t, projectId, '1.0')).id;
    await seedRun(t, { projectId, milestoneId, name: 'CI #1', startedAt: at(1), results: [resultRow('auth::login', 'FAILED')] });
    const d = await reportDefect(t, { projectId, milestoneId, title: 'Flaky login', severity: 'MEDIUM', testKey: 'auth::login' });
    await updateDefect({ ...t, now: () => at(2) }, { projectId, defectId: d.id, patch: { status: 'RESOLVED' }, actor: TEST_OPERATOR });
    await seedRun(t, { projectId, milestoneId, name: 'CI #3', startedAt: at(3), results: [resultRow('auth::login', 'FAILED')] });
    expect(await runResolvedFailingTick(deps(), at(4))).toMatchObject({ sent: 1 });
    await seedRun(t, { projectId, milestoneId, name: 'CI #5', startedAt: at(5), results: [resultRow('auth::login')] });
    // The event is due, but what it would say no longer holds: done with nothing to tell.
    expect(await runLivingTick(deps(), at(6))).toMatchObject({ claimed: 2, cardsPosted: 1, replies: 1, failed: 0 });
    expect(notifier.posts.filter((p) => p.threadTs !== undefined).map((p) => p.text)).toEqual([
      ':white_check_mark: Defect resolved: Flaky login',
    ]);
    const line = await t.prisma.outboxItem.findMany({
      where: { kind: 'living.event', payload: { contains: 'resolved.failing' }, AND: [{ payload: { contains: d.id } }] },
      select: { status: true, lastError: true },
    });
    expect(line).toEqual([{ status: 'DONE', lastError: null }]);
  });
});
