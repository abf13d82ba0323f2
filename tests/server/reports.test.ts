// GET /api/reports on a seeded facility in New York time: every series with exact numbers, the
// local-day boundary (23:30 local is still that day), the roles, and junk refused with 400.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOwner, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let A: Awaited<ReturnType<typeof signUp>>;
let opId: string;
let viewer: Awaited<ReturnType<typeof joinAs>>;
let operator: Awaited<ReturnType<typeof joinAs>>;

const HOUR = 3600_000;

beforeAll(async () => {
  t = await startTestApp();
  A = await signUp(t);
  expect((await A.client.request('PATCH', '/api/facility', { timezone: 'America/New_York' })).status).toBe(200);
  operator = await joinAs(t, A, 'operator');
  viewer = await joinAs(t, A, 'viewer');
  opId = operator.userId;
  const now = Date.now();
  // New York is UTC-4 in June. Times below are UTC.
  const pkgs: [string, string, string, string | null, Record<string, string | null>][] = [
    ['P1', 'ups', '2026-06-01T14:00:00Z', A.userId, { status: 'delivered', deliveredAt: '2026-06-02T16:00:00Z' }], // 26 h
    ['P2', 'fedex', '2026-06-02T03:30:00Z', A.userId, { status: 'delivered', deliveredAt: '2026-06-02T17:30:00Z' }], // 23:30 local on 06-01; 14 h
    ['P3', 'ups', '2026-06-02T13:00:00Z', opId, { status: 'held', heldAt: '2026-06-02T14:00:00Z' }],
    ['P4', 'usps', '2026-06-03T12:15:00Z', A.userId, { status: 'returned', returnedAt: '2026-06-03T13:00:00Z' }],
    ['P5', 'dhl', '2026-06-01T03:59:00Z', A.userId, { status: 'received' }], // 23:59 local on 05-31: outside
    ['P6', 'ups', '2026-06-01T15:00:00Z', A.userId, { status: 'received', deletedAt: '2026-06-01T16:00:00Z' }], // deleted
    ['P7', 'ups', new Date(now - 2 * HOUR).toISOString(), A.userId, { status: 'received' }],
    ['P8', 'ups', new Date(now - 50 * HOUR).toISOString(), A.userId, { status: 'held' }],
    ['P9', 'ups', new Date(now - 4 * 24 * HOUR).toISOString(), A.userId, { status: 'delivered', deliveredAt: new Date(now).toISOString() }],
  ];
  const ids: Record<string, string> = {};
  await asOwner(t, async (c) => {
    for (const [tag, carrier, receivedAt, by, extra] of pkgs) {
      const id = randomUUID();
      ids[tag] = id;
      await c.query(
        `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", status, "receivedAt", "receivedById",
                               "deliveredAt", "heldAt", "returnedAt", "deletedAt", version)
         VALUES ($1, $2, $3, $4, 'Rita', $5, $6, $7, $8, $9, $10, $11, 1)`,
        [
          id,
          A.facilityId,
          `TRK${tag}`,
          carrier,
          extra.status,
          receivedAt,
          by,
          extra.deliveredAt ?? null,
          extra.heldAt ?? null,
          extra.returnedAt ?? null,
          extra.deletedAt ?? null,
        ],
      );
    }
    const note = (pkg: string, sentAt: string | null) =>
      c.query(
        `INSERT INTO notifications (id, "facilityId", "packageId", kind, channel, status, "sentAt", version)
         VALUES ($1, $2, $3, 'received', 'email', $4, $5, 1)`,
        [randomUUID(), A.facilityId, ids[pkg], sentAt ? 'sent' : 'queued', sentAt],
      );
    await note('P1', '2026-06-01T14:30:00Z'); // 30 min
    await note('P2', '2026-06-02T03:40:00Z'); // 10 min
    await note('P2', '2026-06-02T09:00:00Z'); // a reminder: the first one counts
    await note('P3', null); // queued, not sent yet
  });
});
afterAll(() => t?.close());

describe('GET /api/reports', () => {
  it('computes every series in the facility’s time zone', async () => {
    const res = await A.client.get('/api/reports?from=2026-06-01&to=2026-06-03');
    expect(res.status, res.text).toBe(200);
    const r = res.json;
    expect(r.timezone).toBe('America/New_York');
    expect(r.receivedPerDay).toEqual([
      { day: '2026-06-01', count: 2 }, // P1 and P2 (23:30 local), not P5 (05-31 local) nor the deleted P6
      { day: '2026-06-02', count: 1 },
      { day: '2026-06-03', count: 1 },
    ]);
    expect(r.byCarrier).toEqual([
      { carrier: 'ups', count: 2 },
      { carrier: 'fedex', count: 1 },
      { carrier: 'usps', count: 1 },
    ]);
    expect(r.waitingByAge).toEqual([
      { bucket: '<1d', count: 1 },
      { bucket: '1-3d', count: 1 },
      { bucket: '3-7d', count: 0 },
      { bucket: '>7d', count: 2 }, // P3 (held) and P5
    ]);
    expect(r.deliveryTime.medianHours).toBe(20);
    expect(r.deliveryTime.perDay).toEqual([
      { day: '2026-06-01', delivered: 0, medianHours: null },
      { day: '2026-06-02', delivered: 2, medianHours: 20 },
      { day: '2026-06-03', delivered: 0, medianHours: null },
    ]);
    expect(r.holdsAndReturns).toEqual([
      { day: '2026-06-01', holds: 0, returns: 0 },
      { day: '2026-06-02', holds: 1, returns: 0 },
      { day: '2026-06-03', holds: 0, returns: 1 },
    ]);
    expect(r.busiestHours).toHaveLength(24);
    expect(r.busiestHours.filter((h: { count: number }) => h.count > 0)).toEqual([
      { hour: 8, count: 1 },
      { hour: 9, count: 1 },
      { hour: 10, count: 1 },
      { hour: 23, count: 1 },
    ]);
    expect(r.operators).toEqual([
      { userId: A.userId, name: A.body.name, logged: 3, notified: 2, medianMinutesToNotification: 20 },
      { userId: opId, name: 'New operator', logged: 1, notified: 0, medianMinutesToNotification: null },
    ]);
  });

  it('moves the day boundary with the time zone', async () => {
    // In UTC the 23:30 package is on 06-02 and the 23:59 one on 06-01.
    expect((await A.client.request('PATCH', '/api/facility', { timezone: 'UTC' })).status).toBe(200);
    try {
      const r = (await A.client.get('/api/reports?from=2026-06-01&to=2026-06-01')).json;
      expect(r.receivedPerDay).toEqual([{ day: '2026-06-01', count: 2 }]); // P1 and P5
      expect(r.busiestHours.filter((h: { count: number }) => h.count > 0)).toEqual([
        { hour: 3, count: 1 },
        { hour: 14, count: 1 },
      ]);
    } finally {
      expect((await A.client.request('PATCH', '/api/facility', { timezone: 'America/New_York' })).status).toBe(200);
    }
  });

  it('lets admins and viewers read, not operators', async () => {
    expect((await viewer.client.get('/api/reports?from=2026-06-01&to=2026-06-03')).status).toBe(200);
    const op = await operator.client.get('/api/reports?from=2026-06-01&to=2026-06-03');
    expect([op.status, op.json.error]).toEqual([403, 'forbidden']);
  });

  it('refuses junk with 400', async () => {
    for (const q of [
      '',
      '?from=2026-06-01',
      '?from=2026-06-03&to=2026-06-01',
      '?from=2026-02-30&to=2026-03-01',
      '?from=2025-01-01&to=2026-06-01',
      '?from=yesterday&to=today',
      '?from=2026-06-01&to=2026-06-02&facilityId=x',
      "?from=2026-06-01'--&to=2026-06-02",
    ]) {
      const res = await A.client.get(`/api/reports${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.error, q).toBe('invalid_input');
    }
  });
});
