import { describe, expect, it } from 'vitest';
import { reportTables, reportsQuery, type Reports } from './reports';

describe('reportsQuery', () => {
  it('takes two real days in order, at most 366 days apart', () => {
    expect(reportsQuery.safeParse({ from: '2026-06-01', to: '2026-06-01' }).success).toBe(true);
    expect(reportsQuery.safeParse({ from: '2025-06-02', to: '2026-06-02' }).success).toBe(true); // 365 days
    expect(reportsQuery.safeParse({ from: '2025-06-01', to: '2026-06-02' }).success).toBe(false);
    expect(reportsQuery.safeParse({ from: '2026-06-02', to: '2026-06-01' }).success).toBe(false);
    expect(reportsQuery.safeParse({ from: '2026-02-29', to: '2026-03-01' }).success).toBe(false);
    expect(reportsQuery.safeParse({ from: '2026-6-1', to: '2026-06-02' }).success).toBe(false);
    expect(reportsQuery.safeParse({ from: '2026-06-01', to: '2026-06-02', extra: 1 }).success).toBe(false);
  });
});

describe('reportTables', () => {
  it('says "not sent yet" for an operator with no notification sent, and rounds', () => {
    const r = {
      deliveryTime: { medianHours: 20, perDay: [{ day: '2026-06-02', delivered: 2, medianHours: 20.04 }] },
      operators: [
        { userId: 'a', name: 'Ada', logged: 3, notified: 2, medianMinutesToNotification: 12.345 },
        { userId: 'b', name: 'Bo', logged: 1, notified: 0, medianMinutesToNotification: null },
      ],
      receivedPerDay: [],
      byCarrier: [],
      waitingByAge: [],
      holdsAndReturns: [],
      busiestHours: [{ hour: 7, count: 2 }],
    } as unknown as Reports;
    const t = reportTables(r);
    expect(t.operators!.rows).toEqual([
      ['Ada', 3, 12.3],
      ['Bo', 1, 'not sent yet'],
    ]);
    expect(t.delivery!.rows).toEqual([['2026-06-02', 2, 20]]);
    expect(t.hours!.rows).toEqual([['07:00', 2]]);
  });
});
