// Time-zone arithmetic for due dates, "due in N days" and local digest times,
// with Intl only. A milestone's calendar lives in its own zone: a due
// date given as a date is the end of that day there, and days are counted as
// calendar dates there, so DST days of 23 or 25 hours still count as one day.
import { AppError } from './errors.js';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^(\d{1,2}):(\d{2})$/;
// RFC 3339 profile of ISO-8601: a date, a time, and a mandatory offset (or Z).
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i;

interface WallClock {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new AppError(
        'VALIDATION_FAILED',
        `"${tz}" is not a time zone I know: use an IANA name such as UTC, Europe/Berlin or America/New_York.`,
      );
    }
    formatters.set(tz, formatter);
  }
  return formatter;
}

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** Date.UTC without its two-digit-year quirk (years 0–99 would become 19xx). */
function utcMs(c: WallClock): number {
  const d = new Date(Date.UTC(2000, c.month - 1, c.day, c.hour, c.minute, c.second, c.millisecond));
  d.setUTCFullYear(c.year, c.month - 1, c.day);
  return d.getTime();
}

function wallClockAt(instantMs: number, tz: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour === 24 ? 0 : parts.hour!, // some ICU builds still say 24 at midnight
    minute: parts.minute!,
    second: parts.second!,
    millisecond: ((instantMs % 1000) + 1000) % 1000,
  };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(instantMs: number, tz: string): number {
  return utcMs(wallClockAt(instantMs, tz)) - instantMs;
}

/**
 * The instant a wall clock in tz shows `c`. Resolves DST like Temporal's
 * "compatible" disambiguation: a time skipped by a spring-forward gap moves
 * forward by the gap (02:30 → 03:30), and a time that occurs twice in a
 * fall-back overlap is the earlier of the two.
 */
function wallClockToInstant(c: WallClock, tz: string): number {
  const local = utcMs(c);
  // Offsets a day either side: no real zone changes offset twice in 48 hours.
  const before = offsetAt(local - DAY_MS, tz);
  const after = offsetAt(local + DAY_MS, tz);
  const candidates = [local - before, local - after].filter((t) => utcMs(wallClockAt(t, tz)) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - before; // in a gap: read the wall time with the offset in force before it
}

function parseDateOnly(date: string): { year: number; month: number; day: number } | null {
  const m = DATE_ONLY.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDate(year, month, day) ? { year, month, day } : null;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const probe = utcMs({ year, month, day, hour: 12, minute: 0, second: 0, millisecond: 0 });
  return new Date(probe).getUTCDate() === day;
}

function requireDate(date: string): { year: number; month: number; day: number } {
  const parsed = parseDateOnly(date);
  if (!parsed) {
    throw new AppError('VALIDATION_FAILED', `"${date}" is not a calendar date: use YYYY-MM-DD, e.g. 2026-03-18.`);
  }
  return parsed;
}

/** The local wall time `hhmm` (HH:MM, 24-hour) on `date` (YYYY-MM-DD) in tz, as an instant. */
export function zonedTimeToUtc(date: string, hhmm: string, tz: string): Date {
  const { year, month, day } = requireDate(date);
  const m = HH_MM.exec(hhmm);
  const hour = m ? Number(m[1]) : NaN;
  const minute = m ? Number(m[2]) : NaN;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) {
    throw new AppError('VALIDATION_FAILED', `"${hhmm}" is not a time of day: use 24-hour HH:MM, e.g. 09:00 or 17:30.`);
  }
  return new Date(wallClockToInstant({ year, month, day, hour, minute, second: 0, millisecond: 0 }, tz));
}

/** The last millisecond of calendar day `date` in tz: just before the next local midnight. */
export function endOfLocalDay(date: string, tz: string): Date {
  const { year, month, day } = requireDate(date);
  const next = new Date(utcMs({ year, month, day, hour: 12, minute: 0, second: 0, millisecond: 0 }) + DAY_MS);
  const nextMidnight = wallClockToInstant(
    {
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
    },
    tz,
  );
  return new Date(nextMidnight - 1);
}

/** The calendar date (YYYY-MM-DD) an instant falls on in tz. */
export function localDate(instant: Date, tz: string): string {
  const c = wallClockAt(instant.getTime(), tz);
  return `${String(c.year).padStart(4, '0')}-${pad2(c.month)}-${pad2(c.day)}`;
}

/**
 * Calendar days from one instant's local date to another's: on the 15th, the
 * 18th is 3 days away whatever the hour; negative when `toInstant` is earlier.
 */
export function calendarDaysBetween(fromInstant: Date, toInstant: Date, tz: string): number {
  const dayNumber = (instant: Date) => {
    const c = wallClockAt(instant.getTime(), tz);
    return utcMs({ ...c, hour: 0, minute: 0, second: 0, millisecond: 0 }) / DAY_MS;
  };
  return dayNumber(toInstant) - dayNumber(fromInstant);
}

/**
 * A due date as typed by a person or sent by CI: `YYYY-MM-DD` (the end of that
 * day in tz) or an ISO-8601 instant with an offset. A time without an offset is
 * refused rather than guessed, since the zone it was meant in is unknowable.
 */
export function parseDueDate(input: string, tz: string): Date {
  const text = input.trim();
  formatterFor(tz); // an unknown zone is reported as such, not as a bad date
  if (parseDateOnly(text)) return endOfLocalDay(text, tz);
  const instant = parseIsoInstant(text);
  if (instant) return instant;
  if (DATE_ONLY.test(text)) {
    throw new AppError('VALIDATION_FAILED', `"${input}" is not a calendar date: check the month and day (YYYY-MM-DD).`);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(text)) {
    throw new AppError(
      'VALIDATION_FAILED',
      `"${input}" has no time-zone offset: add one (e.g. ${text}Z or ${text}+01:00), or give just the date (YYYY-MM-DD).`,
    );
  }
  throw new AppError(
    'VALIDATION_FAILED',
    `"${input}" is not a due date I can read: use YYYY-MM-DD (the end of that day in ${tz}) ` +
      'or a full ISO-8601 time with an offset, e.g. 2026-03-18T17:00:00+01:00.',
  );
}

function parseIsoInstant(text: string): Date | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const millisecond = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = m[8]!.toUpperCase();
  let offsetMs = 0;
  if (offset !== 'Z') {
    const digits = offset.replace(':', '');
    const offHours = Number(digits.slice(1, 3));
    const offMinutes = Number(digits.slice(3, 5));
    if (offHours > 23 || offMinutes > 59) return null;
    offsetMs = (digits.startsWith('-') ? -1 : 1) * (offHours * 60 + offMinutes) * 60_000;
  }
  return new Date(utcMs({ year, month, day, hour, minute, second, millisecond }) - offsetMs);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
