// The page's side of the service worker's photo cache that the sync engine needs (no workbox here,
// so the engine stays loadable outside a browser).
import { isCachedPhotoOf, PHOTO_CACHE } from '../domain/photo-cache';

/**
 * Removes these photos from the service worker's cache (photos deleted after the facility's
 * retention period, learnt on a sync). The page does it itself, so it happens with or without a
 * running worker; the worker's expiry records of the gone entries are tidied by its own expiry.
 */
export async function forgetCachedPhotos(hashes: readonly string[]): Promise<number> {
  if (!hashes.length || typeof caches === 'undefined' || !(await caches.has(PHOTO_CACHE))) return 0;
  const cache = await caches.open(PHOTO_CACHE);
  let removed = 0;
  for (const request of await cache.keys()) {
    const { pathname } = new URL(request.url);
    if (hashes.some((h) => isCachedPhotoOf(pathname, h)) && (await cache.delete(request))) removed++;
  }
  return removed;
}
