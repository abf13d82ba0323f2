// One package as the detail page and the custody route read it: the row, its events with their
// custody chain links and who recorded them, and its attachments with where the bytes are stored.
// Every query runs in a facility-scoped transaction (row-level security) and names the facility.
import type { PackageEventRow, PackageRow } from '../../../src/lib/domain/sync/rows.ts';
import type { Tx } from '../db/index.ts';
import { rowJsonSql, toWireRow } from './sync.ts';

type Json = Record<string, unknown>;

export type StoredEvent = PackageEventRow & {
  facilityId: string;
  seq: number | null;
  hash: string | null;
  prevHash: string | null;
  actorName: string | null;
};

/** The package (soft-deleted ones too: their history stays readable), or null. */
export async function findPackageRow(tx: Tx, facilityId: string, packageId: string): Promise<PackageRow | null> {
  const rows = await tx.$queryRawUnsafe<{ row: Json }[]>(
    `SELECT ${rowJsonSql('packages')} AS row FROM packages x WHERE x."facilityId" = $1::uuid AND x.id = $2::uuid`,
    facilityId,
    packageId,
  );
  return rows[0] ? (toWireRow('packages', rows[0].row) as unknown as PackageRow) : null;
}

/**
 * Every event of the package: those recorded before the custody log began (no seq) first, by the
 * order they were written, then the chain by seq.
 */
export async function loadPackageEvents(tx: Tx, facilityId: string, packageId: string): Promise<StoredEvent[]> {
  const rows = await tx.$queryRawUnsafe<{ row: Json }[]>(
    `SELECT ${rowJsonSql('packageEvents')}
            || jsonb_build_object('facilityId', x."facilityId", 'seq', x.seq, 'hash', x.hash, 'prevHash', x."prevHash", 'actorName', u.name) AS row
       FROM package_events x LEFT JOIN users u ON u.id = x."actorId"
      WHERE x."facilityId" = $1::uuid AND x."packageId" = $2::uuid
      ORDER BY x.seq IS NOT NULL, x.seq, x.version, x."recordedAt", x.id`,
    facilityId,
    packageId,
  );
  return rows.map((r) => toWireRow('packageEvents', r.row) as unknown as StoredEvent);
}

export interface StoredAttachment {
  kind: 'intake' | 'delivery' | 'signature';
  hash: string;
  createdAt: string;
  /** Where the bytes are, once uploaded (null while the device still holds them). */
  storageKey: string | null;
}

/** The package's live attachments, oldest first. */
export async function loadPackageAttachments(tx: Tx, facilityId: string, packageId: string): Promise<StoredAttachment[]> {
  const rows = await tx.$queryRawUnsafe<{ kind: StoredAttachment['kind']; hash: string; createdAt: Date; storageKey: string | null }[]>(
    `SELECT a.kind::text AS kind, a.hash, a."createdAt", b."storageKey"
       FROM attachments a
       LEFT JOIN stored_blobs b ON b."facilityId" = a."facilityId" AND b.hash = a.hash AND b."deletedAt" IS NULL
      WHERE a."facilityId" = $1::uuid AND a."packageId" = $2::uuid AND a."deletedAt" IS NULL
      ORDER BY a."createdAt", a.kind, a.hash`,
    facilityId,
    packageId,
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
}
