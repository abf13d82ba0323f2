/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
// The service worker: precaches the app shell so the app opens with no network (also after a
// reload or a tablet restart), serves navigations from it, keeps viewed photos in a capped cache,
// and wakes the sync engine. It never queues mutations itself (sync-protocol.md: Workbox
// Background Sync is a wake-up signal only, never the queue).
import { build, files, version } from '$service-worker';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { ExpirationPlugin } from 'workbox-expiration';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

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
// path, and the cache is capped.
registerRoute(
  ({ url, request }) => request.destination === 'image' && /^\/api\/(sync\/)?blobs\//.test(url.pathname),
  new CacheFirst({
    cacheName: 'ptp-photos',
    plugins: [new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 7 * 24 * 3600, purgeOnQuotaError: true })],
  }),
);

// A new version waits until the page says the person is ready ("Reload to update").
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Connectivity came back (or the browser woke us): nudge the open pages to sync.
async function nudge() {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'SYNC' });
}
self.addEventListener('sync', (event) => (event as ExtendableEvent).waitUntil(nudge()));
self.addEventListener('activate', (event) => event.waitUntil(nudge()));
