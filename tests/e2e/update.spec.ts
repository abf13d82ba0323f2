// A new version of the app (a new service worker after a deploy) is announced and takes over by
// itself at a safe moment: when the page is hidden with nothing half-typed, or on the next
// navigation, which then loads the new version (src/lib/domain/app-update.ts). A deploy is
// simulated by changing the built service worker on disk, which the server serves as is.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { AppPage, newAccount } from './pages/app.ts';
import { controlledByServiceWorker, PackagesPage } from './pages/packages.ts';
import { desktopOnly, expect, test } from './fixtures.ts';

const SW_FILE = path.resolve('build/service-worker.js');

/** Serves a byte-different service worker and has the browser check for it: a new version waits. */
async function deployNewVersion(page: Page, original: string, n: number) {
  writeFileSync(SW_FILE, `${original}\n// e2e: version ${n} ${Date.now()}\n`);
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())!.update();
  });
  await expect(page.getByRole('status').filter({ hasText: 'A new version is available.' })).toBeVisible();
}

/** Marks the current document; a reload or full page load forgets the mark. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { ptpMark?: boolean }).ptpMark = true));
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { ptpMark?: boolean }).ptpMark === true).catch(() => false); // mid-navigation: not the same

const waitingWorker = (page: Page) => page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting);

/** What the browser does when the tablet sleeps or the person switches tabs. */
const setVisibility = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);

test('a new version takes over when the page is hidden, never over a half-filled form, and on the next navigation', async ({
  page,
}, testInfo) => {
  desktopOnly(testInfo.project.name);
  const original = readFileSync(SW_FILE, 'utf8');
  try {
    await new AppPage(page).signUp(newAccount('update'));
    await controlledByServiceWorker(page);
    const pk = new PackagesPage(page);
    await pk.open();
    await pk.openReceive();

    await deployNewVersion(page, original, 1);
    await mark(page);
    // A tracking number is typed and the tablet goes to sleep: the form is kept.
    await page.getByRole('textbox', { name: 'Tracking number' }).fill('1Z999AA10123456784');
    await setVisibility(page, 'hidden');
    await page.waitForTimeout(1500);
    expect(await sameDocument(page)).toBe(true);
    expect(await waitingWorker(page)).toBe(true);

    // Nothing typed any more: the next time the page is hidden, the new version takes over.
    await setVisibility(page, 'visible');
    await page.getByRole('textbox', { name: 'Tracking number' }).fill('');
    await setVisibility(page, 'hidden');
    await expect.poll(() => sameDocument(page)).toBe(false);
    await expect(page.getByRole('heading', { name: 'Receive package' })).toBeVisible();
    await expect.poll(() => waitingWorker(page)).toBe(false);
    await expect(page.getByRole('status').filter({ hasText: 'A new version is available.' })).toHaveCount(0);

    // The next deploy: the next navigation loads the new version (a full page load, same place).
    await deployNewVersion(page, original, 2);
    await mark(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Packages' }).click();
    await expect(page).toHaveURL(/\/packages$/);
    await expect(page.getByRole('heading', { name: 'Packages', level: 1 })).toBeVisible();
    await expect.poll(() => sameDocument(page)).toBe(false);
    await expect.poll(() => waitingWorker(page)).toBe(false);
  } finally {
    writeFileSync(SW_FILE, original);
  }
});
