// The facility's activity log read from package_events and audit_events (newest first, keyset
// paging on (at, id)), with the package's tracking number or the subject's name, and the actor's
// name. Facility-scoped transaction (row-level security) and every query names the facility.
import { isAuditType, type ActivityCursor, type AuditSubject } from '../../../src/lib/domain/activity.ts';
import type { Tx } from '../db/index.ts';

export interface ActivityRow {
  id: string;
  at: string;
  recordedAt: string;
  type: string;
  packageId: string | null;
  trackingNumber: string | null;
  subject: { type: AuditSubject; id: string | null; label: string | null } | null;
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

/**
 * One page and one more row (so the caller knows whether another page follows): package events and
 * audit entries merged on (at, id), each side already narrowed and limited by its own index.
 */
export async function listActivity(tx: Tx, facilityId: string, f: ActivityFilter): Promise<ActivityRow[]> {
  const params: unknown[] = [facilityId];
  const where: string[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.actorId) add((n) => `x."actorId" = ${n}::uuid`, f.actorId);
  if (f.type) add((n) => `x.type = ${n}`, f.type);
  if (f.start) add((n) => `x.at >= ${n}::timestamp`, utc(f.start));
  if (f.end) add((n) => `x.at < ${n}::timestamp`, utc(f.end));
  if (f.cursor) {
    params.push(utc(f.cursor.at), f.cursor.id);
    where.push(`(x.at, x.id) < ($${params.length - 1}::timestamp, $${params.length}::uuid)`);
  }
  params.push(f.limit + 1);
  const limit = `$${params.length}`;
  const filters = (alias: string) => where.map((w) => ` AND ${w.replaceAll('x.', `${alias}.`)}`).join('');
  // A type filter names one side only: the other side is skipped rather than scanned.
  const packages = !f.type || !isAuditType(f.type);
  const audit = !f.type || isAuditType(f.type);
  const parts: string[] = [];
  if (packages) {
    parts.push(`(SELECT e.id, e.at, e."recordedAt", e.type, e."packageId", p."trackingNumber", NULL::text AS "subjectType",
                 NULL::uuid AS "subjectId", NULL::text AS "subjectLabel", e."actorId", e."clientId", e.data
            FROM package_events e
            LEFT JOIN packages p ON p."facilityId" = e."facilityId" AND p.id = e."packageId"
           WHERE e."facilityId" = $1::uuid${filters('e')}
           ORDER BY e.at DESC, e.id DESC
           LIMIT ${limit})`);
  }
  if (audit) {
    parts.push(`(SELECT a.id, a.at, a.at AS "recordedAt", a.type, NULL::uuid AS "packageId", NULL::text AS "trackingNumber",
                 a."subjectType", a."subjectId",
                 CASE a."subjectType"
                   WHEN 'recipient' THEN (SELECT r.name FROM recipients r WHERE r."facilityId" = a."facilityId" AND r.id = a."subjectId")
                   WHEN 'department' THEN (SELECT d.name FROM departments d WHERE d."facilityId" = a."facilityId" AND d.id = a."subjectId")
                   WHEN 'location' THEN (SELECT l.name FROM locations l WHERE l."facilityId" = a."facilityId" AND l.id = a."subjectId")
                   WHEN 'member' THEN (SELECT u.name FROM users u WHERE u.id = a."subjectId")
                   WHEN 'invitation' THEN a.data->>'email'
                 END AS "subjectLabel",
                 a."actorId", a."clientId", a.data
            FROM audit_events a
           WHERE a."facilityId" = $1::uuid${filters('a')}
           ORDER BY a.at DESC, a.id DESC
           LIMIT ${limit})`);
  }
  const rows = await tx.$queryRawUnsafe<
    (Omit<ActivityRow, 'subject'> & { subjectType: AuditSubject | null; subjectId: string | null; subjectLabel: string | null })[]
  >(
    `SELECT x.id::text AS id, ${iso('x.at')} AS at, ${iso('x."recordedAt"')} AS "recordedAt", x.type, x."packageId"::text AS "packageId",
            x."trackingNumber", x."subjectType", x."subjectId"::text AS "subjectId", x."subjectLabel",
            x."actorId"::text AS "actorId", u.name AS "actorName", x."clientId"::text AS "clientId", x.data
       FROM (${parts.join(' UNION ALL ')}) x
       LEFT JOIN users u ON u.id = x."actorId"
      ORDER BY x.at DESC, x.id DESC
      LIMIT ${limit}`,
    ...params,
  );
  return rows.map(({ subjectType, subjectId, subjectLabel, ...r }) => ({
    ...r,
    subject: subjectType ? { type: subjectType, id: subjectId, label: subjectLabel } : null,
  }));
}
