// The ship-date forecast (SPEC §10): a seeded Monte-Carlo of the local day the
// gate's failing checks would clear, from the milestone's own daily history
// (blocking defects closed, failing tests fixed, scoped cases covered per day),
// with no per-test estimates. Pure: the same history, work and day give the
// same dates. The method and its limits are in docs/forecast.md.

/** One day of a milestone's history: its daily snapshot (ReadinessSnapshot). */
export interface ForecastDay {
  /** The milestone's local calendar date, YYYY-MM-DD. */
  day: string;
  openBlockers: number;
  /** Executed results that did not pass (failed + blocked). */
  failing: number;
  /** Scoped cases with no executed result; null without a scope (or before it was recorded). */
  untested: number | null;
}

export interface ForecastHistory {
  /** What the random stream is seeded from with the day (the milestone id): the same day gives the same dates. */
  seed: string;
  /** Daily snapshots, in any order; days from today on are ignored. */
  days: ForecastDay[];
}

/** What stands between the milestone and a gate with no failing check, in the units history measures. */
export interface ForecastWork {
  blockers: number;
  /** Failing results to fix: beyond what the pass-rate gate allows, and at least the critical failures. */
  failing: number;
  /** Scoped cases to cover to reach the coverage gate. */
  untested: number;
}

export interface ForecastBasis {
  /** Days of history the daily rates come from (the last WINDOW_DAYS at most, today excluded). */
  days: number;
  /** Of those, days on which any of the three counts moved. */
  daysWithMovement: number;
  from: string;
  to: string;
  /** Mean net progress per day over those days (negative when it went backwards). */
  rates: { blockersClosedPerDay: number; failingFixedPerDay: number; coverageGainedPerDay: number };
  remaining: ForecastWork;
  simulations: number;
}

export interface Forecast {
  /** Local dates (YYYY-MM-DD): half of the simulated futures clear the gate by p50, 85% by p85. */
  p50: string;
  p85: string;
  basis: ForecastBasis;
}

export const FORECAST_GAPS = ['NOT_ACTIVE', 'HELD_BY_OTHER_RULES', 'THIN_HISTORY', 'NO_PROGRESS'] as const;
export type ForecastGap = (typeof FORECAST_GAPS)[number];

/** Why there is no forecast. NO_PROGRESS means: at the recent pace, not within HORIZON_DAYS. */
export interface ForecastUnavailable {
  code: ForecastGap;
  message: string;
}

export type ForecastOutcome = { forecast: Forecast; unavailable: null } | { forecast: null; unavailable: ForecastUnavailable };

export interface ForecastInput {
  /** The milestone's local date now. */
  today: string;
  active: boolean;
  work: ForecastWork;
  /** Failing gate rules history cannot forecast (a rejected sign-off, nothing executed…), in words. */
  heldBy: string[];
  history: ForecastHistory | undefined;
}

/** How far back the rates look, in days. */
export const WINDOW_DAYS = 30;
/** Fewer days than this on which anything moved is too little history to forecast from. */
export const MIN_MOVING_DAYS = 3;
export const SIMULATIONS = 1000;
/** A simulated future that has not cleared the gate after this many days never does. */
export const HORIZON_DAYS = 365;
const EPSILON = 1e-9;

export function forecastGo(input: ForecastInput): ForecastOutcome {
  const { today, work } = input;
  if (!input.active) return gap('NOT_ACTIVE', 'The milestone is not active');
  if (input.heldBy.length > 0) {
    return gap('HELD_BY_OTHER_RULES', `The gate is held by ${input.heldBy.join(' and ')}, which history cannot forecast`);
  }
  const samples = dailySamples(input.history?.days ?? [], today);
  const basis = (simulations: number): ForecastBasis => ({
    days: samples.length,
    daysWithMovement: samples.filter(moved).length,
    from: samples[0]?.day ?? today,
    to: samples.at(-1)?.day ?? today,
    rates: {
      blockersClosedPerDay: mean(samples.map((s) => s.blockers)),
      failingFixedPerDay: mean(samples.map((s) => s.failing)),
      coverageGainedPerDay: mean(samples.map((s) => s.untested)),
    },
    remaining: { ...work },
    simulations,
  });
  if (done(work)) return { forecast: { p50: today, p85: today, basis: basis(0) }, unavailable: null };

  const moving = samples.filter(moved).length;
  if (moving < MIN_MOVING_DAYS) {
    return gap(
      'THIN_HISTORY',
      samples.length === 0
        ? `Too little history: no day-to-day change recorded yet, ${MIN_MOVING_DAYS} days with movement needed`
        : `Too little history: ${moving} ${moving === 1 ? 'day' : 'days'} with movement in the last ` +
            `${samples.length} ${samples.length === 1 ? 'day' : 'days'}, ${MIN_MOVING_DAYS} needed`,
    );
  }
  const stalled = (Object.keys(work) as (keyof ForecastWork)[]).filter((k) => work[k] > EPSILON && !samples.some((s) => s[k] > EPSILON));
  if (stalled.length > 0) {
    return gap('NO_PROGRESS', `No ${stalled.map((k) => PROGRESS_WORDS[k]).join(' and no ')} in the last ${samples.length} days`);
  }

  const finish = finishDays(`${input.history?.seed ?? ''}|${today}`, work, samples);
  if (finish === null) {
    return gap('NO_PROGRESS', `At the pace of the last ${samples.length} days the gate would not clear within a year`);
  }
  const { p50, p85 } = finish;
  return { forecast: { p50: addDays(today, p50), p85: addDays(today, p85), basis: basis(SIMULATIONS) }, unavailable: null };
}

/**
 * The days by which half and 85% of the simulated futures clear the work, or
 * null when more than 15% never do within the horizon. A pure function of its
 * arguments, remembered for the last MEMO_SIZE of them: readiness is asked for
 * far more often than the history, the work or the day change, and the
 * simulation is the costly part of a readiness request (milliseconds). The key
 * is every input itself, so a remembered answer is the one it would compute.
 */
function finishDays(seed: string, work: ForecastWork, samples: Sample[]): { p50: number; p85: number } | null {
  const key = JSON.stringify([seed, work.blockers, work.failing, work.untested, samples.map((s) => [s.blockers, s.failing, s.untested])]);
  if (memo.has(key)) {
    const found = memo.get(key)!;
    memo.delete(key); // most recently used last
    memo.set(key, found);
    return found;
  }
  const found = simulateFinish(seed, work, samples);
  memo.set(key, found);
  if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
  return found;
}

const MEMO_SIZE = 500;
const memo = new Map<string, { p50: number; p85: number } | null>();

/** Forgets the remembered simulations (for tests that compare with a fresh computation). */
export function forgetForecasts(): void {
  memo.clear();
}

function simulateFinish(seed: string, work: ForecastWork, samples: Sample[]): { p50: number; p85: number } | null {
  // One stream per simulated future, so each future draws the same days whatever the work:
  // less work then never gives a later date.
  // More futures than this that never clear put p85 beyond the horizon: stop simulating then (the costly case).
  const mayNeverClear = SIMULATIONS - Math.ceil(0.85 * SIMULATIONS);
  const finish: number[] = [];
  let neverCleared = 0;
  for (let i = 0; i < SIMULATIONS && neverCleared <= mayNeverClear; i++) {
    const days = simulate(work, samples, seededRandom(`${seed}|${i}`));
    if (!Number.isFinite(days)) neverCleared++;
    finish.push(days);
  }
  finish.sort((a, b) => a - b);
  const p50 = percentile(finish, 0.5);
  const p85 = percentile(finish, 0.85);
  if (neverCleared > mayNeverClear || !Number.isFinite(p85)) return null;
  return { p50, p85 };
}

/** Whole calendar days from one local date to another (negative when `to` is earlier). */
export function daysFrom(from: string, to: string): number {
  return Math.round((dayNumber(to) - dayNumber(from)) / 86_400_000);
}

const PROGRESS_WORDS: Record<keyof ForecastWork, string> = {
  blockers: 'blocking defect closed',
  failing: 'failing test fixed',
  untested: 'scoped test newly covered',
};

interface Sample {
  day: string;
  /** Progress that day: blockers closed, failing results fixed, scoped cases covered (net; negative went backwards). */
  blockers: number;
  failing: number;
  untested: number;
}

/**
 * One sample per calendar day between the first and the last snapshot of the
 * window (today excluded): the change from one snapshot to the next, spread
 * evenly over the days between them when days are missing.
 */
function dailySamples(days: ForecastDay[], today: string): Sample[] {
  const firstDay = addDays(today, -WINDOW_DAYS);
  const byDay = new Map<string, ForecastDay>();
  for (const d of days) if (d.day >= firstDay && d.day < today) byDay.set(d.day, d);
  const rows = [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  const samples: Sample[] = [];
  for (let i = 1; i < rows.length; i++) {
    const before = rows[i - 1]!;
    const after = rows[i]!;
    const span = daysFrom(before.day, after.day);
    const covered = before.untested !== null && after.untested !== null ? before.untested - after.untested : 0;
    for (let k = 1; k <= span; k++) {
      samples.push({
        day: addDays(before.day, k),
        blockers: (before.openBlockers - after.openBlockers) / span,
        failing: (before.failing - after.failing) / span,
        untested: covered / span,
      });
    }
  }
  return samples;
}

/** The number of days one simulated future takes to clear the work, or Infinity beyond the horizon. */
function simulate(work: ForecastWork, samples: Sample[], random: () => number): number {
  let { blockers, failing, untested } = work;
  for (let day = 1; day <= HORIZON_DAYS; day++) {
    // A whole past day at a time, so days when several things moved together stay together.
    const s = samples[Math.floor(random() * samples.length)]!;
    blockers = Math.max(0, blockers - s.blockers);
    failing = Math.max(0, failing - s.failing);
    untested = Math.max(0, untested - s.untested);
    if (done({ blockers, failing, untested })) return day;
  }
  return Number.POSITIVE_INFINITY;
}

/** The smallest value at least `share` of the sorted values are at or below. */
function percentile(sorted: number[], share: number): number {
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)]!;
}

function done(work: ForecastWork): boolean {
  return work.blockers <= EPSILON && work.failing <= EPSILON && work.untested <= EPSILON;
}

function moved(s: Sample): boolean {
  return Math.abs(s.blockers) > EPSILON || Math.abs(s.failing) > EPSILON || Math.abs(s.untested) > EPSILON;
}

function mean(values: number[]): number {
  if (values.length === 0) return 0;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}

function gap(code: ForecastGap, message: string): ForecastOutcome {
  return { forecast: null, unavailable: { code, message } };
}

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function addDays(day: string, n: number): string {
  return new Date(dayNumber(day) + n * 86_400_000).toISOString().slice(0, 10);
}

/** mulberry32 over a 32-bit FNV-1a hash of the seed: small, fast and the same on every platform. */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let state = h;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
