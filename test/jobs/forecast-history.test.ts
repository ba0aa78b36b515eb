// The forecast on a real database (SPEC §10): a scripted burn-down, day by day
// with a fake clock, through the real use cases (results posted, defects
// resolved) and the daily tick that writes each finished day's snapshot; then
// the readiness forecasts the expected dates exactly. Also: thin history gives
// null with a reason, FORECAST_AFTER_DUE fires against a due date the pace
// misses, rows from before the forecast columns are read, and the read is bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { loadConfig } from '../../src/config.js';
import { LogNotifier } from '../../src/notify/notifier.js';
import { finaliseDailySnapshots } from '../../src/jobs/snapshots.js';
import { getReadiness } from '../../src/services/get-readiness.js';
import { reportDefect } from '../../src/services/report-defect.js';
import { updateDefect } from '../../src/services/update-defect.js';
import { loadForecastHistory } from '../../src/db/forecast-history.js';
import { WINDOW_DAYS } from '../../src/domain/forecast.js';
import { resultRow, seedMilestone, seedProject, seedRun, TEST_OPERATOR } from '../helpers/factories.js';
import { createTestDatabase, testProvider, type TestDatabase } from '../helpers/test-database.js';

// Tokyo (UTC+9, no DST): local noon on day d of April 2030 is 03:00 UTC; 00:30 the next local day is 15:30 UTC.
const TZ = 'Asia/Tokyo';
const noon = (d: number) => new Date(Date.UTC(2030, 3, d, 3, 0));
const afterMidnight = (d: number) => new Date(Date.UTC(2030, 3, d, 15, 30));

describe(`forecast from daily snapshots (${testProvider()})`, () => {
  let t: TestDatabase;
  let projectId: string;
  const logger = createLogger('silent');
  const tickDeps = () => ({ db: t.db, logger, notifier: new LogNotifier(logger), config: loadConfig({}) });
  const at = (now: Date) => ({ db: t.db, now: () => now, jiraCheck: null });

  beforeAll(async () => {
    t = await createTestDatabase();
    projectId = (await seedProject(t, 'FC')).project.id;
  });
  afterAll(async () => t.cleanup());

  /** Day d's run: `fixed` of the 10 failing tests pass now, and `covered` of the 4 skipped scoped tests have run (and passed). */
  const dayRun = (milestoneId: string, d: number, fixed: number, covered: number) =>
    seedRun(at(noon(d)), {
      projectId,
      milestoneId,
      name: `day ${d}`,
      startedAt: noon(d),
      results: [
        ...Array.from({ length: 30 }, (_, i) => resultRow(`pay::t${i}`, i < 20 + fixed ? 'PASSED' : 'FAILED')),
        ...Array.from({ length: 4 }, (_, i) => resultRow(`pay::s${i}`, i < covered ? 'PASSED' : 'SKIPPED')),
      ],
    });

  async function burnDown(name: string, dueDate: string | null) {
    const m = await seedMilestone(at(noon(1)), projectId, name, { timeZone: TZ, scope: ['pay::*'], dueDate });
    await t.prisma.milestone.update({ where: { id: m.id }, data: { createdAt: noon(1) } });
    const defects = [];
    for (let i = 0; i < 4; i++) {
      defects.push(await reportDefect(at(noon(1)), { projectId, milestoneId: m.id, title: `Blocker ${i}`, severity: 'HIGH' }));
    }
    // Each day: one blocker closed, two failing tests fixed, one scoped test covered.
    for (let d = 1; d <= 4; d++) {
      if (d > 1) {
        await updateDefect(at(noon(d)), { projectId, defectId: defects[d - 2]!.id, patch: { status: 'RESOLVED' }, actor: TEST_OPERATOR });
      }
      await dayRun(m.id, d, 2 * (d - 1), d - 1);
      await finaliseDailySnapshots(tickDeps(), afterMidnight(d));
    }
    return m;
  }

  it('a steady burn-down: the tick keeps each day, and the forecast gives the expected dates', async () => {
    const m = await burnDown('steady', null);
    const rows = await t.prisma.readinessSnapshot.findMany({ where: { milestoneId: m.id }, orderBy: { day: 'asc' } });
    expect(rows.map((r) => [r.day, r.openBlockers, r.failing, r.untested])).toEqual([
      ['2030-04-01', 4, 10, 4],
      ['2030-04-02', 3, 8, 3],
      ['2030-04-03', 2, 6, 2],
      ['2030-04-04', 1, 4, 1],
    ]);
    const r = await getReadiness(at(noon(5)), m.id);
    // Now: 1 blocker; 29 of 33 executed passed (32 needed for 95%): 3 to fix at 2 a day; 1 scoped test to cover at 1 a day.
    expect(r.verdict).toBe('NO_GO');
    expect(r.forecastUnavailable).toBeNull();
    expect(r.forecast).toEqual({
      p50: '2030-04-07',
      p85: '2030-04-07',
      basis: {
        days: 3,
        daysWithMovement: 3,
        from: '2030-04-02',
        to: '2030-04-04',
        rates: { blockersClosedPerDay: 1, failingFixedPerDay: 2, coverageGainedPerDay: 1 },
        remaining: { blockers: 1, failing: 3, untested: 1 },
        simulations: 1000,
      },
    });
    expect(r.checks.find((c) => c.rule === 'forecast')).toEqual({ rule: 'forecast', status: 'n/a', actual: 2, threshold: null });
  });

  it('a due date the pace misses raises FORECAST_AFTER_DUE; the verdict stays NO_GO', async () => {
    const m = await burnDown('late', '2030-04-06');
    const r = await getReadiness(at(noon(5)), m.id);
    expect(r.verdict).toBe('NO_GO');
    expect(r.reasons.find((x) => x.code === 'FORECAST_AFTER_DUE')).toEqual({
      code: 'FORECAST_AFTER_DUE',
      severity: 'risk',
      message:
        'At this pace the gate clears around 2030-04-07 (85% by 2030-04-07), after the due date 2030-04-06: ' +
        '1 blocking defect closed a day, 2 failing tests fixed a day, 1 scoped test covered a day over the last 3 days',
    });
    expect(r.checks.find((c) => c.rule === 'forecast')).toEqual({ rule: 'forecast', status: 'risk', actual: 2, threshold: 1 });
  });

  it('thin history: null, with the reason', async () => {
    const m = await seedMilestone(at(noon(1)), projectId, 'thin', { timeZone: TZ });
    await t.prisma.milestone.update({ where: { id: m.id }, data: { createdAt: noon(1) } });
    await reportDefect(at(noon(1)), { projectId, milestoneId: m.id, title: 'Still open', severity: 'CRITICAL' });
    await seedRun(at(noon(1)), { projectId, milestoneId: m.id, startedAt: noon(1), passed: 5, failed: 0, suite: 'thin' });
    await finaliseDailySnapshots(tickDeps(), afterMidnight(1));
    const r = await getReadiness(at(noon(2)), m.id);
    expect(r.forecast).toBeNull();
    expect(r.forecastUnavailable).toEqual({
      code: 'THIN_HISTORY',
      message: 'Too little history: no day-to-day change recorded yet, 3 days with movement needed',
    });
  });

  it('rows written before the forecast columns existed are read (failing from the pass rate); at most a window of rows is read', async () => {
    const m = await seedMilestone(at(noon(1)), projectId, 'old rows', { timeZone: TZ });
    const day = (i: number) => new Date(Date.UTC(2030, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    await t.prisma.readinessSnapshot.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        milestoneId: m.id,
        day: day(i),
        verdict: 'NO_GO',
        passRate: 189 / 200,
        executed: 200,
        openBlockers: 2,
      })),
    });
    const history = await loadForecastHistory(t.db, m.id);
    expect(history.days).toHaveLength(WINDOW_DAYS + 1);
    expect(history.days[0]).toEqual({ day: day(59), openBlockers: 2, failing: 11, untested: null });
    expect(history.days.at(-1)!.day).toBe(day(59 - WINDOW_DAYS));
  });
});
