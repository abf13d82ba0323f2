// The facility's numbers (GET /api/reports): the query, the answer's shape, and each chart's table
// as CSV. Days are calendar days in the facility's time zone; the server computes every series in
// Postgres (sync-server/src/repositories/reports.ts).
import { z } from 'zod';
import { csvTable } from './csv';

/** The longest range one report covers. */
export const REPORT_MAX_DAYS = 366;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use a date like 2026-11-30' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'Not a real date',
  });

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

export const reportsQuery = z
  .strictObject({ from: day, to: day })
  .refine((q) => daysBetween(q.from, q.to) >= 0, { message: '`from` must not be after `to`', path: ['to'] })
  .refine((q) => daysBetween(q.from, q.to) < REPORT_MAX_DAYS, { message: `At most ${REPORT_MAX_DAYS} days`, path: ['to'] });
export type ReportsQuery = z.infer<typeof reportsQuery>;

/** How long packages still on the shelf have waited. */
export const AGE_BUCKETS = ['<1d', '1-3d', '3-7d', '>7d'] as const;

export const reportsSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  receivedPerDay: z.array(z.strictObject({ day: z.string(), count: z.number() })),
  byCarrier: z.array(z.strictObject({ carrier: z.string(), count: z.number() })),
  waitingByAge: z.array(z.strictObject({ bucket: z.enum(AGE_BUCKETS), count: z.number() })),
  /** Median hours from receipt to delivery, per day of delivery and over the whole range. */
  deliveryTime: z.strictObject({
    medianHours: z.number().nullable(),
    perDay: z.array(z.strictObject({ day: z.string(), delivered: z.number(), medianHours: z.number().nullable() })),
  }),
  holdsAndReturns: z.array(z.strictObject({ day: z.string(), holds: z.number(), returns: z.number() })),
  busiestHours: z.array(z.strictObject({ hour: z.number(), count: z.number() })),
  /** Per operator: packages logged in the range, and the median minutes from scan to the first sent notification (null: not sent yet). */
  operators: z.array(
    z.strictObject({
      userId: z.string(),
      name: z.string(),
      logged: z.number(),
      notified: z.number(),
      medianMinutesToNotification: z.number().nullable(),
    }),
  ),
});
export type Reports = z.infer<typeof reportsSchema>;

/** A chart's table: its column headings and rows, as shown under the chart and downloaded as CSV. */
export interface ReportTable {
  columns: string[];
  rows: (string | number | null)[][];
}

export const reportTableCsv = (t: ReportTable) =>
  csvTable(
    t.columns,
    t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]]))),
  );

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** The table behind each chart of the reports page. */
export function reportTables(r: Reports): Record<string, ReportTable> {
  return {
    received: { columns: ['Day', 'Received'], rows: r.receivedPerDay.map((d) => [d.day, d.count]) },
    carriers: { columns: ['Carrier', 'Received'], rows: r.byCarrier.map((c) => [c.carrier, c.count]) },
    waiting: { columns: ['Waiting', 'Packages'], rows: r.waitingByAge.map((b) => [b.bucket, b.count]) },
    delivery: {
      columns: ['Day', 'Delivered', 'Median hours to delivery'],
      rows: r.deliveryTime.perDay.map((d) => [d.day, d.delivered, round1(d.medianHours)]),
    },
    holds: { columns: ['Day', 'Holds', 'Returns'], rows: r.holdsAndReturns.map((d) => [d.day, d.holds, d.returns]) },
    hours: { columns: ['Hour', 'Received'], rows: r.busiestHours.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.count]) },
    operators: {
      columns: ['Operator', 'Packages logged', 'Median minutes to notification'],
      rows: r.operators.map((o) => [
        o.name,
        o.logged,
        o.medianMinutesToNotification === null ? 'not sent yet' : round1(o.medianMinutesToNotification),
      ]),
    },
  };
}
