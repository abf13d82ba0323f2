import { describe, expect, it } from 'vitest';
import {
  PHOTO_CACHE_MAX_AGE_SECONDS,
  isCachedPhotoOf,
  isPhotoRequest,
  mayServeCachedPhotos,
  mustForgetPhotos,
  readPhotoSessionMessage,
} from './photo-cache';

const HASH = 'a'.repeat(64);

describe('photo cache rules', () => {
  it('keeps a photo a day at most', () => {
    expect(PHOTO_CACHE_MAX_AGE_SECONDS).toBe(24 * 3600);
  });

  it('knows a photo by its hash path when an image loads it', () => {
    expect(isPhotoRequest(`/api/sync/blobs/${HASH}`, 'image')).toBe(true);
    expect(isPhotoRequest(`/api/blobs/local/f/${HASH}.jpg`, 'image')).toBe(true);
    expect(isPhotoRequest(`/api/sync/blobs/${HASH}`, '')).toBe(false); // fetch() of the uploader
    expect(isPhotoRequest('/icons/icon-192.png', 'image')).toBe(false);
  });

  it('forgets the photos on sign-out, facility switch, and when no session was recorded', () => {
    expect(mustForgetPhotos('f1', 'f1')).toBe(false);
    expect(mustForgetPhotos('f1', null)).toBe(true);
    expect(mustForgetPhotos('f1', 'f2')).toBe(true);
    expect(mustForgetPhotos(null, 'f1')).toBe(true);
    expect(mustForgetPhotos(null, null)).toBe(true);
  });

  it('serves cached photos only while a session is active', () => {
    expect(mayServeCachedPhotos('f1')).toBe(true);
    expect(mayServeCachedPhotos(null)).toBe(false);
  });

  it('reads only its own messages', () => {
    expect(readPhotoSessionMessage({ type: 'PHOTO_SESSION', facilityId: 'f1' })).toEqual({ type: 'PHOTO_SESSION', facilityId: 'f1' });
    expect(readPhotoSessionMessage({ type: 'PHOTO_SESSION', facilityId: null })).toEqual({ type: 'PHOTO_SESSION', facilityId: null });
    expect(readPhotoSessionMessage({ type: 'PHOTO_SESSION', facilityId: '' })).toBeNull();
    expect(readPhotoSessionMessage({ type: 'PHOTO_SESSION' })).toBeNull();
    expect(readPhotoSessionMessage({ type: 'SKIP_WAITING' })).toBeNull();
    expect(readPhotoSessionMessage('PHOTO_SESSION')).toBeNull();
  });
});

describe('isCachedPhotoOf', () => {
  const h = 'a'.repeat(64);
  it('matches the photo by its hash path, either form', () => {
    expect(isCachedPhotoOf(`/api/sync/blobs/${h}`, h)).toBe(true);
    expect(isCachedPhotoOf(`/api/blobs/0b6f7c1e-0000-4000-8000-000000000000/${h}.jpg`, h)).toBe(true);
  });
  it('not another photo, nor anything outside the photo routes', () => {
    expect(isCachedPhotoOf(`/api/sync/blobs/${'b'.repeat(64)}`, h)).toBe(false);
    expect(isCachedPhotoOf(`/api/sync/blobs/${h}0`, h)).toBe(false);
    expect(isCachedPhotoOf(`/packages/${h}`, h)).toBe(false);
    expect(isCachedPhotoOf(`/api/sync/blobs/${h}`, 'not-a-hash')).toBe(false);
  });
});
