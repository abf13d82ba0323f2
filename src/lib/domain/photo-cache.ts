// The service worker's cache of viewed photos, as the page and the service worker agree on it.
// Photos are shown through presigned URLs that expire in minutes (SPEC "Photos and signatures"), so
// a copy kept on the device must not outlive that promise by much, nor the session that was allowed
// to see it: the cache lasts a day at most, serves only while a session is active, and is emptied
// when the person signs out or switches facility.

export const PHOTO_CACHE = 'ptp-photos';
export const PHOTO_CACHE_MAX_AGE_SECONDS = 24 * 3600;
export const PHOTO_CACHE_MAX_ENTRIES = 300;

/** The page tells the service worker which facility's session is active (null: signed out). */
export interface PhotoSessionMessage {
  type: 'PHOTO_SESSION';
  facilityId: string | null;
}

/** A photo or signature as an <img> loads it: by its hash path, whatever URL it redirects to. */
export function isPhotoRequest(pathname: string, destination: string): boolean {
  return destination === 'image' && /^\/api\/(sync\/)?blobs\//.test(pathname);
}

/** Reads a message from the page; anything else is not ours. */
export function readPhotoSessionMessage(data: unknown): PhotoSessionMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Partial<PhotoSessionMessage>;
  if (m.type !== 'PHOTO_SESSION') return null;
  if (m.facilityId !== null && (typeof m.facilityId !== 'string' || m.facilityId === '')) return null;
  return { type: 'PHOTO_SESSION', facilityId: m.facilityId };
}

/**
 * Whether the cached photos must go when the session moves from `before` to `after`: on sign-out,
 * on a facility switch, and when nothing was recorded yet (a cache from before this rule existed).
 */
export function mustForgetPhotos(before: string | null, after: string | null): boolean {
  return before === null || before !== after;
}

/** The cache answers only while a session is active; signed out, every photo asks the server. */
export function mayServeCachedPhotos(facilityId: string | null): boolean {
  return facilityId !== null;
}

/**
 * Whether a cached photo (its request URL's path) shows the bytes of `hash`: the page asks by
 * `/api/sync/blobs/<hash>`, local storage's signed path ends in `<facility>/<hash>.<ext>`. A photo
 * deleted after the facility's retention period leaves the cache on the device's next sync.
 */
export function isCachedPhotoOf(pathname: string, hash: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(hash) || !isPhotoRequest(pathname, 'image')) return false;
  const last = pathname.split('/').pop() ?? '';
  return last === hash || last.startsWith(`${hash}.`);
}
