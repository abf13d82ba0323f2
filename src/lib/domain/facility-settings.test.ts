import { describe, expect, it } from 'vitest';
import { facilitySettingsInput, inQuietHours, isTimeZone } from './facility-settings';

describe('quiet hours', () => {
  it('span the day or past midnight; start included, end excluded', () => {
    const day = { start: '12:00', end: '14:00' };
    expect(['12:00', '13:59'].map((t) => inQuietHours(day, t))).toEqual([true, true]);
    expect(['11:59', '14:00', '00:00'].map((t) => inQuietHours(day, t))).toEqual([false, false, false]);
    const night = { start: '22:00', end: '07:00' };
    expect(['22:00', '23:59', '00:00', '06:59'].map((t) => inQuietHours(night, t))).toEqual([true, true, true, true]);
    expect(['07:00', '12:00', '21:59'].map((t) => inQuietHours(night, t))).toEqual([false, false, false]);
    expect(inQuietHours(null, '03:00')).toBe(false);
  });

  it('are validated: HH:MM on a 24-hour clock, different start and end, or null', () => {
    expect(facilitySettingsInput.safeParse({ quietHours: { start: '22:00', end: '07:00' } }).success).toBe(true);
    expect(facilitySettingsInput.safeParse({ quietHours: null }).success).toBe(true);
    for (const q of [
      { start: '7:00', end: '08:00' },
      { start: '24:00', end: '01:00' },
      { start: '10:00', end: '10:00' },
      { start: '10:00' },
    ]) {
      expect(facilitySettingsInput.safeParse({ quietHours: q }).success, JSON.stringify(q)).toBe(false);
    }
  });
});

describe('time zones', () => {
  it('accepts IANA zones and refuses invented ones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(facilitySettingsInput.safeParse({ timezone: 'Mars/Olympus_Mons' }).success).toBe(false);
  });
});
