// The intake desk on a landscape tablet (1180 × 820, touch): typo-tolerant recipients, create on
// the spot, words for what is wrong, the duplicate warning offline, Back on a filled form, rapid
// mode with undo, and the intake photo through the file input, shrunk on the device.
import type { Page } from '@playwright/test';
import { expect, test, trackingNo } from './fixtures.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { IntakePage, seedRecipients } from './pages/intake.ts';
import { PackagesPage, controlledByServiceWorker, serverState } from './pages/packages.ts';
import sharp from 'sharp';

test.beforeEach(({ page: _page }, testInfo) => {
  test.skip(testInfo.project.name !== 'tablet', 'the intake desk is a landscape tablet');
});

const DIRECTORY = [
  { name: 'Ada Lovelace', email: 'ada@example.test', employeeId: 'E1001' },
  { name: 'Grace Hopper', email: 'grace@example.test', employeeId: 'E1002' },
  { name: 'Alan Turing', email: 'alan@example.test', employeeId: 'E1003' },
  { name: 'Adam Lovell', email: 'adam@example.test' },
];

async function start(page: Page, prefix: string) {
  await new AppPage(page).signUp(newAccount(prefix));
  const ids = await seedRecipients(page.request, DIRECTORY);
  const intake = new IntakePage(page);
  const pk = new PackagesPage(page);
  await intake.openFromHome();
  await intake.waitForDirectory(DIRECTORY[0]!.name);
  return { intake, pk, ids };
}

test('a typo’d recipient is picked from the matches; Save and "Saved" sit above the fold; home counts it', async ({ page }) => {
  const { intake, ids } = await start(page, 'typo');
  const tracking = trackingNo('TYPO');
  await intake.scan(tracking);
  await intake.typeRecipient('Lovleace'); // a swapped pair of letters
  await expect(intake.matches.first()).toContainText('Ada Lovelace');
  await intake.recipient.press('Enter');
  await expect(intake.recipient).toHaveValue('Ada Lovelace');
  await expect(page.getByText('✓ From the directory · E1001')).toBeVisible();

  await intake.expectAboveTheFold(intake.save);
  await intake.save.click();
  await expect(intake.saved).toHaveText(`Saved ${tracking} for Ada Lovelace`);
  await intake.expectAboveTheFold(intake.saved);
  await expect(intake.tracking).toBeFocused();

  await new PackagesPage(page).expectAllSynced();
  const server = await serverState(page.request);
  expect(server.packages).toMatchObject([{ trackingNumber: tracking, recipientId: ids[0], recipientName: 'Ada Lovelace' }]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await expect(intake.count('received-today')).toHaveText('1');
  await expect(intake.count('waiting')).toHaveText('1');
  await expect(intake.count('held')).toHaveText('0');
});

test('a name not in the directory is said so, never saved as free text; created on the spot it syncs', async ({ page }) => {
  const { intake, pk } = await start(page, 'create');
  const tracking = trackingNo('NEW');
  await intake.scan(tracking);
  await intake.typeRecipient('Zora Neale Hurston');
  await expect(page.getByText('No one in the directory matches “Zora Neale Hurston”')).toBeVisible();
  await intake.save.click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not in the directory: pick a match or create' })).toBeVisible();
  await expect(intake.recipient).toBeFocused();
  await expect(intake.saved).toHaveCount(0);

  await page.getByRole('button', { name: 'Create “Zora Neale Hurston”', exact: true }).click();
  await pk.createRecipient({ email: 'zora@example.test', employeeId: 'E2001' });
  await expect(page.getByText('✓ From the directory · E2001')).toBeVisible();
  await intake.save.click();
  await expect(intake.saved).toHaveText(`Saved ${tracking} for Zora Neale Hurston`);

  await pk.expectAllSynced();
  const server = await serverState(page.request);
  const zora = server.recipients.find((r) => r.name === 'Zora Neale Hurston');
  expect(zora).toMatchObject({ email: 'zora@example.test', employeeId: 'E2001' });
  expect(server.packages).toMatchObject([{ trackingNumber: tracking, recipientId: zora!.id }]);
});

test('words for what is wrong: a 500-character name and an emoji in a tracking number', async ({ page }) => {
  const { intake } = await start(page, 'words');
  await intake.tracking.fill('1Z999📦');
  await intake.tracking.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'only letters A–Z, digits' })).toContainText('remove “📦”');

  await intake.recipient.fill('x'.repeat(500));
  await expect(page.getByText('Recipient is at most 200 characters: anything longer was cut off')).toBeVisible();
  await expect(intake.recipient).toHaveValue('x'.repeat(200));
  await expect(page.getByText(/too_big|expected string/)).toHaveCount(0);
  await intake.save.click();
  await expect(intake.tracking).toBeFocused(); // the first field with a problem
  await expect(intake.saved).toHaveCount(0);

  // A package without a barcode gets an internal id built from the facility code.
  await page.getByRole('button', { name: 'No barcode' }).click();
  await expect(intake.tracking).toHaveValue(/^[A-Z]{2,3}-[A-HJ-KM-NP-Z2-9]{4}-\d{6}-[A-HJ-KM-NP-Z2-9]{4}$/);
  await expect(page.getByRole('combobox', { name: 'Carrier' })).toHaveValue('other');
  await expect(page.getByText(/only letters A–Z/)).toHaveCount(0);
});

test('a tracking number already logged is flagged offline, with a link, and can be saved anyway', async ({ page, context }) => {
  const { intake, pk } = await start(page, 'dup');
  await controlledByServiceWorker(page);
  const tracking = trackingNo('DUP');
  await intake.scan(tracking);
  await intake.typeRecipient('Grace');
  await intake.recipient.press('Enter');
  await intake.save.click();
  await expect(intake.saved).toContainText(tracking);
  await pk.expectAllSynced();

  await context.setOffline(true);
  // Typed differently (lower case, spaces): the same number.
  await intake.tracking.fill(tracking.toLowerCase().replace(/(.{4})/g, '$1 '));
  await expect(intake.duplicateWarning).toContainText(`Already logged: ${tracking} for Grace Hopper, received`);
  await expect(intake.duplicateWarning.getByRole('link', { name: tracking })).toHaveAttribute('href', /\/packages\/[0-9a-f-]{36}$/);
  await intake.tracking.press('Enter');
  await intake.typeRecipient('Alan');
  await intake.recipient.press('Enter');
  await intake.save.click();
  await expect(intake.saved).toHaveText(`Saved ${tracking} for Alan Turing`);
  await expect(intake.shiftItems).toHaveCount(2);
  await expect(intake.shiftItems.first()).toHaveAttribute('data-state', 'saved');
});

test('Back on a filled form asks before throwing it away', async ({ page }) => {
  const { intake } = await start(page, 'back');
  await intake.tracking.fill('1Z5R89390357567127');
  await intake.typeRecipient('Ada');

  const asked: string[] = [];
  page.once('dialog', (d) => (asked.push(d.message()), void d.dismiss()));
  await page.goBack();
  await expect.poll(() => asked).toEqual(['Discard the package you are entering? What you typed is not saved.']);
  await expect(page.getByRole('heading', { name: 'Receive package' })).toBeVisible();
  await expect(intake.tracking).toHaveValue('1Z5R89390357567127');

  page.once('dialog', (d) => void d.accept());
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Receive package' })).toBeHidden();
});

test('rapid mode: scan, recipient, Enter saves and returns to the scanner; the last package can be undone', async ({ page }) => {
  const { intake, pk } = await start(page, 'rapid');
  await intake.setRapid(true);
  await intake.tracking.focus();
  const trackings = [trackingNo('RPD'), trackingNo('RPD'), trackingNo('RPD')];
  const who = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing'];
  for (const [i, t] of trackings.entries()) {
    await intake.scan(t);
    await intake.typeRecipient(['lovelace', 'hoppr', 'E1003'][i]!);
    await expect(intake.matches.first()).toContainText(who[i]!);
    await intake.recipient.press('Enter');
    await expect(intake.saved).toHaveText(`Saved ${t} for ${who[i]}`);
    await expect(intake.tracking).toBeFocused();
    await expect(intake.tracking).toHaveValue('');
  }
  await expect(intake.shiftItems).toHaveCount(3);
  await pk.expectAllSynced();
  await expect(intake.shiftItems.first()).toHaveAttribute('data-state', 'synced');
  await expect(intake.shiftItems.first()).toContainText(trackings[2]!);

  // Only the newest has an undo; it is taken back on the server too.
  await expect(page.getByRole('button', { name: /^Undo/ })).toHaveCount(1);
  await intake.shiftItems.first().getByRole('button', { name: /^Undo/ }).click();
  await expect(intake.saved).toHaveText('Undone: the last package was taken back');
  await expect(intake.shiftItems.first()).toHaveAttribute('data-state', /undo_pending|undone/);
  await pk.expectAllSynced();
  await expect(intake.shiftItems.first()).toHaveAttribute('data-state', 'undone');
  const server = await serverState(page.request);
  expect(server.packages.map((p) => p.trackingNumber).sort()).toEqual(trackings.slice(0, 2).sort());
});

test('an intake photo from the file input is shrunk on the device before it is queued', async ({ page, context }) => {
  const { intake, pk } = await start(page, 'photo');
  await controlledByServiceWorker(page);
  await context.setOffline(true);
  const big = await sharp({ create: { width: 3200, height: 2400, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg({ quality: 95 })
    .toBuffer();
  const tracking = trackingNo('PHO');
  await intake.scan(tracking);
  await intake.typeRecipient('Ada Lovelace');
  await intake.recipient.press('Enter');
  await intake.photoInput.setInputFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: big });
  await expect(page.getByRole('img', { name: 'The package as it will be saved' })).toBeVisible();
  await intake.save.click();
  await expect(intake.saved).toHaveText(`Saved ${tracking} for Ada Lovelace`);
  await expect(intake.shiftItems.first()).toHaveAttribute('data-state', 'saved');

  // What waits in IndexedDB is a JPEG whose long edge is 1,600 px.
  const stored = await page.evaluate(async () => {
    const facilityId = (JSON.parse(localStorage.getItem('ptp:session')!) as { me: { activeFacilityId: string } }).me.activeFacilityId;
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open(`ptp-${facilityId}`);
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const blobs = await new Promise<{ data: Blob; contentType: string; state: string }[]>((ok, fail) => {
      const r = db.transaction('blobs').objectStore('blobs').getAll();
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    db.close();
    const bitmap = await createImageBitmap(blobs[0]!.data);
    return { count: blobs.length, type: blobs[0]!.contentType, width: bitmap.width, height: bitmap.height, state: blobs[0]!.state };
  });
  expect(stored).toEqual({ count: 1, type: 'image/jpeg', width: 1600, height: 1200, state: 'pending' });

  await context.setOffline(false);
  await pk.expectAllSynced(30_000);
  const server = await serverState(page.request);
  expect(server.attachments).toMatchObject([{ kind: 'intake', uploaded: true }]);
});
