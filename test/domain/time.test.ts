import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { calendarDaysBetween, endOfLocalDay, isValidTimeZone, localDate, parseDueDate, zonedTimeToUtc } from '../../src/domain/time.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

describe('isValidTimeZone', () => {
  it('accepts IANA names and refuses the rest', () => {
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone(NY)).toBe(true);
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('  ')).toBe(false);
  });
});

describe('zonedTimeToUtc', () => {
  it.each([
    // New York: EST (-5) until 2026-03-08 02:00, EDT (-4) until 2026-11-01 02:00.
    ['2026-03-07', '09:00', NY, '2026-03-07T14:00:00.000Z'],
    ['2026-03-08', '09:00', NY, '2026-03-08T13:00:00.000Z'],
    ['2026-03-08', '01:59', NY, '2026-03-08T06:59:00.000Z'],
    ['2026-03-08', '03:00', NY, '2026-03-08T07:00:00.000Z'],
    ['2026-10-31', '09:00', NY, '2026-10-31T13:00:00.000Z'],
    ['2026-11-01', '09:00', NY, '2026-11-01T14:00:00.000Z'],
    ['2026-11-02', '09:00', NY, '2026-11-02T14:00:00.000Z'],
    // Berlin: CET (+1) until 2026-03-29 02:00, CEST (+2) until 2026-10-25 03:00.
    ['2026-03-28', '09:00', BERLIN, '2026-03-28T08:00:00.000Z'],
    ['2026-03-29', '09:00', BERLIN, '2026-03-29T07:00:00.000Z'],
    ['2026-10-24', '09:00', BERLIN, '2026-10-24T07:00:00.000Z'],
    ['2026-10-25', '09:00', BERLIN, '2026-10-25T08:00:00.000Z'],
    ['2026-06-01', '00:00', 'UTC', '2026-06-01T00:00:00.000Z'],
    ['2026-06-01', '09:00', 'Asia/Kolkata', '2026-06-01T03:30:00.000Z'],
  ])('%s %s in %s is %s', (date, time, tz, expected) => {
    expect(zonedTimeToUtc(date, time, tz).toISOString()).toBe(expected);
  });

  it('a time skipped by spring-forward moves forward by the gap', () => {
    expect(zonedTimeToUtc('2026-03-08', '02:30', NY).toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(zonedTimeToUtc('2026-03-29', '02:30', BERLIN).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
  });

  it('a time that occurs twice at fall-back is the earlier one', () => {
    expect(zonedTimeToUtc('2026-11-01', '01:30', NY).toISOString()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(zonedTimeToUtc('2026-10-25', '02:30', BERLIN).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
  });

  it('lands on the requested local date and time for any day of the year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 366 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom(NY, BERLIN, 'UTC', 'Australia/Sydney', 'Asia/Kolkata'),
        (dayOffset, hour, minute, tz) => {
          const date = new Date(Date.UTC(2025, 0, 1 + dayOffset)).toISOString().slice(0, 10);
          const hhmm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const instant = zonedTimeToUtc(date, hhmm, tz);
          expect(localDate(instant, tz)).toBe(date);
          const shown = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
            instant,
          );
          // Equal except inside a spring-forward gap, where the wall clock shows an hour later.
          if (shown !== hhmm) expect(shown).toBe(`${String(hour + 1).padStart(2, '0')}:${hhmm.slice(3)}`);
        },
      ),
    );
  });

  it('every minute of a spring-forward day maps to a wall time at or just after the one asked for', () => {
    for (let minutes = 0; minutes < 24 * 60; minutes += 10) {
      const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      const shown = new Intl.DateTimeFormat('en-GB', { timeZone: NY, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
        zonedTimeToUtc('2026-03-08', hhmm, NY),
      );
      expect(shown).toBe(hhmm.startsWith('02:') ? `03:${hhmm.slice(3)}` : hhmm);
    }
  });

  it('refuses malformed input with a clear message', () => {
    expect(() => zonedTimeToUtc('2026-03-08', '9am', NY)).toThrow(/not a time of day: use 24-hour HH:MM/);
    expect(() => zonedTimeToUtc('2026-03-08', '24:00', NY)).toThrow(AppError);
    expect(() => zonedTimeToUtc('2026-02-30', '09:00', NY)).toThrow(/not a calendar date/);
    expect(() => zonedTimeToUtc('2026-03-08', '09:00', 'Nowhere/Land')).toThrow(/not a time zone I know/);
  });
});

describe('endOfLocalDay', () => {
  it('is the last millisecond of the day in the zone', () => {
    expect(endOfLocalDay('2026-03-18', 'UTC').toISOString()).toBe('2026-03-18T23:59:59.999Z');
    expect(endOfLocalDay('2026-03-18', BERLIN).toISOString()).toBe('2026-03-18T22:59:59.999Z');
    expect(endOfLocalDay('2026-07-04', NY).toISOString()).toBe('2026-07-05T03:59:59.999Z');
  });

  it('is right on DST days (23 and 25 hours long)', () => {
    expect(endOfLocalDay('2026-03-08', NY).toISOString()).toBe('2026-03-09T03:59:59.999Z');
    expect(endOfLocalDay('2026-11-01', NY).toISOString()).toBe('2026-11-02T04:59:59.999Z');
    expect(endOfLocalDay('2026-03-29', BERLIN).toISOString()).toBe('2026-03-29T21:59:59.999Z');
    expect(endOfLocalDay('2026-10-25', BERLIN).toISOString()).toBe('2026-10-25T22:59:59.999Z');
  });

  it('handles a zone whose clocks skip midnight (Chile, 2026-09-06)', () => {
    expect(endOfLocalDay('2026-09-05', 'America/Santiago').toISOString()).toBe('2026-09-06T03:59:59.999Z');
  });

  it('one millisecond later is the next local day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), fc.constantFrom(NY, BERLIN, 'Pacific/Auckland', 'America/Santiago'), (offset, tz) => {
        const date = new Date(Date.UTC(2025, 0, 1 + offset)).toISOString().slice(0, 10);
        const next = new Date(Date.UTC(2025, 0, 2 + offset)).toISOString().slice(0, 10);
        const end = endOfLocalDay(date, tz);
        expect(localDate(end, tz)).toBe(date);
        expect(localDate(new Date(end.getTime() + 1), tz)).toBe(next);
      }),
    );
  });
});

describe('localDate and calendarDaysBetween', () => {
  it('localDate uses the zone', () => {
    const instant = new Date('2026-03-08T04:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-03-08');
    expect(localDate(instant, NY)).toBe('2026-03-07');
    expect(localDate(new Date('2026-12-31T23:30:00Z'), BERLIN)).toBe('2027-01-01');
  });

  it('on the 15th, a milestone due on the 18th is due in 3 days, whatever the hour', () => {
    const due = endOfLocalDay('2026-03-18', NY);
    expect(calendarDaysBetween(zonedTimeToUtc('2026-03-15', '00:01', NY), due, NY)).toBe(3);
    expect(calendarDaysBetween(zonedTimeToUtc('2026-03-15', '23:59', NY), due, NY)).toBe(3);
  });

  it('counts across a DST change as whole days', () => {
    expect(calendarDaysBetween(zonedTimeToUtc('2026-03-07', '12:00', NY), zonedTimeToUtc('2026-03-09', '00:30', NY), NY)).toBe(2);
    expect(calendarDaysBetween(zonedTimeToUtc('2026-10-24', '23:00', BERLIN), endOfLocalDay('2026-10-26', BERLIN), BERLIN)).toBe(2);
  });

  it('is 0 the same day and negative when past', () => {
    const due = endOfLocalDay('2026-03-18', BERLIN);
    expect(calendarDaysBetween(zonedTimeToUtc('2026-03-18', '08:00', BERLIN), due, BERLIN)).toBe(0);
    expect(calendarDaysBetween(zonedTimeToUtc('2026-03-21', '08:00', BERLIN), due, BERLIN)).toBe(-3);
  });

  it('depends on the zone: late evening in New York is already tomorrow in Berlin', () => {
    const now = new Date('2026-03-15T23:30:00-04:00');
    const due = new Date('2026-03-18T16:00:00Z');
    expect(calendarDaysBetween(now, due, NY)).toBe(3);
    expect(calendarDaysBetween(now, due, BERLIN)).toBe(2);
  });
});

describe('parseDueDate', () => {
  it('a date is the end of that day in the milestone zone', () => {
    expect(parseDueDate('2026-03-18', BERLIN).toISOString()).toBe('2026-03-18T22:59:59.999Z');
    expect(parseDueDate(' 2026-11-01 ', NY).toISOString()).toBe('2026-11-02T04:59:59.999Z');
  });

  it.each([
    ['2026-03-18T17:00:00+01:00', '2026-03-18T16:00:00.000Z'],
    ['2026-03-18T17:00:00Z', '2026-03-18T17:00:00.000Z'],
    ['2026-03-18t17:00z', '2026-03-18T17:00:00.000Z'],
    ['2026-03-18T17:00:00.123456-0530', '2026-03-18T22:30:00.123Z'],
  ])('an instant with an offset: %s', (input, expected) => {
    expect(parseDueDate(input, BERLIN).toISOString()).toBe(expected);
  });

  it.each([
    ['next friday', /not a due date I can read: use YYYY-MM-DD \(the end of that day in Europe\/Berlin\)/],
    ['2026-02-30', /not a calendar date/],
    ['2026-13-01', /not a calendar date/],
    ['2026-03-18T17:00:00', /has no time-zone offset/],
    ['2026-03-18T25:00:00Z', /not a due date I can read/],
    ['18/03/2026', /not a due date I can read/],
    ['', /not a due date I can read/],
  ])('refuses %j with VALIDATION_FAILED', (input, message) => {
    try {
      parseDueDate(input, BERLIN);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('VALIDATION_FAILED');
      expect((error as AppError).message).toMatch(message);
    }
  });

  it('reports an unknown zone as such', () => {
    expect(() => parseDueDate('2026-03-18', 'Europe/Berlim')).toThrow(/"Europe\/Berlim" is not a time zone I know/);
  });
});
