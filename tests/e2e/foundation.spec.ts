// Issue "Foundation": sign up, add a facility, switch, invite and accept, sign out — on every
// viewport project (desktop, tablet, phone) — and the PWA's manifest and icons.
import { expect, test } from '@playwright/test';
import { AppPage, newAccount } from './pages/app.ts';

test('an admin signs up, adds and switches facilities, invites a teammate who joins, and signs out', async ({ page, browser }) => {
  const app = new AppPage(page);
  const admin = newAccount('admin');
  await app.signUp(admin);
  await expect(page.getByTestId('active-facility-code')).toHaveText(/^[A-Z]{2,3}-[A-Z0-9]{4}$/);

  const second = `Loading Dock ${admin.email.slice(6, 10)}`;
  await app.addFacility(second);
  await expect(app.facilitySwitcher.locator('option')).toHaveCount(2);
  await app.switchTo(admin.facility);
  await page.reload();
  await expect(app.activeFacilityName).toHaveText(admin.facility); // kept by the server's session

  const mate = newAccount('mate');
  const link = await app.invite(mate.email, 'operator');

  // The teammate opens the link in their own browser.
  const ctx = await browser.newContext();
  try {
    const mPage = await ctx.newPage();
    await mPage.goto(link);
    await expect(mPage.getByRole('heading', { name: `Join ${admin.facility}` })).toBeVisible();
    await mPage.getByLabel('Name', { exact: true }).fill(mate.name);
    await mPage.getByLabel('Password').fill(mate.password);
    await mPage.getByLabel('I confirm I am 18 or older').check();
    await mPage.getByRole('button', { name: 'Accept invitation' }).click();
    const mApp = new AppPage(mPage);
    await expect(mApp.activeFacilityName).toHaveText(admin.facility);
    // An operator sees no administration.
    await expect(mPage.getByRole('link', { name: 'Team' })).toHaveCount(0);
    await mApp.signOut();
    await mApp.signIn(mate.email, mate.password);
    await expect(mApp.activeFacilityName).toHaveText(admin.facility);
  } finally {
    await ctx.close();
  }

  await app.signOut();
  await app.signIn(admin.email, 'not the password at all');
  await expect(page.getByRole('alert')).toContainText(/not right|invalid/i);
  await app.signIn(admin.email, admin.password);
  await expect(app.activeFacilityName).toBeVisible();
});

test('the app is installable: manifest with icons, standalone display, service worker', async ({ page, request }) => {
  const manifest = await request.get('/manifest.webmanifest');
  expect(manifest.status()).toBe(200);
  const m = await manifest.json();
  expect(m.display).toBe('standalone');
  expect(m.start_url).toBe('/');
  const sizes = m.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(m.icons.some((i: { purpose?: string }) => i.purpose?.includes('maskable'))).toBe(true);
  for (const icon of m.icons) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^image\/png/);
  }
  await page.goto('/login');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', /manifest\.webmanifest/);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toMatch(/\/$/);
});
