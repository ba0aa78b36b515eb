// The forecast's history (SPEC §10): a milestone's most recent daily readiness
// snapshots (ReadinessSnapshot, written by the digests and the daily tick,
// jobs/snapshots.ts), a bounded read of at most WINDOW_DAYS + 1 rows through the
// (milestoneId, day) unique index, so readiness never scans result history.
import type { Database } from './open-database.js';
import { WINDOW_DAYS, type ForecastDay, type ForecastHistory } from '../domain/forecast.js';

export async function loadForecastHistory(db: Database, milestoneId: string): Promise<ForecastHistory> {
  // Today's row (if a digest wrote it) is read too and left out by the forecast: one more row.
  const rows = await db.prisma.readinessSnapshot.findMany({
    where: { milestoneId },
    orderBy: { day: 'desc' },
    take: WINDOW_DAYS + 1,
    select: { day: true, passRate: true, executed: true, openBlockers: true, failing: true, untested: true },
  });
  return { seed: milestoneId, days: rows.map(toForecastDay) };
}

/** A row from before `failing` was kept: passRate is passed / executed, so the rest did not pass. */
export function toForecastDay(row: {
  day: string;
  passRate: number | null;
  executed: number;
  openBlockers: number;
  failing: number | null;
  untested: number | null;
}): ForecastDay {
  const failing = row.failing ?? (row.passRate === null ? 0 : row.executed - Math.round(row.passRate * row.executed));
  return { day: row.day, openBlockers: row.openBlockers, failing, untested: row.untested };
}
