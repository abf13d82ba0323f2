/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
// The service worker: precaches the app shell so the app opens with no network (also after a
// reload or a tablet restart), serves navigations from it, keeps viewed photos for a day while a
// session is active (src/lib/domain/photo-cache.ts), and wakes the sync engine. It never queues mutations itself (sync-protocol.md: Workbox
// Background Sync is a wake-up signal only, never the queue).
import { build, files, version } from '$service-worker';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { ExpirationPlugin } from 'workbox-expiration';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import {
  isPhotoRequest,
  mayServeCachedPhotos,
  mustForgetPhotos,
  PHOTO_CACHE,
  PHOTO_CACHE_MAX_AGE_SECONDS,
  PHOTO_CACHE_MAX_ENTRIES,
  readPhotoSessionMessage,
} from '../src/lib/domain/photo-cache';

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute([
  { url: '/index.html', revision: version },
  ...build.map((url) => ({ url, revision: null })),
  ...files.filter((f) => !f.endsWith('.DS_Store')).map((url) => ({ url, revision: version })),
]);
cleanupOutdatedCaches();

// Every navigation gets the app shell; the client router takes it from there. The API is never
// answered from a cache.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));

// Viewed photos: presigned URLs change every few minutes, so the cache key is the photo's hash
// path. Kept a day at most, answered only while the page says a session is active, and emptied
// when it says the person signed out or switched facility.
const photoExpiration = new ExpirationPlugin({
  maxEntries: PHOTO_CACHE_MAX_ENTRIES,
  maxAgeSeconds: PHOTO_CACHE_MAX_AGE_SECONDS,
  purgeOnQuotaError: true,
});

// The active session's facility, remembered across restarts of this worker (the browser stops an
// idle worker at will; offline, the page's photos must still come from the cache).
const SESSION_CACHE = 'ptp-photo-session';
const SESSION_KEY = '/__ptp/photo-session';
let activeFacility: string | null | undefined;

async function currentFacility(): Promise<string | null> {
  if (activeFacility === undefined) {
    const saved = await (await caches.open(SESSION_CACHE)).match(SESSION_KEY);
    activeFacility ??= saved ? (await saved.text()) || null : null;
  }
  return activeFacility;
}

async function setFacility(facilityId: string | null) {
  const before = await currentFacility();
  if (mustForgetPhotos(before, facilityId)) await photoExpiration.deleteCacheAndMetadata();
  activeFacility = facilityId;
  const store = await caches.open(SESSION_CACHE);
  if (facilityId) await store.put(SESSION_KEY, new Response(facilityId));
  else await store.delete(SESSION_KEY);
}

const photos = new CacheFirst({
  cacheName: PHOTO_CACHE,
  plugins: [
    photoExpiration,
    {
      // A photo that arrives after sign-out or a switch is not kept for the next session.
      handlerWillStart: async ({ state }) => {
        if (state) state.facility = await currentFacility();
      },
      cacheWillUpdate: async ({ response, state }) => {
        const facility = await currentFacility();
        return response.status === 200 && mayServeCachedPhotos(facility) && state?.facility === facility ? response : null;
      },
    },
  ],
});

registerRoute(
  ({ url, request }) => isPhotoRequest(url.pathname, request.destination),
  async (options) => (mayServeCachedPhotos(await currentFacility()) ? photos.handle(options) : fetch(options.request)),
);

// A new version waits until the page says it is a safe moment (src/lib/client/pwa.ts). Session
// messages are handled one after another, so a sign-out never overtakes the sign-in before it.
let messages = Promise.resolve();
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
  const session = readPhotoSessionMessage(event.data);
  if (session) {
    messages = messages.then(() => setFacility(session.facilityId)).catch((e) => console.error('[sw] photo session', e));
    event.waitUntil(messages);
  }
});

// Connectivity came back (or the browser woke us): nudge the open pages to sync.
async function nudge() {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'SYNC' });
}
self.addEventListener('sync', (event) => (event as ExtendableEvent).waitUntil(nudge()));
self.addEventListener('activate', (event) => event.waitUntil(nudge()));
