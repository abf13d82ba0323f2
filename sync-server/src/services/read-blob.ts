// HEAD and GET /api/sync/blobs/:sha256: whether the active facility holds a blob, and a presigned
// URL valid for minutes after checking the person may read that facility's packages.
import type { Deps } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { findStoredBlob, isBlobStored } from '../repositories/blobs.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export async function blobStored(deps: Deps, actor: Actor, hash: string): Promise<boolean> {
  authorize(actor, 'package.read');
  return deps.db.withFacility(actor.facilityId, (tx) => isBlobStored(tx, actor.facilityId, hash));
}

export async function presignBlob(deps: Deps, actor: Actor, hash: string): Promise<string> {
  authorize(actor, 'package.read');
  const blob = await deps.db.withFacility(actor.facilityId, (tx) => findStoredBlob(tx, actor.facilityId, hash));
  if (!blob) throw notFound('No such photo in this facility');
  return deps.blobs.presignGet(blob.storageKey, deps.env.BLOB_URL_TTL_SECONDS);
}
