// The forecast (SPEC §10): a seeded Monte-Carlo over the milestone's own daily
// history, so a scripted burn-down gives exact dates; thin history gives null
// with a reason; FORECAST_AFTER_DUE fires when p85 falls after a due date still ahead.
import { describe, expect, it } from 'vitest';
import { resolveGatePolicy, type GatePolicy } from '../../src/domain/gate-policy.js';
import { forecastGo, forgetForecasts, seededRandom, type ForecastDay } from '../../src/domain/forecast.js';
import { evaluateReadiness, type ReadinessFacts } from '../../src/domain/readiness.js';
import { NOW, defect, goFacts, results, signoff } from './readiness-facts.js';

/** Snapshots ending yesterday (2026-03-14; NOW is 2026-03-15 in UTC), one per listed day, oldest first. */
function days(rows: [openBlockers: number, failing: number, untested?: number | null][], lastDay = 14): ForecastDay[] {
  return rows.map(([openBlockers, failing, untested], i) => ({
    day: `2026-03-${String(lastDay - rows.length + 1 + i).padStart(2, '0')}`,
    openBlockers,
    failing,
    untested: untested ?? null,
  }));
}

/** Two blocking defects open and 12 of 100 results failing (the 95% gate allows 5): 2 blockers and 7 failures of work. */
function burnDown(history: ForecastDay[], patch: Partial<ReadinessFacts> = {}): ReadinessFacts {
  return goFacts({
    results: results(88, 12),
    environments: [{ name: 'staging', runs: 1, executed: 100, passed: 88 }],
    defects: { open: [defect('HIGH', 'One'), defect('CRITICAL', 'Two')], waived: 0, resolved: 0 },
    forecastHistory: { seed: 'milestone-1', days: history },
    ...patch,
  });
}

const evaluate = (facts: ReadinessFacts, policy: Partial<GatePolicy> = {}, now = NOW) =>
  evaluateReadiness(facts, resolveGatePolicy(null, policy), now);
const due = (day: string) => ({ status: 'ACTIVE' as const, dueDate: new Date(`${day}T23:59:59.999Z`), timeZone: 'UTC' });

describe('forecast of a scripted burn-down', () => {
  // One blocker closed and two failing tests fixed every day for four days.
  const steady = days([
    [6, 20],
    [5, 18],
    [4, 16],
    [3, 14],
    [2, 12],
  ]);

  it('a steady pace gives exact dates: 2 blockers take 2 days, 7 failures at 2 a day take 4', () => {
    const r = evaluate(burnDown(steady));
    expect(r.forecastUnavailable).toBeNull();
    expect(r.forecast).toEqual({
      p50: '2026-03-19',
      p85: '2026-03-19',
      basis: {
        days: 4,
        daysWithMovement: 4,
        from: '2026-03-11',
        to: '2026-03-14',
        rates: { blockersClosedPerDay: 1, failingFixedPerDay: 2, coverageGainedPerDay: 0 },
        remaining: { blockers: 2, failing: 7, untested: 0 },
        simulations: 1000,
      },
    });
  });

  it('a missing day is bridged: the change between two snapshots is spread over the days between them', () => {
    const gappy = steady.filter((d) => d.day !== '2026-03-12' && d.day !== '2026-03-13');
    expect(evaluate(burnDown(gappy)).forecast).toMatchObject({
      p50: '2026-03-19',
      p85: '2026-03-19',
      basis: { days: 4, daysWithMovement: 4 },
    });
  });

  it('coverage counts too: 20 scoped cases to cover at 5 a day', () => {
    const history = days([
      [0, 0, 40],
      [0, 0, 35],
      [0, 0, 30],
      [0, 0, 25],
    ]);
    const facts = goFacts({
      scope: { patterns: ['*'], inScope: 100, covered: 80, untested: { count: 20, sample: [] } },
      forecastHistory: { seed: 'm', days: history },
    });
    const r = evaluate(facts);
    expect(r.forecast).toMatchObject({
      p50: '2026-03-19',
      p85: '2026-03-19',
      basis: { remaining: { blockers: 0, failing: 0, untested: 20 } },
    });
  });

  it('an uneven pace gives a spread, the same dates every time for the same milestone and day', () => {
    // Failing tests fixed per day: 0, 5, 0, 1, 0, 3, 0 (9 in 7 days); blockers: one closed on three of those days.
    const uneven = days([
      [4, 30],
      [4, 30],
      [3, 25],
      [3, 25],
      [2, 24],
      [2, 24],
      [1, 21],
      [1, 21],
    ]);
    const facts = burnDown(uneven, { defects: { open: [defect('HIGH')], waived: 0, resolved: 0 } });
    const r = evaluate(facts);
    // Pinned from the seeded generator (seed "milestone-1|2026-03-15|<simulation>"): 1 blocker and 7 failures to go.
    expect(r.forecast).toMatchObject({
      p50: '2026-03-21',
      p85: '2026-03-25',
      basis: { days: 7, daysWithMovement: 3, rates: { blockersClosedPerDay: 0.43, failingFixedPerDay: 1.29 } },
    });
    expect(evaluate(facts).forecast).toEqual(r.forecast);
    // At most 5 fixed a day, 7 to fix: never before the second day.
    expect(r.forecast!.p50 >= '2026-03-17').toBe(true);
  });

  it('days from today on and days older than 30 are left out', () => {
    const noisy = [
      ...steady,
      { day: '2026-02-01', openBlockers: 50, failing: 90, untested: null },
      { day: '2026-03-15', openBlockers: 0, failing: 0, untested: null },
      { day: '2026-03-16', openBlockers: 9, failing: 9, untested: null },
    ];
    expect(evaluate(burnDown(noisy)).forecast).toEqual(evaluate(burnDown(steady)).forecast);
  });

  it('nothing left to do: the forecast is today, whatever the history', () => {
    expect(evaluate(goFacts({ forecastHistory: { seed: 'm', days: [] } })).forecast).toMatchObject({
      p50: '2026-03-15',
      p85: '2026-03-15',
      basis: { days: 0, remaining: { blockers: 0, failing: 0, untested: 0 } },
    });
  });

  it('critical failures must all be fixed, even when the pass rate allows that many failures', () => {
    const facts = goFacts({
      results: results(98, 2),
      criticalFailures: { count: 2, sample: [] },
      forecastHistory: {
        seed: 'm',
        days: days([
          [0, 5],
          [0, 4],
          [0, 3],
          [0, 2],
        ]),
      },
    });
    expect(evaluate(facts).forecast).toMatchObject({ p50: '2026-03-17', basis: { remaining: { failing: 2 } } });
  });
});

describe('no forecast, and why', () => {
  it('too little history: fewer than 3 days with movement', () => {
    const r = evaluate(
      burnDown(
        days([
          [3, 14],
          [3, 14],
          [3, 14],
          [2, 12],
        ]),
      ),
    );
    expect(r.forecast).toBeNull();
    expect(r.forecastUnavailable).toEqual({
      code: 'THIN_HISTORY',
      message: 'Too little history: 1 day with movement in the last 3 days, 3 needed',
    });
    expect(evaluate(burnDown([])).forecastUnavailable?.code).toBe('THIN_HISTORY');
    const notLookedAt = burnDown([]);
    delete notLookedAt.forecastHistory;
    expect(evaluate(notLookedAt).forecastUnavailable?.code).toBe('THIN_HISTORY');
  });

  it('no progress on a kind of work that remains', () => {
    const r = evaluate(
      burnDown(
        days([
          [2, 20],
          [2, 18],
          [2, 16],
          [2, 14],
        ]),
      ),
    );
    expect(r.forecastUnavailable).toEqual({ code: 'NO_PROGRESS', message: 'No blocking defect closed in the last 3 days' });
  });

  it('more opened than closed: not within a year at that pace', () => {
    // Three days with a blocker closed, then nine with one opened.
    const history = days([[5], [4], [3], [2], [3], [4], [5], [6], [7], [8], [9], [10], [11]].map(([b]) => [b!, 0] as [number, number]));
    const outcome = forecastGo({
      today: '2026-03-15',
      active: true,
      work: { blockers: 11, failing: 0, untested: 0 },
      heldBy: [],
      history: { seed: 's', days: history },
    });
    expect(outcome).toEqual({
      forecast: null,
      unavailable: { code: 'NO_PROGRESS', message: 'At the pace of the last 12 days the gate would not clear within a year' },
    });
  });

  it('a rejected sign-off, too few results or an untested required environment hold the gate: no forecast', () => {
    const steady = days([
      [6, 20],
      [5, 18],
      [4, 16],
      [3, 14],
    ]);
    const rejected = evaluate(burnDown(steady, { signoffs: [signoff('U1', 'REJECT')] }));
    expect(rejected.forecastUnavailable).toEqual({
      code: 'HELD_BY_OTHER_RULES',
      message: 'The gate is held by a rejected sign-off, which history cannot forecast',
    });
    expect(evaluate(burnDown(steady), { minExecuted: 500, requiredEnvironments: ['production'] }).forecastUnavailable?.message).toBe(
      'The gate is held by too few executed results and an untested required environment, which history cannot forecast',
    );
  });

  it('a completed milestone has none', () => {
    const r = evaluate(burnDown([], { milestone: { status: 'COMPLETED', dueDate: null, timeZone: 'UTC' } }));
    expect(r.forecastUnavailable?.code).toBe('NOT_ACTIVE');
  });
});

describe('FORECAST_AFTER_DUE', () => {
  const steady = days([
    [6, 20],
    [5, 18],
    [4, 16],
    [3, 14],
    [2, 12],
  ]);
  const forecastReason = (facts: ReadinessFacts, now = NOW) =>
    evaluate(facts, {}, now).reasons.find((x) => x.code === 'FORECAST_AFTER_DUE');
  const forecastCheck = (facts: ReadinessFacts, now = NOW) => evaluate(facts, {}, now).checks.find((c) => c.rule === 'forecast');

  it('p85 after the due date is a risk, with the dates and the pace', () => {
    const facts = burnDown(steady, { milestone: due('2026-03-18') });
    expect(forecastReason(facts)).toEqual({
      code: 'FORECAST_AFTER_DUE',
      severity: 'risk',
      message:
        'At this pace the gate clears around 2026-03-19 (85% by 2026-03-19), after the due date 2026-03-18: ' +
        '1 blocking defect closed a day, 2 failing tests fixed a day over the last 4 days',
    });
    expect(forecastCheck(facts)).toEqual({ rule: 'forecast', status: 'risk', actual: 4, threshold: 3 });
  });

  it('p85 on or before the due date passes', () => {
    const facts = burnDown(steady, { milestone: due('2026-03-19') });
    expect(forecastReason(facts)).toBeUndefined();
    expect(forecastCheck(facts)).toEqual({ rule: 'forecast', status: 'pass', actual: 4, threshold: 4 });
  });

  it('no progress on remaining work with a due date ahead is a risk too', () => {
    const facts = burnDown(
      days([
        [2, 20],
        [2, 18],
        [2, 16],
        [2, 14],
      ]),
      { milestone: due('2026-04-30') },
    );
    expect(forecastReason(facts)?.message).toBe(
      'Due 2026-04-30, and at the recent pace the gate would not clear: no blocking defect closed in the last 3 days',
    );
    expect(forecastCheck(facts)).toMatchObject({ status: 'risk', actual: null });
  });

  it('not once the due date has passed (OVERDUE says so), nor without a due date, nor on thin history', () => {
    const late = burnDown(steady, { milestone: due('2026-03-14') });
    expect(forecastReason(late)).toBeUndefined();
    expect(forecastCheck(late)?.status).toBe('n/a');
    expect(evaluate(late).reasons.map((r) => r.code)).toContain('OVERDUE');
    expect(forecastCheck(burnDown(steady))).toEqual({ rule: 'forecast', status: 'n/a', actual: 4, threshold: null });
    expect(forecastCheck(burnDown(days([[2, 12]]), { milestone: due('2026-03-16') }))?.status).toBe('n/a');
  });

  it('it fires only while work is left, so the verdict is already NO_GO or INSUFFICIENT_EVIDENCE: it adds a date, never a tier', () => {
    const noGo = evaluate(burnDown(steady, { milestone: due('2026-03-18') }));
    expect(noGo.verdict).toBe('NO_GO');
    expect(noGo.reasons.at(-1)?.code).toBe('FORECAST_AFTER_DUE');
    const uncovered = goFacts({
      milestone: due('2026-03-20'),
      scope: { patterns: ['*'], inScope: 100, covered: 60, untested: { count: 40, sample: [] } },
      forecastHistory: {
        seed: 'm',
        days: days([
          [0, 0, 40],
          [0, 0, 35],
          [0, 0, 30],
          [0, 0, 25],
        ]),
      },
    });
    const r = evaluate(uncovered);
    expect(r.verdict).toBe('INSUFFICIENT_EVIDENCE');
    expect(r.forecast?.p85).toBe('2026-03-23');
    expect(r.reasons.map((x) => x.code)).toEqual(['UNTESTED_SCOPE', 'FORECAST_AFTER_DUE']);
  });
});

describe('the seeded generator', () => {
  it('is the same sequence for the same seed, in [0, 1)', () => {
    const a = seededRandom('x');
    const b = seededRandom('x');
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    expect(seededRandom('y')()).not.toBe(xs[0]);
  });

  it('forecastGo is pure: the same input gives the same output', () => {
    const input = {
      today: '2026-03-15',
      active: true,
      work: { blockers: 3, failing: 4, untested: 0 },
      heldBy: [],
      history: {
        seed: 's',
        days: days([
          [5, 9],
          [5, 7],
          [4, 7],
          [3, 6],
          [3, 4],
        ]),
      },
    };
    expect(forecastGo(input)).toEqual(forecastGo(structuredClone(input)));
  });

  it('a remembered forecast is the one computed afresh, for inputs that differ in any one part', () => {
    const base = {
      today: '2026-03-15',
      active: true,
      work: { blockers: 3, failing: 4, untested: 2 },
      heldBy: [],
      history: {
        seed: 's',
        days: days([
          [5, 9, 6],
          [5, 7, 5],
          [4, 7, 5],
          [3, 6, 4],
          [3, 4, 3],
        ]),
      },
    };
    const inputs = [
      base,
      { ...base, today: '2026-03-16' },
      { ...base, work: { ...base.work, failing: 9 } },
      { ...base, work: { ...base.work, untested: 6 } },
      { ...base, history: { ...base.history, seed: 't' } },
      { ...base, history: { ...base.history, days: base.history.days.map((d, i) => (i === 2 ? { ...d, failing: 8 } : d)) } },
      { ...base, history: { ...base.history, days: base.history.days.map((d, i) => ({ ...d, untested: i < 4 ? 6 : 5 })) } },
    ];
    const fresh = inputs.map((input) => {
      forgetForecasts();
      return forecastGo(input);
    });
    forgetForecasts();
    for (const input of inputs) forecastGo(input);
    expect(inputs.map((input) => forecastGo(input))).toEqual(fresh);
    // Each variant's dates differ from the first input's, so a key that left that part out would show.
    const dates = fresh.map((f) => `${f.forecast?.p50} ${f.forecast?.p85}`);
    for (const d of dates.slice(1)) expect(d).not.toBe(dates[0]);
  });
});
