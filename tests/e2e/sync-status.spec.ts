// What the header says about sync, and the packages list's search, at the intake desk (tablet):
// an offline reload is calm ("Offline · N waiting", no error text), nothing is requested while the
// browser is offline, a package held offline is marked unsynced, and online again is "All synced".
import { expect, test, trackingNo } from './fixtures.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { controlledByServiceWorker, PackagesPage } from './pages/packages.ts';

test('offline is said once and calmly, nothing is requested meanwhile, a hold offline is marked until it synced', async ({
  page,
  context,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'tablet', 'an intake-desk flow');
  const app = new AppPage(page);
  await app.signUp(newAccount('sync-status'));
  await controlledByServiceWorker(page);
  const pk = new PackagesPage(page);
  await pk.open();
  await pk.openReceive();
  const tracking = trackingNo('HOLD');
  await pk.receive({ tracking, recipient: 'Ada Lovelace' });
  await pk.backToList();
  await pk.expectAllSynced();

  const syncRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/sync/')) syncRequests.push(r.url());
  });

  await context.setOffline(true);
  await page.reload();
  await expect(pk.syncSummary).toHaveText('Offline');
  await expect(pk.syncStatus).toHaveAttribute('data-state', 'offline');
  await expect(pk.syncStatus).not.toContainText(/fail|error|upload/i);

  await pk.openPackage(tracking);
  await pk.hold('Shelf B, offline');
  await pk.page.goBack();
  await expect(pk.row(tracking)).toContainText('not synced yet');
  await expect(pk.syncSummary).toHaveText('Offline · 1 waiting');
  await expect(pk.syncStatus).not.toContainText(/fail|error|upload|All synced/i);

  // Longer than the engine's interval and several backoff steps: no sync request goes out.
  await page.waitForTimeout(8_000);
  expect(syncRequests).toEqual([]);
  await expect(pk.syncSummary).toHaveText('Offline · 1 waiting');

  await context.setOffline(false);
  await pk.expectAllSynced();
  await expect(pk.row(tracking)).not.toContainText('not synced');
  expect(syncRequests.length).toBeGreaterThan(0);
});

test('search finds any word of a name and any part of a tracking number, and the address keeps it', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'tablet', 'an intake-desk flow');
  const app = new AppPage(page);
  await app.signUp(newAccount('search'));
  const pk = new PackagesPage(page);
  await pk.open();
  await pk.openReceive();
  const ada = trackingNo('ADA');
  const grace = trackingNo('GRC');
  await pk.receive({ tracking: ada, recipient: 'Ada Lovelace' });
  await pk.receive({ tracking: grace, recipient: 'Grace Hopper' });
  await pk.backToList();

  await pk.search('Lovelace');
  await expect(pk.rows).toHaveCount(1);
  await expect(pk.row(ada)).toBeVisible();
  await expect(page).toHaveURL(/[?&]q=Lovelace/);

  // The middle of a tracking number.
  await pk.search(grace.slice(2, -2));
  await expect(pk.rows).toHaveCount(1);
  await expect(pk.row(grace)).toBeVisible();

  await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Held' }).click();
  await expect(page).toHaveURL(/[?&]status=held/);
  await expect(page.getByText('No package matches.')).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('Search packages')).toHaveValue(grace.slice(2, -2));
  await expect(page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'Held' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('group', { name: 'Status' }).getByRole('button', { name: 'All' }).click();
  await expect(pk.row(grace)).toBeVisible();
  await expect(pk.rows).toHaveCount(1);

  // The carrier filter too lives in the address (these test numbers are no carrier's: "Other").
  await page.getByLabel('Carrier').selectOption('UPS');
  await expect(page).toHaveURL(/[?&]carrier=ups/);
  await expect(page.getByText('No package matches.')).toBeVisible();
  await page.getByLabel('Carrier').selectOption('Other');
  await expect(pk.row(grace)).toBeVisible();

  // Into a package and Back: the same filtered list.
  await pk.openPackage(grace);
  await page.goBack();
  await expect(page).toHaveURL(/[?&]carrier=other/);
  await expect(page.getByLabel('Search packages')).toHaveValue(grace.slice(2, -2));
  await expect(page.getByLabel('Carrier')).toHaveValue('other');
  await expect(pk.rows).toHaveCount(1);
});
