// Registers the service worker with workbox-window. A new version is announced ("Reload to
// update") and only takes over when the person agrees, never in the middle of a task.
import { Workbox } from 'workbox-window';
import { PHOTO_CACHE, type PhotoSessionMessage } from '../domain/photo-cache';

export interface PwaEvents {
  onUpdateReady(apply: () => void): void;
  onSyncNudge(): void;
}

export function registerServiceWorker(events: PwaEvents): void {
  if (!('serviceWorker' in navigator)) return;
  const wb = new Workbox('/service-worker.js', { type: 'module' });
  wb.addEventListener('waiting', () => {
    events.onUpdateReady(() => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'SYNC') events.onSyncNudge();
  });
  void wb.register();
}

/**
 * Tells the service worker whose session is active (null: signed out), so it serves cached photos
 * only to a signed-in page and empties the cache when the session or facility changes
 * (src/lib/domain/photo-cache.ts). No service worker (development, an old browser): nothing to tell.
 */
export async function announcePhotoSession(facilityId: string | null): Promise<void> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const message: PhotoSessionMessage = { type: 'PHOTO_SESSION', facilityId };
  registration?.active?.postMessage(message);
}

/**
 * Empties the photo cache from the page itself: done at once, whether or not a service worker is
 * running to hear the message (it tidies its expiry records when it does).
 */
export async function forgetPhotos(): Promise<void> {
  if (typeof caches === 'undefined') return;
  await caches.delete(PHOTO_CACHE);
}
