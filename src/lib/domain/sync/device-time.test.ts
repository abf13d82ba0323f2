import { describe, expect, it } from 'vitest';
import { boundDeviceTime } from './device-time';

const now = '2026-11-29T12:00:00.000Z';

describe('boundDeviceTime', () => {
  it('keeps a plausible device time as the device said it', () => {
    expect(boundDeviceTime('2026-11-29T11:58:30.000Z', now)).toBe('2026-11-29T11:58:30.000Z');
    expect(boundDeviceTime('2026-11-20T08:00:00+02:00', now)).toBe('2026-11-20T06:00:00.000Z');
    expect(boundDeviceTime('2026-11-29T12:05:00.000Z', now)).toBe('2026-11-29T12:05:00.000Z'); // small skew ahead
  });

  it('clamps a clock far in the past or the future to the edge of the window', () => {
    expect(boundDeviceTime('2001-01-01T00:00:00.000Z', now)).toBe('2026-10-30T12:00:00.000Z');
    expect(boundDeviceTime('2031-01-01T00:00:00.000Z', now)).toBe('2026-11-29T12:10:00.000Z');
  });

  it('answers now for a time that is not one', () => {
    expect(boundDeviceTime('yesterday', now)).toBe(now);
  });
});
