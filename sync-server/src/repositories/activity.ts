// The facility's activity log read from package_events (newest first, keyset paging on (at, id)),
// with the package's tracking number and the actor's name. Facility-scoped transaction (row-level
// security) and every query names the facility.
import type { ActivityCursor } from '../../../src/lib/domain/activity.ts';
import type { Tx } from '../db/index.ts';

export interface ActivityRow {
  id: string;
  at: string;
  recordedAt: string;
  type: string;
  packageId: string;
  trackingNumber: string | null;
  actorId: string | null;
  actorName: string | null;
  clientId: string | null;
  data: unknown;
}

export interface ActivityFilter {
  actorId?: string;
  type?: string;
  /** Instants [start, end) of the facility's days. */
  start?: Date;
  end?: Date;
  cursor?: ActivityCursor;
  limit: number;
}

const iso = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const utc = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString()).replace('Z', '');

/** One page and one more row (so the caller knows whether another page follows). */
export async function listActivity(tx: Tx, facilityId: string, f: ActivityFilter): Promise<ActivityRow[]> {
  const params: unknown[] = [facilityId];
  const where = ['e."facilityId" = $1::uuid'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.actorId) add((n) => `e."actorId" = ${n}::uuid`, f.actorId);
  if (f.type) add((n) => `e.type = ${n}`, f.type);
  if (f.start) add((n) => `e.at >= ${n}::timestamp`, utc(f.start));
  if (f.end) add((n) => `e.at < ${n}::timestamp`, utc(f.end));
  if (f.cursor) {
    params.push(utc(f.cursor.at), f.cursor.id);
    where.push(`(e.at, e.id) < ($${params.length - 1}::timestamp, $${params.length}::uuid)`);
  }
  params.push(f.limit + 1);
  return tx.$queryRawUnsafe<ActivityRow[]>(
    `SELECT e.id::text AS id, ${iso('e.at')} AS at, ${iso('e."recordedAt"')} AS "recordedAt", e.type, e."packageId"::text AS "packageId",
            p."trackingNumber", e."actorId"::text AS "actorId", u.name AS "actorName", e."clientId"::text AS "clientId", e.data
       FROM package_events e
       LEFT JOIN packages p ON p."facilityId" = e."facilityId" AND p.id = e."packageId"
       LEFT JOIN users u ON u.id = e."actorId"
      WHERE ${where.join(' AND ')}
      ORDER BY e.at DESC, e.id DESC
      LIMIT $${params.length}`,
    ...params,
  );
}
