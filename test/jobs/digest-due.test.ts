// When a digest is due: local time per day (DST), weekdays, the catch-up window.
import { describe, expect, it } from 'vitest';
import { dueDigestDay, isWeekend } from '../../src/jobs/digest-due.js';
import { zonedTimeToUtc } from '../../src/domain/time.js';

const ny = { digestTime: '09:00', timeZone: 'America/New_York', weekdaysOnly: false };

describe('dueDigestDay', () => {
  it('is due from the local digest time on, whatever the UTC offset that day', () => {
    for (const day of ['2027-03-13', '2027-03-15', '2027-11-06', '2027-11-08']) {
      const at = zonedTimeToUtc(day, '09:00', 'America/New_York');
      expect(dueDigestDay(ny, new Date(at.getTime() - 1))?.day).not.toBe(day);
      expect(dueDigestDay(ny, at)).toEqual({ day, at });
    }
  });

  it('catches up yesterday within the window, not older', () => {
    const yesterday = zonedTimeToUtc('2027-05-17', '09:00', 'UTC');
    const schedule = { ...ny, timeZone: 'UTC' };
    expect(dueDigestDay(schedule, new Date(yesterday.getTime() + 23 * 3_600_000))?.day).toBe('2027-05-17');
    expect(dueDigestDay(schedule, new Date(yesterday.getTime() + 23 * 3_600_000), 3_600_000)).toBeNull();
  });

  it('skips Saturday and Sunday when weekdays only', () => {
    expect(isWeekend('2027-05-15')).toBe(true);
    expect(isWeekend('2027-05-17')).toBe(false);
    const saturday = zonedTimeToUtc('2027-05-15', '09:00', 'America/New_York');
    expect(dueDigestDay({ ...ny, weekdaysOnly: true }, saturday)).toBeNull();
    expect(dueDigestDay(ny, saturday)?.day).toBe('2027-05-15');
  });

  it('reads an unknown zone as UTC rather than failing the tick', () => {
    const at = new Date('2027-05-17T09:00:00Z');
    expect(dueDigestDay({ ...ny, timeZone: 'Mars/Olympus' }, at)?.day).toBe('2027-05-17');
  });
});
