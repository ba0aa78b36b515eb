// Daily readiness snapshots per milestone (ReadinessSnapshot, unique per
// milestone and local day), so the digest's trend and "change since the last
// digest" survive restarts. A day's row is written once and never replaced: by
// that day's first digest (so the next digest compares with exactly what the
// last one showed), or, for a day no digest looked at, by the first tick after
// the local midnight that ended it (the state at the end of that day).
import type { Prisma } from '../db/open-database.js';
import { isUniqueViolation } from '../db/errors.js';
import { endOfLocalDay, isValidTimeZone, localDate } from '../domain/time.js';
import { openBlockers, type DaySnapshot } from '../charts/trend.js';
import { getReadiness, type ReadinessView } from '../services/get-readiness.js';
import type { TickDeps } from './tick-deps.js';

export { openBlockers };

export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

export function zoneOf(tz: string): string {
  return isValidTimeZone(tz) ? tz : 'UTC';
}

/** What a day's row keeps: the trend's pass rate and blockers, and the forecast's failing and untested counts. */
function snapshotCounts(r: ReadinessView) {
  const m = r.metrics;
  return {
    verdict: r.verdict,
    passRate: m.passRate,
    executed: m.executed,
    openBlockers: openBlockers(r),
    failing: m.executed - m.passed,
    untested: m.inScope === null ? null : m.inScope - (m.covered ?? 0),
  };
}

/** Writes the snapshot of `day` unless one exists; of two replicas writing it at once, the first stays. */
export async function saveSnapshot(prisma: Prisma, milestoneId: string, day: string, r: ReadinessView, now: Date): Promise<void> {
  const data = { ...snapshotCounts(r), createdAt: now };
  try {
    await prisma.readinessSnapshot.create({ data: { milestoneId, day, ...data } });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
}

/**
 * Writes the snapshots of many milestones at once (one read, one insert),
 * keeping any that exist; falls back to one at a time if another replica
 * wrote some of them in between.
 */
export async function saveSnapshots(
  prisma: Prisma,
  rows: { milestoneId: string; day: string; readiness: ReadinessView }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const existing = await prisma.readinessSnapshot.findMany({
    where: { milestoneId: { in: rows.map((r) => r.milestoneId) }, day: { in: [...new Set(rows.map((r) => r.day))] } },
    select: { milestoneId: true, day: true },
  });
  const have = new Set(existing.map((e) => `${e.milestoneId}/${e.day}`));
  const missing = rows.filter((r) => !have.has(`${r.milestoneId}/${r.day}`));
  if (missing.length === 0) return;
  const data = missing.map((r) => ({
    milestoneId: r.milestoneId,
    day: r.day,
    ...snapshotCounts(r.readiness),
    createdAt: now,
  }));
  try {
    await prisma.readinessSnapshot.createMany({ data });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    for (const r of missing) await saveSnapshot(prisma, r.milestoneId, r.day, r.readiness, now);
  }
}

/**
 * Writes yesterday's snapshot of every active milestone that has none (no
 * digest looked at it that day). One query decides which need it, so ticks
 * that have nothing to do cost almost nothing. Returns how many were written.
 */
export async function finaliseDailySnapshots(deps: TickDeps, now: Date): Promise<number> {
  const prisma = deps.db.prisma;
  const milestones = await prisma.milestone.findMany({
    where: { status: 'ACTIVE' },
    select: { id: true, timeZone: true, createdAt: true },
  });
  const wanted = milestones
    .map((m) => {
      const tz = zoneOf(m.timeZone);
      const day = previousDay(localDate(now, tz));
      return { id: m.id, day, endOfDay: endOfLocalDay(day, tz), createdAt: m.createdAt };
    })
    // A milestone created today has no yesterday.
    .filter((w) => w.createdAt <= w.endOfDay);
  if (wanted.length === 0) return 0;
  const existing = await prisma.readinessSnapshot.findMany({
    where: { milestoneId: { in: wanted.map((w) => w.id) }, day: { in: [...new Set(wanted.map((w) => w.day))] } },
    select: { milestoneId: true, day: true },
  });
  const have = new Set(existing.map((s) => `${s.milestoneId}/${s.day}`));
  let written = 0;
  for (const w of wanted) {
    if (have.has(`${w.id}/${w.day}`)) continue;
    try {
      const readiness = await getReadiness({ db: deps.db, now: () => now }, w.id);
      await saveSnapshot(prisma, w.id, w.day, readiness, now);
      written++;
    } catch (err) {
      deps.logger.error({ err, milestoneId: w.id }, 'daily snapshot failed');
    }
  }
  return written;
}

/** Snapshots of these milestones for these days. */
export async function loadSnapshots(
  prisma: Prisma,
  milestoneIds: string[],
  days: string[],
): Promise<(DaySnapshot & { milestoneId: string })[]> {
  if (milestoneIds.length === 0 || days.length === 0) return [];
  return prisma.readinessSnapshot.findMany({
    where: { milestoneId: { in: milestoneIds }, day: { in: days } },
    select: { milestoneId: true, day: true, passRate: true, executed: true, openBlockers: true },
  });
}
