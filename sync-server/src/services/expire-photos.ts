// The photo retention job for one facility (docs/photo-retention.md). Retention is a privacy
// promise, not a billing rule: it runs whether or not billing is on, and in read-only facilities.
//
// Order, so that nothing points at a missing object and a crash anywhere is finished by a rerun:
//  1. one transaction: the expired photos' attachments are marked `expiredAt` and soft-deleted at a
//     new sync version (devices pull the tombstones and drop their copies), and the stored blobs no
//     live attachment needs any more are marked deleted (the pull stops saying "uploaded");
//  2. then, for every marked stored blob of the facility, the object leaves storage and only then
//     the row goes. A crash between the two leaves a marked row, which the next run finishes.
import { DEVICE_TIME_MAX_PAST_DAYS } from '../../../src/lib/domain/sync/device-time.ts';
import { DEFAULT_PHOTO_RETENTION_DAYS, retentionCutoff } from '../../../src/lib/domain/photo-retention.ts';
import type { Deps } from '../context.ts';
import {
  blobsMarkedForRemoval,
  expireAttachments,
  expiredPhotoIds,
  forgetRemovedBlob,
  photoRetentionDaysOf,
  releaseExpiredBlobs,
} from '../repositories/photo-retention.ts';
import { takeVersion } from '../repositories/sync.ts';

const DAY_MS = 24 * 3600 * 1000;

export interface PhotoRetentionResult {
  /** Attachments marked expired and tombstoned. */
  expired: number;
  /** Objects removed from storage (expired photos, and any a package deletion left marked). */
  objectsDeleted: number;
}

export async function expirePhotos(deps: Deps, facilityId: string, now = new Date()): Promise<PhotoRetentionResult> {
  const expired = await deps.db.withFacility(facilityId, async (tx) => {
    const days = (await photoRetentionDaysOf(tx, facilityId)) ?? DEFAULT_PHOTO_RETENTION_DAYS;
    const cutoff = retentionCutoff(now, days);
    const ids = await expiredPhotoIds(tx, facilityId, cutoff, new Date(cutoff.getTime() + DEVICE_TIME_MAX_PAST_DAYS * DAY_MS));
    // A version only when something changes: an idle facility's devices have nothing to pull.
    const n = ids.length ? await expireAttachments(tx, facilityId, ids, await takeVersion(tx, facilityId), now) : 0;
    await releaseExpiredBlobs(tx, facilityId, now);
    return n;
  });

  let objectsDeleted = 0;
  const marked = await deps.db.withFacility(facilityId, (tx) => blobsMarkedForRemoval(tx, facilityId));
  for (const b of marked) {
    // Deleting an object that is already gone is fine (a rerun after a crash right here).
    await deps.blobs.delete(b.storageKey);
    await deps.db.withFacility(facilityId, (tx) => forgetRemovedBlob(tx, facilityId, b.hash));
    objectsDeleted++;
  }
  return { expired, objectsDeleted };
}
