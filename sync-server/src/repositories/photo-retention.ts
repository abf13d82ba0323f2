// Photo retention (docs/photo-retention.md): the facility's photos past its retention period, their
// attachments marked and tombstoned, and the stored blobs no live attachment needs any more. Every
// function runs in a facility-scoped transaction (row-level security) and names the facility.
import type { Tx } from '../db/index.ts';

/** The facility's retention period in days (facility settings, 7–365). */
export async function photoRetentionDaysOf(tx: Tx, facilityId: string): Promise<number | null> {
  const f = await tx.facility.findUnique({ where: { id: facilityId }, select: { photoRetentionDays: true } });
  return f?.photoRetentionDays ?? null;
}

/**
 * Live intake and delivery photos taken at or before `cutoff`. "Taken" is photoTakenAt
 * (src/lib/domain/photo-retention.ts) in SQL: the earliest of the attachment's `createdAt` (the
 * server's clock) and the device time (`at`, bounded) of the events that attached its hash.
 * `recordedBefore` (cutoff + how far back a device may date an act) lets the createdAt index
 * bound the scan: a photo recorded later cannot have been taken before the cutoff.
 */
export async function expiredPhotoIds(tx: Tx, facilityId: string, cutoff: Date, recordedBefore: Date): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT a.id::text AS id FROM attachments a
      WHERE a."facilityId" = $1::uuid AND a.kind IN ('intake', 'delivery') AND a."deletedAt" IS NULL
        AND a."createdAt" <= $3
        AND LEAST(a."createdAt", (
              SELECT min(e.at) FROM package_events e
               WHERE e."facilityId" = a."facilityId" AND e."packageId" = a."packageId"
                 AND ((e.type = 'photo_attached' AND e.data->>'hash' = a.hash AND e.data->>'kind' = a.kind::text)
                   OR (e.type IN ('delivered', 'handoff_refused') AND a.kind = 'delivery' AND e.data->>'photoHash' = a.hash))
            )) <= $2`,
    facilityId,
    cutoff,
    recordedBefore,
  );
  return rows.map((r) => r.id);
}

/** Marks the photos expired and soft-deletes them at `version`, so devices pull their tombstones. */
export async function expireAttachments(tx: Tx, facilityId: string, ids: string[], version: number, now: Date): Promise<number> {
  if (!ids.length) return 0;
  return tx.$executeRawUnsafe(
    `UPDATE attachments SET "expiredAt" = $4, "deletedAt" = $4, version = $3
      WHERE "facilityId" = $1::uuid AND id = ANY($2::uuid[]) AND "deletedAt" IS NULL`,
    facilityId,
    ids,
    version,
    now,
  );
}

/**
 * Stored blobs no live attachment of a live package still needs (the same bytes may be another
 * package's photo, or a newer one), marked for removal: those whose photo expired, and bytes no
 * attachment ever used (an upload whose push never came, or an expired photo uploaded again after
 * its tombstone was purged) once stored longer than the retention period (`storedBefore`). A marked
 * row is the job's to-do list for object storage, so a crash before the object goes is finished by
 * the next run.
 */
export async function releaseExpiredBlobs(tx: Tx, facilityId: string, now: Date, storedBefore: Date): Promise<number> {
  const expired = await tx.$executeRawUnsafe(
    `UPDATE stored_blobs b SET "deletedAt" = $2
      WHERE b."facilityId" = $1::uuid AND b."deletedAt" IS NULL
        AND EXISTS (SELECT 1 FROM attachments a WHERE a."facilityId" = b."facilityId" AND a.hash = b.hash AND a."expiredAt" IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM attachments a JOIN packages p ON p.id = a."packageId" AND p."facilityId" = a."facilityId"
                         WHERE a."facilityId" = b."facilityId" AND a.hash = b.hash AND a."deletedAt" IS NULL AND p."deletedAt" IS NULL)`,
    facilityId,
    now,
  );
  const unattached = await tx.$executeRawUnsafe(
    `UPDATE stored_blobs b SET "deletedAt" = $2
      WHERE b."facilityId" = $1::uuid AND b."deletedAt" IS NULL AND b."createdAt" <= $3
        AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a."facilityId" = b."facilityId" AND a.hash = b.hash AND a."deletedAt" IS NULL)`,
    facilityId,
    now,
    storedBefore,
  );
  return expired + unattached;
}

/** Stored blobs marked for removal (by retention or a package's deletion) whose object may remain. */
export async function blobsMarkedForRemoval(tx: Tx, facilityId: string): Promise<{ hash: string; storageKey: string }[]> {
  return tx.$queryRawUnsafe(
    `SELECT hash, "storageKey" FROM stored_blobs WHERE "facilityId" = $1::uuid AND "deletedAt" IS NOT NULL ORDER BY hash`,
    facilityId,
  );
}

/** Their objects are gone: the marked rows go too (unless an upload brought the bytes back meanwhile). */
export async function forgetRemovedBlobs(tx: Tx, facilityId: string, hashes: string[]): Promise<void> {
  if (!hashes.length) return;
  await tx.$executeRawUnsafe(
    `DELETE FROM stored_blobs WHERE "facilityId" = $1::uuid AND hash = ANY($2::text[]) AND "deletedAt" IS NOT NULL`,
    facilityId,
    hashes,
  );
}
