// The package detail and the phone layout (issue "Hand-off on the phone"): the compact header and
// bottom navigation on a phone, hold with a reason, the Held tab, return with a confirmation, undo
// within the minute, an admin's edit in the timeline by name, the photo lightbox, and a conflict
// between two offline devices told in words on Needs attention.
import type { Page } from '@playwright/test';
import { desktopOnly, expect, jpeg, test, trackingNo } from './fixtures.ts';
import { PackagesPage, serverState } from './pages/packages.ts';
import { inviteTeammate, signUpAdmin } from './pages/people.ts';

async function receiveOne(pk: PackagesPage, recipient: string, prefix: string, photo?: Buffer) {
  await pk.open();
  await pk.openReceive();
  const tracking = trackingNo(prefix);
  await pk.receive({ tracking, recipient, ...(photo ? { photo: { name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo } } : {}) });
  await pk.backToList();
  return tracking;
}

/** Every box is inside the viewport (nothing cut off or off-screen). */
async function expectOnScreen(page: Page, what: string, box: { x: number; y: number; width: number; height: number } | null) {
  const vp = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box!.x, what).toBeGreaterThanOrEqual(0);
  expect(box!.y, what).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, what).toBeLessThanOrEqual(vp.width + 0.5);
  expect(box!.y + box!.height, what).toBeLessThanOrEqual(vp.height + 0.5);
}

const noHorizontalScroll = (page: Page) =>
  expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
    .toBeLessThanOrEqual(0);

test('phone: a compact header and a bottom bar reach every destination, nothing off-screen', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the phone layout');
  const { app } = await signUpAdmin(page, 'layout');
  const header = page.locator('header.top');
  expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64);
  await expect(page.getByLabel('Facility', { exact: true })).toBeVisible();
  await expect(page.getByTestId('sync-status')).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'Main' });
  const bar = ['Packages', 'Deliver', 'Receive', 'Needs attention'];
  for (const name of bar) {
    const link = nav.getByRole('link', { name });
    await expect(link).toBeVisible();
    const box = await link.boundingBox();
    await expectOnScreen(page, name, box);
    expect(box!.height, name).toBeGreaterThanOrEqual(44);
  }
  await expect(nav.getByRole('link', { name: 'Deliver' })).toHaveAttribute('href', '/deliver');
  const more = nav.getByRole('button', { name: 'More' });
  await expectOnScreen(page, 'More', await more.boundingBox());
  await noHorizontalScroll(page);

  // The everyday destinations.
  await nav.getByRole('link', { name: 'Packages' }).click();
  await expect(page.getByRole('heading', { name: 'Packages', level: 1 })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Packages' })).toHaveAttribute('aria-current', 'page');
  await noHorizontalScroll(page);
  await nav.getByRole('link', { name: 'Receive' }).click();
  await expect(page.getByRole('heading', { name: 'Receive package' })).toBeVisible();
  await nav.getByRole('link', { name: 'Needs attention' }).click();
  await expect(page.getByRole('heading', { name: 'Needs attention' })).toBeVisible();

  // The rest, under More: a sheet whose entries are on screen and big enough for a thumb.
  const sheet = page.getByRole('dialog', { name: 'More' });
  const destinations: [string, RegExp][] = [
    ['Home', /\/$/],
    ['Directory', /\/directory$/],
    ['Team', /\/team$/],
    ['New facility', /\/facilities\/new$/],
    ['Account', /\/account$/],
  ];
  for (const [name, url] of destinations) {
    await more.click();
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    const link = sheet.getByRole('link', { name, exact: true });
    const box = await link.boundingBox();
    await expectOnScreen(page, name, box);
    expect(box!.height, name).toBeGreaterThanOrEqual(44);
    await link.click();
    await expect(page).toHaveURL(url);
    await expect(sheet).toBeHidden();
  }

  // The narrowest phones: still one header row, no sideways scrolling.
  await page.setViewportSize({ width: 360, height: 740 });
  await nav.getByRole('link', { name: 'Packages' }).click();
  await noHorizontalScroll(page);
  expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64);
  for (const name of bar) await expectOnScreen(page, name, await nav.getByRole('link', { name }).boundingBox());
  await expectOnScreen(page, 'More', await more.boundingBox());

  await app.signOut();
});

test('tablet: hold needs a reason, the Held tab shows its age, return is confirmed and undone, an admin edit is in the timeline by name', async ({
  page,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'tablet', 'a desk flow on the tablet');
  const { pk, account } = await signUpAdmin(page, 'hold');
  const tracking = await receiveOne(pk, 'Hana Holdwell', 'HLD');
  await pk.openPackage(tracking);
  await pk.expectAllSynced();

  // A hold without a reason is refused, and says why.
  await page.getByRole('button', { name: 'Hold', exact: true }).click();
  await page.getByRole('button', { name: 'Hold package' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose why the package is held');
  await expect(pk.detailStatus).toHaveText('Received');
  await expect(page.getByRole('radio', { name: 'Photo ID required' })).toBeFocused();

  // With a reason it is held.
  await page.getByRole('radio', { name: 'Recipient away' }).check();
  await page.getByLabel(/^Hold note/).fill('Back Monday');
  await page.getByRole('button', { name: 'Hold package' }).click();
  await expect(pk.detailStatus).toHaveText('Held');
  await expect(page.locator('dt:text-is("Held") + dd')).toContainText('Recipient away: Back Monday');

  // The Held tab lists it with its age and reason.
  await pk.backToList();
  await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Held' }).click();
  await expect(page).toHaveURL(/status=held/);
  await expect(pk.row(tracking).getByTestId('hold-age')).toHaveText('held less than an hour · Recipient away: Back Monday');

  // Return to sender: reason, carrier, then the confirmation.
  await pk.openPackage(tracking);
  await pk.returnPackage('Refused by recipient', 'UPS');
  const returned = page.locator('dt:text-is("Returned") + dd');
  await expect(returned).toContainText('Reason: Refused by recipient');
  await expect(returned).toContainText('Carrier: UPS');

  // Undo within the minute: open again (held, as before the return).
  await expect(page.getByText(/you can undo it for \d+ s/)).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(pk.detailStatus).toHaveText('Held');
  await expect(pk.events.filter({ hasText: 'Reopened by' })).toContainText('Undone on the device');
  await pk.expectAllSynced();
  const afterUndo = await serverState(page.request);
  expect(afterUndo.packages.find((p) => p.trackingNumber === tracking)).toMatchObject({ status: 'held' });

  // An admin corrects the sender: only that field is sent, and the timeline names who did it.
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Sender').fill('ACME Returns Dept');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('dt:text-is("Sender") + dd')).toHaveText('ACME Returns Dept');
  const updated = pk.events.filter({ hasText: 'Updated by' });
  await expect(updated).toContainText(`Updated by ${account.name}`);
  await expect(updated).toContainText('changed sender');
  await expect(updated).toContainText('on this device');
  await pk.expectAllSynced();
  await expect(updated).toContainText('recorded');
  await expect(updated).not.toContainText('not synced yet');

  // A package logged by mistake: an admin deletes it after confirming.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The package was deleted' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the packages' }).click();
  await expect(pk.row(tracking)).toHaveCount(0);
  await pk.expectAllSynced();
  expect((await serverState(page.request)).packages.find((p) => p.trackingNumber === tracking)).toBeUndefined();
});

test('the lightbox opens on a tapped photo and zooms', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'pinch and tap on the phone');
  const { pk } = await signUpAdmin(page, 'lightbox');
  const tracking = await receiveOne(pk, 'Lux Photo', 'PSW', await jpeg(11));
  await pk.expectAllSynced();
  await pk.row(tracking).tap();
  await expect(pk.detailTracking).toHaveText(tracking);
  const photo = page.getByTestId('attachment').filter({ hasText: 'Intake photo' });
  await expect(photo).toContainText('stored');
  await pk.expectImageLoaded(pk.photo('Intake photo'));

  await page.getByRole('button', { name: 'Open Intake photo' }).tap();
  const box = page.locator('.pswp');
  await expect(box).toBeVisible();
  await expect(box.locator('.pswp__img').first()).toBeVisible();
  await expect(box).not.toHaveClass(/pswp--zoomed-in/);
  await box.locator('.pswp__button--zoom').tap();
  await expect(box).toHaveClass(/pswp--zoomed-in/);
  await box.locator('.pswp__button--close').tap();
  await expect(box).toBeHidden();
});

/**
 * Hands the package over on the Deliver screen with a mouse signature, offline, and returns the
 * signature's hash as the device queued it (the screen is the app's only way to deliver).
 */
async function deliverOnScreen(page: Page, id: string): Promise<string> {
  await page.goto(`/deliver?package=${id}`);
  await page.getByRole('button', { name: /^Hand over 1 package/ }).click();
  const pad = (await page.getByLabel(/Signature pad/).boundingBox())!;
  await page.mouse.move(pad.x + pad.width * 0.1, pad.y + pad.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(pad.x + pad.width * (0.1 + 0.065 * i), pad.y + pad.height * (i % 2 ? 0.3 : 0.65));
  await page.mouse.up();
  await page.getByRole('button', { name: /^Confirm hand-over/ }).click();
  await expect(page.getByRole('heading', { name: 'Handed over' })).toBeVisible();
  return page.evaluate(async () => {
    const facility = (await indexedDB.databases()).find((d) => d.name?.startsWith('ptp-'))!.name!;
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open(facility);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const all = await new Promise<{ name: string; args: { signatureHash: string } }[]>((ok, fail) => {
      const r = db.transaction('outbox').objectStore('outbox').getAll();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    db.close();
    return all.find((m) => m.name === 'package.deliver.v2')!.args.signatureHash;
  });
}

test('two devices offline: one delivers, the other returns; one state wins and the other reads the conflict in words', async ({
  page,
  context,
  browser,
}, testInfo) => {
  desktopOnly(testInfo.project.name);
  const { app, pk: a } = await signUpAdmin(page, 'conflict');
  const mate = await inviteTeammate(browser, app, 'operator');
  try {
    const b = mate.pk;
    const tracking = await receiveOne(a, 'Riley Conflict', 'CONF');
    await a.expectAllSynced();
    await b.open();
    await expect(b.row(tracking)).toBeVisible({ timeout: 15_000 });
    const server = await serverState(page.request);
    const pkg = server.packages.find((p) => p.trackingNumber === tracking)!;
    await a.openPackage(tracking);
    await b.openPackage(tracking);

    await context.setOffline(true);
    await mate.context.setOffline(true);
    // B returns it to the sender; A hands it over with a signature.
    await b.returnPackage('Refused by recipient');
    const signature = await deliverOnScreen(page, pkg.id);
    await page.goto(`/packages/${pkg.id}`);
    await expect(a.detailStatus).toHaveText('Delivered');
    await expect(a.syncStatus).toHaveAttribute('data-state', 'offline');

    // B's return reaches the server first; then A's delivery is refused.
    await mate.context.setOffline(false);
    await b.expectAllSynced();
    await context.setOffline(false);
    await expect(a.syncSummary).toHaveText('Synced', { timeout: 30_000 });
    await expect(a.syncStatus).toHaveAttribute('data-state', 'attention');
    await expect(a.detailStatus).toHaveText('Returned');
    await expect(b.detailStatus).toHaveText('Returned');

    await a.openAttention();
    await expect(a.rejections).toHaveCount(1);
    const conflict = a.rejections.first();
    await expect(conflict).toContainText(`Deliver package ${tracking}`);
    await expect(conflict).toContainText(
      new RegExp(
        `You delivered this to Riley Conflict at .+; meanwhile it was returned to sender by ${mate.account.name} at .+ \\(reason: Refused by recipient\\)\\.`,
      ),
    );
    await expect(conflict).not.toContainText('invalid_transition');
    await expect(conflict.getByRole('button', { name: 'Keep as evidence for an admin' })).toBeVisible();

    // The signature was not thrown away: it reached the server.
    await expect
      .poll(async () => (await page.request.get(`/api/sync/blobs/${signature}`, { maxRedirects: 0 })).status(), { timeout: 20_000 })
      .toBe(302);

    // An admin records the real hand-off: reopened, then delivered, on both devices.
    await conflict.getByRole('button', { name: 'Reopen and record this delivery' }).click();
    await expect(a.rejections).toHaveCount(0);
    await a.expectAllSynced();
    const after = await serverState(page.request);
    expect(after.packages.find((p) => p.id === pkg.id)).toMatchObject({
      status: 'delivered',
      deliveredTo: 'Riley Conflict',
      signatureHash: signature,
    });
    await expect(b.detailStatus).toHaveText('Delivered', { timeout: 15_000 });
    await expect(b.page.getByTestId('event').filter({ hasText: 'Reopened by' })).toContainText('A refused hand-off recorded by an admin');
  } finally {
    await mate.context.close();
  }
});
