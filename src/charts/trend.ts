// A milestone's (or a project's) readiness per day: what the digest's trend
// picture and its text sparkline are drawn from (and the readiness page's,
// the same picture). Pure.
import type { Readiness } from '../domain/readiness.js';

/** How many days a trend covers, today included. */
export const TREND_DAYS = 14;

/** Open defects of the severities that block: the bars of the trend. */
export function openBlockers(r: Pick<Readiness, 'metrics' | 'policy'>): number {
  return r.policy.blockingSeverities.reduce((n, s) => n + (r.metrics.openDefectsBySeverity[s] ?? 0), 0);
}

export interface TrendPoint {
  /** Local calendar date, YYYY-MM-DD. */
  day: string;
  /** Null when nothing was executed that day, or no snapshot exists for it. */
  passRate: number | null;
  openBlockers: number | null;
}

export interface DaySnapshot {
  day: string;
  passRate: number | null;
  executed: number;
  openBlockers: number;
}

/**
 * One point per day from `days` (oldest first). Several milestones' snapshots
 * of one day are summed: pass rate weighted by what each executed, blockers
 * added up. A day with no snapshot stays a gap rather than being invented.
 */
export function trendPoints(days: string[], snapshots: DaySnapshot[]): TrendPoint[] {
  const byDay = new Map<string, { passed: number; executed: number; blockers: number }>();
  for (const s of snapshots) {
    const acc = byDay.get(s.day) ?? { passed: 0, executed: 0, blockers: 0 };
    acc.executed += s.executed;
    acc.passed += (s.passRate ?? 0) * s.executed;
    acc.blockers += s.openBlockers;
    byDay.set(s.day, acc);
  }
  return days.map((day) => {
    const acc = byDay.get(day);
    if (!acc) return { day, passRate: null, openBlockers: null };
    return { day, passRate: acc.executed ? acc.passed / acc.executed : null, openBlockers: acc.blockers };
  });
}

/** The `count` calendar dates ending with `lastDay`, oldest first. */
export function dayRange(lastDay: string, count: number): string[] {
  const end = Date.parse(`${lastDay}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}
