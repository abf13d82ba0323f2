// Registers the service worker with workbox-window. A new version is announced ("Reload to
// update") and also takes over by itself at a safe moment (src/lib/domain/app-update.ts): the page
// running the old version would otherwise ask for script files the new deploy no longer has.
import { Workbox } from 'workbox-window';
import { PHOTO_CACHE, type PhotoSessionMessage } from '../domain/photo-cache';

export interface AppUpdate {
  /** Lets the new version take over, then reloads (or opens `url`: a navigation in progress). */
  apply(url?: string): void;
}

export interface PwaEvents {
  onUpdateReady(update: AppUpdate): void;
  onSyncNudge(): void;
}

/** If the new version does not take control in this time, load the page anyway. */
const TAKEOVER_TIMEOUT_MS = 3000;

export function registerServiceWorker(events: PwaEvents): void {
  if (!('serviceWorker' in navigator)) return;
  const wb = new Workbox('/service-worker.js', { type: 'module' });
  let applying = false;
  const update: AppUpdate = {
    apply(url) {
      if (applying) return;
      applying = true;
      let loading = false;
      const load = () => {
        if (loading) return;
        loading = true;
        if (url) window.location.assign(url);
        else window.location.reload();
      };
      wb.addEventListener('controlling', load);
      setTimeout(load, TAKEOVER_TIMEOUT_MS);
      wb.messageSkipWaiting();
    },
  };
  wb.addEventListener('waiting', () => events.onUpdateReady(update));
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'SYNC') events.onSyncNudge();
  });
  void wb.register();
}

/**
 * Whether a field of the page holds something the person typed, ticked, attached or drew and has
 * not saved (a field's default is what the page put there). Read-only fields (an invitation link
 * to copy) and selects (the facility switcher) are not input in progress.
 */
export function hasUnsavedInput(root: ParentNode = document): boolean {
  if (root.querySelector('[data-unsaved]')) return true;
  for (const el of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    if (el.disabled || el.readOnly || ['hidden', 'submit', 'button', 'reset'].includes(el.type)) continue;
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
      if (el.checked !== el.defaultChecked) return true;
    } else if (el instanceof HTMLInputElement && el.type === 'file') {
      if (el.files?.length) return true;
    } else if (el.value !== el.defaultValue) return true;
  }
  return false;
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
