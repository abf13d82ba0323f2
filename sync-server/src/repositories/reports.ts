// The facility's numbers, computed in Postgres. Timestamps are stored as UTC without a zone; a
// local day is `(("x" AT TIME ZONE 'UTC') AT TIME ZONE tz)::date`, and the range [from, to] (local
// days, inclusive) becomes the UTC instants [start, end). Every query runs in the facility's scoped
// transaction and names the facility.
import { Prisma } from '../generated/prisma/client.ts';
import type { Tx } from '../db/index.ts';

export interface ReportRange {
  facilityId: string;
  from: string;
  to: string;
  timezone: string;
  now: Date;
}

const local = (col: string, tz: Prisma.Sql) => Prisma.sql`(((${Prisma.raw(col)}) AT TIME ZONE 'UTC') AT TIME ZONE ${tz})`;

export async function computeReports(tx: Tx, r: ReportRange) {
  const tz = Prisma.sql`${r.timezone}::text`;
  const start = Prisma.sql`((${r.from}::date::timestamp AT TIME ZONE ${tz}) AT TIME ZONE 'UTC')`;
  const end = Prisma.sql`(((${r.to}::date + 1)::timestamp AT TIME ZONE ${tz}) AT TIME ZONE 'UTC')`;
  const days = Prisma.sql`(SELECT generate_series(${r.from}::date, ${r.to}::date, interval '1 day')::date AS day)`;
  const f = Prisma.sql`${r.facilityId}::uuid`;
  const live = Prisma.sql`p."facilityId" = ${f} AND p."deletedAt" IS NULL`;

  // Each series aggregates the range once, then fills in the days (or hours) with nothing.
  const inRange = (col: string) => Prisma.sql`${live} AND ${Prisma.raw(col)} >= ${start} AND ${Prisma.raw(col)} < ${end}`;
  const receivedPerDay = await tx.$queryRaw<{ day: string; count: number }[]>`
    WITH c AS (SELECT ${local('p."receivedAt"', tz)}::date AS day, count(*)::int AS n
                 FROM packages p WHERE ${inRange('p."receivedAt"')} GROUP BY 1)
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.n, 0) AS count
      FROM ${days} d LEFT JOIN c ON c.day = d.day ORDER BY d.day`;

  const byCarrier = await tx.$queryRaw<{ carrier: string; count: number }[]>`
    SELECT p.carrier, count(*)::int AS count FROM packages p
     WHERE ${live} AND p."receivedAt" >= ${start} AND p."receivedAt" < ${end}
     GROUP BY p.carrier ORDER BY count(*) DESC, p.carrier`;

  const waiting = await tx.$queryRaw<{ bucket: string; count: number }[]>`
    SELECT CASE WHEN age < interval '1 day' THEN '<1d' WHEN age < interval '3 days' THEN '1-3d'
                WHEN age < interval '7 days' THEN '3-7d' ELSE '>7d' END AS bucket, count(*)::int AS count
      FROM (SELECT ${r.now}::timestamp - p."receivedAt" AS age FROM packages p
             WHERE ${live} AND p.status IN ('received', 'held')) w
     GROUP BY 1`;

  const hours = Prisma.sql`extract(epoch FROM p."deliveredAt" - p."receivedAt") / 3600.0`;
  const delivered = Prisma.sql`${live} AND p.status = 'delivered' AND p."deliveredAt" >= ${start} AND p."deliveredAt" < ${end}`;
  const deliveryPerDay = await tx.$queryRaw<{ day: string; delivered: number; medianHours: number | null }[]>`
    WITH c AS (SELECT ${local('p."deliveredAt"', tz)}::date AS day, count(*)::int AS n,
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours}) AS m
                 FROM packages p WHERE ${delivered} GROUP BY 1)
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.n, 0) AS delivered, c.m AS "medianHours"
      FROM ${days} d LEFT JOIN c ON c.day = d.day ORDER BY d.day`;
  const [overall] = await tx.$queryRaw<{ medianHours: number | null }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours}) AS "medianHours" FROM packages p WHERE ${delivered}`;

  const holdsAndReturns = await tx.$queryRaw<{ day: string; holds: number; returns: number }[]>`
    WITH h AS (SELECT ${local('p."heldAt"', tz)}::date AS day, count(*)::int AS n FROM packages p WHERE ${inRange('p."heldAt"')} GROUP BY 1),
         r AS (SELECT ${local('p."returnedAt"', tz)}::date AS day, count(*)::int AS n FROM packages p WHERE ${inRange('p."returnedAt"')} GROUP BY 1)
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(h.n, 0) AS holds, coalesce(r.n, 0) AS returns
      FROM ${days} d LEFT JOIN h ON h.day = d.day LEFT JOIN r ON r.day = d.day ORDER BY d.day`;

  const busiestHours = await tx.$queryRaw<{ hour: number; count: number }[]>`
    WITH c AS (SELECT extract(hour FROM ${local('p."receivedAt"', tz)})::int AS hour, count(*)::int AS n
                 FROM packages p WHERE ${inRange('p."receivedAt"')} GROUP BY 1)
    SELECT g.hour, coalesce(c.n, 0) AS count FROM generate_series(0, 23) AS g(hour) LEFT JOIN c ON c.hour = g.hour ORDER BY g.hour`;

  // Scan to notification: from when the package was logged (the device's receivedAt) to the
  // first notification about it that was actually sent.
  const operators = await tx.$queryRaw<
    { userId: string; name: string | null; logged: number; notified: number; medianMinutesToNotification: number | null }[]
  >`
    SELECT p."receivedById"::text AS "userId", u.name, count(*)::int AS logged, count(n.first)::int AS notified,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM n.first - p."receivedAt") / 60.0)
             FILTER (WHERE n.first IS NOT NULL) AS "medianMinutesToNotification"
      FROM packages p
      LEFT JOIN users u ON u.id = p."receivedById"
      LEFT JOIN LATERAL (SELECT min(x."sentAt") AS first FROM notifications x
                          WHERE x."facilityId" = p."facilityId" AND x."packageId" = p.id AND x."sentAt" IS NOT NULL) n ON true
     WHERE ${live} AND p."receivedById" IS NOT NULL AND p."receivedAt" >= ${start} AND p."receivedAt" < ${end}
     GROUP BY p."receivedById", u.name
     ORDER BY count(*) DESC, u.name`;

  return {
    receivedPerDay,
    byCarrier,
    waiting,
    deliveryPerDay,
    overall: overall?.medianHours ?? null,
    holdsAndReturns,
    busiestHours,
    operators,
  };
}
