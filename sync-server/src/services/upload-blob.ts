// PUT /api/sync/blobs/:sha256 (sync-protocol.md "Blobs"): the server re-hashes what arrived,
// refuses a mismatch, processes the image and stores it under the facility's prefix. The same hash
// again is a no-op; a hash another facility stored is simply not stored here.
import { createHash } from 'node:crypto';
import { ImageRejected, processImage } from '../blobs/process-image.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { consume } from '../http/rate-limit.ts';
import { findStoredBlob, recordStoredBlob, touchAttachments } from '../repositories/blobs.ts';
import { takeVersion } from '../repositories/sync.ts';
import { authorize, type Actor } from './resolve-actor.ts';
import { assertWritable } from './sync-guards.ts';

/**
 * `read` gives the request body; it is called only once the user may upload and holds one of their
 * upload slots (QUOTA_CONCURRENT_UPLOADS_PER_USER), so nobody makes the server buffer bodies it
 * will refuse. New bytes also count against the facility's daily allowance (QUOTA_UPLOAD_MB_PER_DAY).
 */
export async function uploadBlob(deps: Deps, actor: Actor, hash: string, read: () => Promise<Buffer>, opts: { signature?: boolean } = {}) {
  authorize(actor, 'package.attachPhoto');
  await assertWritable(deps, actor);
  const slots = deps.rateLimits.uploadsInFlight;
  await consume(slots, actor.user.id, 1, 'Too many uploads at once; the device retries shortly');
  try {
    return await store(deps, actor, hash, await read(), opts);
  } finally {
    // A slot lost to a crash expires with its counter (rate-limit.ts).
    await slots.reward(actor.user.id, 1).catch(() => {});
  }
}

async function store(deps: Deps, actor: Actor, hash: string, bytes: Buffer, opts: { signature?: boolean }) {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== hash) {
    throw new AppError(400, 'hash_mismatch', 'The bytes do not match the SHA-256 in the URL; upload them again', { actual });
  }
  const existing = await deps.db.withFacility(actor.facilityId, (tx) => findStoredBlob(tx, actor.facilityId, hash));
  if (existing) return { status: 200 as const, body: { hash, stored: true, alreadyStored: true, contentType: existing.contentType } };
  await consume(
    deps.rateLimits.uploadKibPerFacility,
    actor.facilityId,
    Math.max(1, Math.ceil(bytes.length / 1024)),
    'This facility has uploaded its photo allowance for today; uploads resume tomorrow',
  );

  let image;
  try {
    image = await processImage(bytes, opts);
  } catch (e) {
    if (e instanceof ImageRejected) throw new AppError(e.detail.status, e.detail.code, e.detail.message);
    throw e;
  }
  const storageKey = `${actor.facilityId}/${hash}.${image.ext}`;
  // Bytes first, then the row: a row never points at an object that is not there.
  await deps.blobs.put(storageKey, image.data, image.contentType);
  await deps.db.withFacility(actor.facilityId, async (tx) => {
    await recordStoredBlob(tx, {
      facilityId: actor.facilityId,
      hash,
      storageKey,
      contentType: image.contentType,
      size: image.data.length,
      width: image.width,
      height: image.height,
    });
    await touchAttachments(tx, actor.facilityId, hash, await takeVersion(tx, actor.facilityId));
  });
  return {
    status: 201 as const,
    body: {
      hash,
      stored: true,
      alreadyStored: false,
      contentType: image.contentType,
      size: image.data.length,
      width: image.width,
      height: image.height,
    },
  };
}
