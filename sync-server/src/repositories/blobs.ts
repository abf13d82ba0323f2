// Stored blobs of a facility (row-level security: only the active facility's rows).
import type { Tx } from '../db/index.ts';

export const findStoredBlob = (tx: Tx, facilityId: string, hash: string) =>
  tx.storedBlob.findFirst({ where: { facilityId, hash, deletedAt: null } });

/** Whether the facility holds the bytes of `hash` (for sync: an attachment is "uploaded" then). */
export const isBlobStored = async (tx: Tx, facilityId: string, hash: string): Promise<boolean> =>
  (await tx.storedBlob.count({ where: { facilityId, hash, deletedAt: null } })) > 0;

export function recordStoredBlob(
  tx: Tx,
  data: { facilityId: string; hash: string; storageKey: string; contentType: string; size: number; width: number; height: number },
) {
  return tx.storedBlob.upsert({
    where: { facilityId_hash: { facilityId: data.facilityId, hash: data.hash } },
    create: data,
    update: { ...data, deletedAt: null, createdAt: new Date() },
  });
}

/** Attachments naming the hash get a new version, so devices learn the photo is now uploaded. */
export async function touchAttachments(tx: Tx, facilityId: string, hash: string, version: number) {
  await tx.$executeRawUnsafe(
    `UPDATE attachments SET version = $3 WHERE "facilityId" = $1::uuid AND hash = $2 AND "deletedAt" IS NULL`,
    facilityId,
    hash,
    version,
  );
}

/** Hashes only the given (deleted) packages reference: their objects can leave storage. */
export async function orphanedBlobs(tx: Tx, facilityId: string, packageIds: string[]) {
  if (!packageIds.length) return [];
  return tx.$queryRawUnsafe<{ hash: string; storageKey: string }[]>(
    `SELECT b.hash, b."storageKey" FROM stored_blobs b
      WHERE b."facilityId" = $1::uuid AND b."deletedAt" IS NULL
        AND EXISTS (SELECT 1 FROM attachments a WHERE a."facilityId" = b."facilityId" AND a.hash = b.hash AND a."packageId" = ANY($2::uuid[]))
        AND NOT EXISTS (SELECT 1 FROM attachments a JOIN packages p ON p.id = a."packageId"
                         WHERE a."facilityId" = b."facilityId" AND a.hash = b.hash AND p."deletedAt" IS NULL AND a."deletedAt" IS NULL)`,
    facilityId,
    packageIds,
  );
}

export async function markBlobsDeleted(tx: Tx, facilityId: string, hashes: string[]) {
  if (!hashes.length) return;
  await tx.storedBlob.updateMany({ where: { facilityId, hash: { in: hashes } }, data: { deletedAt: new Date() } });
}
