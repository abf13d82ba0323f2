// Retention counts exact elapsed days (N × 24 h) from when a photo was taken, so time zones and
// daylight-saving changes cannot move an expiry: there is no calendar in these rules, and the
// property tests below use plain instants on purpose.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PHOTO_RETENTION_DAYS,
  expiredPhotos,
  expiresWithRetention,
  isPhotoExpired,
  isRetentionDays,
  photoExpiresAt,
  photoTakenAt,
  recordedPhotos,
  retentionCutoff,
} from './photo-retention';

const DAY = 24 * 3600 * 1000;
const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true });
const days = fc.integer({ min: 7, max: 365 });

describe('which attachments expire', () => {
  it('intake and delivery photos expire; a signature stays as the proof of delivery', () => {
    expect(expiresWithRetention('intake')).toBe(true);
    expect(expiresWithRetention('delivery')).toBe(true);
    expect(expiresWithRetention('signature')).toBe(false);
  });
});

describe('retention bounds', () => {
  it('7 to 365 whole days, 90 by default', () => {
    expect([6, 7, 90, 365, 366, 7.5, NaN].map(isRetentionDays)).toEqual([false, true, true, true, false, false, false]);
    expect(isRetentionDays(DEFAULT_PHOTO_RETENTION_DAYS)).toBe(true);
  });
});

describe('expiry', () => {
  it('a photo 91 days old has expired under the default, one 89 days old has not', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    expect(isPhotoExpired(new Date(now.getTime() - 91 * DAY).toISOString(), 90, now)).toBe(true);
    expect(isPhotoExpired(new Date(now.getTime() - 89 * DAY).toISOString(), 90, now)).toBe(false);
    // Across the March DST change in Europe and the US: still exactly 90 × 24 h.
    expect(photoExpiresAt('2026-01-01T10:00:00.000Z', 90)).toBe('2026-04-01T10:00:00.000Z');
  });

  it('expires exactly `days` × 24 h after it was taken, and never before', () => {
    fc.assert(
      fc.property(instant, days, fc.integer({ min: -5 * DAY, max: 5 * DAY }), (taken, d, offset) => {
        const takenAt = taken.toISOString();
        const expiry = Date.parse(photoExpiresAt(takenAt, d));
        expect(expiry - taken.getTime()).toBe(d * DAY);
        const now = new Date(expiry + offset);
        expect(isPhotoExpired(takenAt, d, now)).toBe(offset >= 0);
        // The job's cutoff selects exactly the expired photos.
        expect(taken.getTime() <= retentionCutoff(now, d).getTime()).toBe(offset >= 0);
      }),
    );
  });

  it('a shorter retention never keeps a photo longer', () => {
    fc.assert(
      fc.property(instant, instant, days, days, (taken, now, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a];
        if (isPhotoExpired(taken.toISOString(), long, now)) expect(isPhotoExpired(taken.toISOString(), short, now)).toBe(true);
      }),
    );
  });
});

describe('when a photo was taken', () => {
  it('the earliest of the server recording it and the device times of the acts that attached it', () => {
    expect(photoTakenAt('2026-03-10T08:00:00.000Z')).toBe('2026-03-10T08:00:00.000Z');
    // Taken offline on the 2nd, synced on the 10th: counts from the 2nd.
    expect(photoTakenAt('2026-03-10T08:00:00.000Z', ['2026-03-02T09:00:00.000Z'])).toBe('2026-03-02T09:00:00.000Z');
    // A device clock ahead of the server never makes a photo live longer.
    expect(photoTakenAt('2026-03-10T08:00:00.000Z', ['2026-03-10T08:09:00.000Z', null, 'junk'])).toBe('2026-03-10T08:00:00.000Z');
  });

  it('is never after the server recorded it nor after any device time given', () => {
    fc.assert(
      fc.property(instant, fc.array(instant, { maxLength: 4 }), (recorded, device) => {
        const taken = Date.parse(
          photoTakenAt(
            recorded.toISOString(),
            device.map((d) => d.toISOString()),
          ),
        );
        expect(taken).toBeLessThanOrEqual(recorded.getTime());
        for (const d of device) expect(taken).toBeLessThanOrEqual(d.getTime());
        expect([recorded, ...device].some((d) => d.getTime() === taken)).toBe(true);
      }),
    );
  });
});

describe('photos deleted after the retention period, as the package page tells', () => {
  const events = [
    { type: 'received', data: { carrier: 'ups' } },
    { type: 'photo_attached', data: { hash: 'a1', kind: 'intake' } },
    { type: 'delivered', data: { deliveredTo: 'Ann', signatureHash: 's1', photoHash: 'd1' } },
    { type: 'handoff_refused', data: { deliveredTo: 'Bo', photoHash: 'd2' } },
    { type: 'photo_attached', data: { hash: 'x', kind: 'signature' } },
  ];

  it('the log names the photos; signatures are not among them', () => {
    expect(recordedPhotos(events)).toEqual([
      { hash: 'a1', kind: 'intake' },
      { hash: 'd1', kind: 'delivery' },
      { hash: 'd2', kind: 'delivery' },
    ]);
  });

  it('what no live attachment holds any more has expired', () => {
    const live = [
      { hash: 'd1', kind: 'delivery' as const },
      { hash: 's1', kind: 'signature' as const },
    ];
    expect(expiredPhotos(events, live)).toEqual([
      { hash: 'a1', kind: 'intake' },
      { hash: 'd2', kind: 'delivery' },
    ]);
    expect(expiredPhotos(events, [...live, { hash: 'a1', kind: 'intake' }, { hash: 'd2', kind: 'delivery' }])).toEqual([]);
  });
});
