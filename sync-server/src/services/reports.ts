// GET /api/reports: the facility's numbers for a range of local days (reports.ts in the domain).
import { AGE_BUCKETS, type Reports, type ReportsQuery } from '../../../src/lib/domain/reports.ts';
import type { Deps } from '../context.ts';
import { computeReports } from '../repositories/reports.ts';
import { authorize, type Actor } from './resolve-actor.ts';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function getReports(deps: Deps, actor: Actor, q: ReportsQuery, now = new Date()): Promise<Reports> {
  authorize(actor, 'reports.read');
  const timezone = actor.facility.timezone;
  const r = await deps.db.withFacility(actor.facilityId, (tx) => computeReports(tx, { facilityId: actor.facilityId, ...q, timezone, now }));
  const waiting = new Map(r.waiting.map((w) => [w.bucket, w.count]));
  return {
    from: q.from,
    to: q.to,
    timezone,
    receivedPerDay: r.receivedPerDay,
    byCarrier: r.byCarrier,
    waitingByAge: AGE_BUCKETS.map((bucket) => ({ bucket, count: waiting.get(bucket) ?? 0 })),
    deliveryTime: {
      medianHours: num(r.overall),
      perDay: r.deliveryPerDay.map((d) => ({ ...d, medianHours: num(d.medianHours) })),
    },
    holdsAndReturns: r.holdsAndReturns,
    busiestHours: r.busiestHours,
    operators: r.operators.map((o) => ({
      userId: o.userId,
      name: o.name ?? 'Former member',
      logged: o.logged,
      notified: o.notified,
      medianMinutesToNotification: num(o.medianMinutesToNotification),
    })),
  };
}
