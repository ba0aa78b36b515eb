// When a subscription's digest is due, computed from `now` alone (not from
// "cron fired"), so the first tick after a restart catches up a missed digest,
// once. The local time is resolved in the subscription's zone for each day, so
// 09:00 stays 09:00 local across DST changes.
import { localDate, zonedTimeToUtc } from '../domain/time.js';
import { previousDay, zoneOf } from './snapshots.js';

export const DIGEST_CATCH_UP_MS = 24 * 3_600_000;

export interface DigestSchedule {
  digestTime: string;
  timeZone: string;
  weekdaysOnly: boolean;
}

export function isWeekend(day: string): boolean {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * The local day whose digest is due at `now`: today's once its time has come,
 * else yesterday's if that was missed less than `catchUpMs` ago. Null when none.
 */
export function dueDigestDay(s: DigestSchedule, now: Date, catchUpMs = DIGEST_CATCH_UP_MS): { day: string; at: Date } | null {
  const tz = zoneOf(s.timeZone);
  const today = localDate(now, tz);
  for (const day of [today, previousDay(today)]) {
    if (s.weekdaysOnly && isWeekend(day)) continue;
    const at = zonedTimeToUtc(day, s.digestTime, tz);
    if (at <= now && now.getTime() - at.getTime() < catchUpMs) return { day, at };
  }
  return null;
}
