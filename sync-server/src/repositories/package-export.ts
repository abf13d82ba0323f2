// The package history export read from a database cursor (http-api.md GET /api/exports/packages.csv):
// one connection, one read-only REPEATABLE READ transaction scoped to the facility (row-level
// security), a count and then `DECLARE … CURSOR` fetched in batches, so any number of packages
// streams in the memory of one batch. The transaction stays open only while the export streams.
import type pg from 'pg';
import type { ExportedPackage } from '../../../src/lib/domain/package-export.ts';
import type { Database } from '../db/index.ts';

const iso = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const columns = (hashes: boolean) => `
  p.id::text AS id, p."trackingNumber", p.carrier, p.status::text AS status, p."recipientId"::text AS "recipientId",
  p."recipientName", p.sender, l.name AS "locationName", p.shelf, p.perishable, p."needsSignature", p.notes,
  p."holdNote", p."holdReason", p."returnNote", p."returnReason", p."returnCarrier", p."proxyReason", p."deliveredTo",
  ${iso('p."receivedAt"')} AS "receivedAt", ${iso('p."notifiedAt"')} AS "notifiedAt", ${iso('p."heldAt"')} AS "heldAt",
  ${iso('p."deliveredAt"')} AS "deliveredAt", ${iso('p."returnedAt"')} AS "returnedAt", ${iso('p."deletedAt"')} AS "deletedAt",
  ur.name AS "receivedBy", ud.name AS "deliveredBy", ut.name AS "returnedBy",
  (SELECT coalesce(json_agg(json_build_object('at', ${iso('e.at')}, 'type', e.type, 'by', eu.name)
                            ORDER BY e.seq IS NOT NULL, e.seq, e.version, e."recordedAt", e.id), '[]'::json)
     FROM package_events e LEFT JOIN users eu ON eu.id = e."actorId"
    WHERE e."facilityId" = p."facilityId" AND e."packageId" = p.id) AS events,
  (SELECT coalesce(json_agg(json_build_object('kind', a.kind::text, 'hash', a.hash) ORDER BY a."createdAt", a.kind, a.hash), '[]'::json)
     FROM attachments a
    WHERE a."facilityId" = p."facilityId" AND a."packageId" = p.id AND a."deletedAt" IS NULL) AS photos
  ${
    hashes
      ? `, (SELECT e.hash FROM package_events e
             WHERE e."facilityId" = p."facilityId" AND e."packageId" = p.id AND e.seq IS NOT NULL
             ORDER BY e.seq DESC LIMIT 1) AS "custodyHash"`
      : ''
  }`;

const from = (bounded: { start: boolean; end: boolean }) => `
  FROM packages p
  LEFT JOIN locations l ON l."facilityId" = p."facilityId" AND l.id = p."locationId"
  LEFT JOIN users ur ON ur.id = p."receivedById"
  LEFT JOIN users ud ON ud.id = p."deliveredById"
  LEFT JOIN users ut ON ut.id = p."returnedById"
  WHERE p."facilityId" = $1::uuid${bounded.start ? ` AND p."receivedAt" >= $2::timestamp` : ''}${
    bounded.end ? ` AND p."receivedAt" < $${bounded.start ? 3 : 2}::timestamp` : ''
  }`;

/** Timestamps are stored as UTC without a zone: the bound is written the same way. */
const utc = (d: Date) => d.toISOString().replace('Z', '');

export interface PackageExportCursor {
  /** How many packages the export holds (counted in the same snapshot the cursor reads). */
  total: number;
  /** The packages in order of receipt, `batchSize` at a time. */
  batches(batchSize?: number): AsyncGenerator<ExportedPackage[]>;
  /** Ends the transaction and gives the connection back (safe to call twice). */
  close(): Promise<void>;
}

export async function openPackageExport(
  db: Pick<Database, 'pool'>,
  facilityId: string,
  range: { start: Date | null; end: Date | null },
  opts: { hashes: boolean },
): Promise<PackageExportCursor> {
  const client: pg.PoolClient = await db.pool.connect();
  let open = true;
  const close = async (error?: unknown) => {
    if (!open) return;
    open = false;
    try {
      await client.query(error ? 'ROLLBACK' : 'COMMIT');
      client.release();
    } catch (e) {
      // A connection in an unknown state is not handed out again.
      client.release(e as Error);
    }
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SELECT set_config('app.facility_id', $1, true)`, [facilityId]);
    const params = [facilityId, ...[range.start, range.end].filter((d): d is Date => d !== null).map(utc)];
    const FROM = from({ start: range.start !== null, end: range.end !== null });
    const count = await client.query<{ n: string }>(`SELECT count(*) AS n ${FROM}`, params);
    await client.query(
      `DECLARE package_export NO SCROLL CURSOR FOR SELECT ${columns(opts.hashes)} ${FROM} ORDER BY p."receivedAt", p.id`,
      params,
    );
    return {
      total: Number(count.rows[0]!.n),
      async *batches(batchSize = 500) {
        try {
          for (;;) {
            const res = await client.query<ExportedPackage>(`FETCH ${Math.max(1, Math.floor(batchSize))} FROM package_export`);
            if (!res.rows.length) break;
            yield res.rows;
          }
        } catch (e) {
          await close(e);
          throw e;
        }
      },
      close: () => close(),
    };
  } catch (e) {
    await close(e);
    throw e;
  }
}
