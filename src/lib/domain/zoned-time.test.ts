import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCalendarDate, localDate, localDateTime, localDayRange, nextDate, startOfLocalDay } from './zoned-time';

describe('zoned time', () => {
  it('knows real dates', () => {
    expect(isCalendarDate('2026-11-29')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-01', '29/11/2026', '', '2026-11-29T00:00'])
      expect(isCalendarDate(bad), bad).toBe(false);
  });

  it('finds when a local day starts, across daylight saving changes', () => {
    expect(startOfLocalDay('2026-11-29', 'UTC').toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(startOfLocalDay('2026-11-29', 'America/New_York').toISOString()).toBe('2026-11-29T05:00:00.000Z');
    expect(startOfLocalDay('2026-07-01', 'America/New_York').toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-29', 'Asia/Kolkata').toISOString()).toBe('2026-11-28T18:30:00.000Z');
    expect(startOfLocalDay('2026-11-29', 'Pacific/Kiritimati').toISOString()).toBe('2026-11-28T10:00:00.000Z');
    // Santiago skips midnight on the day its clocks go forward: the day starts at 01:00.
    expect(localDateTime(startOfLocalDay('2026-09-06', 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06 01:00:00');
  });

  it('a range covers whole local days, both ends included', () => {
    const r = localDayRange('2026-11-01', '2026-11-30', 'Europe/Paris');
    expect([r.start.toISOString(), r.end.toISOString()]).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-30T23:00:00.000Z']);
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
  });

  it('reads an instant on the local wall clock', () => {
    expect(localDateTime('2026-11-29T04:59:59.999Z', 'America/New_York')).toBe('2026-11-28 23:59:59');
    expect(localDateTime(null, 'UTC')).toBe('');
    expect(localDate('2026-11-29T23:30:00Z', 'Asia/Tokyo')).toBe('2026-11-30');
  });

  it('every instant of a local day falls in that day', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (at, tz) => {
          const day = localDate(at, tz);
          const { start, end } = localDayRange(day, day, tz);
          expect(start.getTime()).toBeLessThanOrEqual(at.getTime());
          expect(end.getTime()).toBeGreaterThan(at.getTime());
        },
      ),
      { numRuns: 300 },
    );
  });
});
