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
  forgetRemovedBlobs,
  photoRetentionDaysOf,
  releaseExpiredBlobs,
} from '../repositories/photo-retention.ts';
import { takeVersion } from '../repositories/sync.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Stored blobs removed per database transaction, and storage deletions in flight at once. */
const REMOVE_BATCH = 200;
const STORAGE_CONCURRENCY = 8;

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
    await releaseExpiredBlobs(tx, facilityId, now, cutoff);
    return n;
  });

  let objectsDeleted = 0;
  const marked = await deps.db.withFacility(facilityId, (tx) => blobsMarkedForRemoval(tx, facilityId));
  for (let i = 0; i < marked.length; i += REMOVE_BATCH) {
    const batch = marked.slice(i, i + REMOVE_BATCH);
    // Objects first, a few at a time (deleting one already gone is fine: a rerun after a crash
    // right here); then, in one transaction, the rows of the objects that are gone.
    for (let j = 0; j < batch.length; j += STORAGE_CONCURRENCY) {
      await Promise.all(batch.slice(j, j + STORAGE_CONCURRENCY).map((b) => deps.blobs.delete(b.storageKey)));
    }
    await deps.db.withFacility(facilityId, (tx) =>
      forgetRemovedBlobs(
        tx,
        facilityId,
        batch.map((b) => b.hash),
      ),
    );
    objectsDeleted += batch.length;
  }
  return { expired, objectsDeleted };
}
