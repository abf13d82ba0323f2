// After a package.delete commits, its photos leave object storage (SPEC "Photos": deleted when the
// package is removed) unless another live package of the facility uses the same bytes.
import type { Deps } from '../context.ts';
import { markBlobsDeleted, orphanedBlobs } from '../repositories/blobs.ts';

export async function deletePackagePhotos(deps: Deps, facilityId: string, packageIds: string[]) {
  if (!packageIds.length) return;
  const gone = await deps.db.withFacility(facilityId, async (tx) => {
    const rows = await orphanedBlobs(tx, facilityId, packageIds);
    await markBlobsDeleted(
      tx,
      facilityId,
      rows.map((r) => r.hash),
    );
    return rows;
  });
  for (const r of gone) await deps.blobs.delete(r.storageKey);
}
