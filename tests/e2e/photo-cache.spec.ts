// Viewed photos kept by the service worker do not outlive the session that was allowed to see them
// (src/lib/domain/photo-cache.ts): after sign-out the cache is empty and the photo URL is answered
// by the server (401), not from a cache; a facility switch empties it too.
import type { Page } from '@playwright/test';
import { AppPage, newAccount } from './pages/app.ts';
import { controlledByServiceWorker, PackagesPage } from './pages/packages.ts';
import { desktopOnly, expect, jpeg, test, trackingNo } from './fixtures.ts';

const PHOTO_CACHE = 'ptp-photos';

/** The URLs held in the photo cache (without creating it when it does not exist). */
function cachedPhotos(page: Page): Promise<string[] | null> {
  return page
    .evaluate(async (name) => {
      if (!(await caches.has(name))) return [];
      return (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    }, PHOTO_CACHE)
    .catch((e: Error) => {
      // The page may be navigating (a facility switch reloads its data): ask again on the next poll.
      if (/context was destroyed|navigat/i.test(e.message)) return null;
      throw e;
    });
}

/** Loads `src` as an <img> does (so the service worker's photo route sees it): did it decode? */
function imageLoads(page: Page, src: string): Promise<boolean> {
  return page.evaluate(
    (url) =>
      new Promise<boolean>((resolve) => {
        const img = new Image();
        img.onload = () => resolve(img.naturalWidth > 0);
        img.onerror = () => resolve(false);
        img.src = url;
      }),
    src,
  );
}

/** Receives a package with a photo, opens it, and returns the photo's URL once the cache holds it. */
async function viewPhoto(page: Page, n: number): Promise<string> {
  const pk = new PackagesPage(page);
  await pk.open();
  await pk.openReceive();
  const tracking = trackingNo('PHC');
  await pk.receive({ tracking, recipient: 'Jordan Cache', photo: { name: 'p.jpg', mimeType: 'image/jpeg', buffer: await jpeg(n) } });
  await pk.expectAllSynced();
  await pk.backToList();
  await pk.openPackage(tracking);
  const photo = pk.photo('Intake photo');
  await expect(photo).toHaveAttribute('src', /^\/api\/sync\/blobs\/[0-9a-f]{64}$/);
  await pk.expectImageLoaded(photo);
  const src = (await photo.getAttribute('src'))!;
  await expect.poll(() => cachedPhotos(page)).toEqual([src]);
  return src;
}

test('after sign-out the photo cache is empty and the photo is not served from it', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  const account = newAccount('photo-out');
  await app.signUp(account);
  await controlledByServiceWorker(page);
  const src = await viewPhoto(page, 11);
  expect(await imageLoads(page, src)).toBe(true);

  await app.signOut();
  await expect.poll(() => cachedPhotos(page)).toEqual([]);

  // Even a photo that got into the cache (a response that raced the sign-out) is not served to a
  // signed-out page: the URL goes to the server, which refuses it. The photo is one this page never
  // showed, so the browser's own memory of decoded images (kept for the presigned URL's few
  // minutes, whatever the service worker does) is not what answers.
  const planted = `/api/sync/blobs/${'e'.repeat(64)}`;
  const bytes = (await jpeg(99)).toString('base64');
  await page.evaluate(
    async ({ name, url, b64 }) => {
      const body = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
      await (await caches.open(name)).put(url, new Response(body, { headers: { 'content-type': 'image/jpeg' } }));
    },
    { name: PHOTO_CACHE, url: planted, b64: bytes },
  );
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === planted);
  expect(await imageLoads(page, planted)).toBe(false);
  expect((await answered).status()).toBe(401);
  await page.evaluate((name) => caches.delete(name), PHOTO_CACHE);

  // Signed in again, photos are cached again.
  await app.signIn(account.email, account.password);
  await expect(app.activeFacilityName).toHaveText(account.facility);
  await viewPhoto(page, 14);
});

test('a facility switch empties the photo cache', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  const account = newAccount('photo-switch');
  await app.signUp(account);
  await controlledByServiceWorker(page);
  await viewPhoto(page, 12);

  const annex = `Annex of ${account.name}`;
  const home = () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await home();
  await app.addFacility(annex); // the new facility becomes the active one
  await expect.poll(() => cachedPhotos(page)).toEqual([]);

  await app.switchTo(account.facility);
  await viewPhoto(page, 13);
  await home();
  await app.switchTo(annex);
  await expect.poll(() => cachedPhotos(page)).toEqual([]);
});
