// Offline-first package work in a real browser: the outbox survives a closed tab, an operator
// works a whole session with no network (app shell from the service worker, session from the
// device, photos queued), two devices converge. Conflicts between devices and the package detail's
// actions: handoff-detail.spec.ts. The server's state is read over the sync protocol (a pull).
import { desktopOnly, expect, jpeg, test, trackingNo } from './fixtures.ts';
import { controlledByServiceWorker, fetchBlob, PackagesPage, serverState } from './pages/packages.ts';
import { inviteTeammate, signUpAdmin } from './pages/people.ts';

test('(12) a package saved offline in a tab that was then closed syncs from the next tab, once', async ({ page, context }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const { pk } = await signUpAdmin(page, 'closed-tab');
  await controlledByServiceWorker(page);
  await pk.open();
  await pk.openReceive();

  await context.setOffline(true);
  const tracking = trackingNo('TAB');
  await pk.receive({ tracking, recipient: 'Dana Offline' });
  // The recipient was created on the spot: a recipient.upsert and the package.
  await expect(pk.syncSummary).toHaveText('Offline · 2 waiting');
  await page.close();

  // The next tab opens offline (shell from the service worker) and still holds the change.
  const next = await context.newPage();
  const pk2 = new PackagesPage(next);
  await next.goto('/packages?view=device');
  await expect(pk2.row(tracking)).toContainText('not synced');
  await expect(pk2.syncSummary).toHaveText('Offline · 2 waiting');

  await context.setOffline(false);
  await pk2.expectAllSynced();
  await expect(pk2.row(tracking)).not.toContainText('not synced');

  const server = await serverState(next.request);
  expect(server.packages.filter((p) => p.trackingNumber === tracking)).toHaveLength(1);
  expect(server.packages).toHaveLength(1);
  expect(server.packages[0]).toMatchObject({ recipientName: 'Dana Offline', status: 'received' });
});

test('a whole offline session: 20 packages with photos survive reloads and all reach the server', async ({ page, context }, testInfo) => {
  desktopOnly(testInfo.project.name);
  test.setTimeout(120_000);
  const { pk } = await signUpAdmin(page, 'offline-session');
  await controlledByServiceWorker(page);

  await context.setOffline(true);
  await page.reload();
  // The shell came from the service worker and the session from the device.
  await expect(page.getByRole('status').filter({ hasText: 'Offline: showing what this device knows' })).toBeVisible();
  await pk.open();
  await pk.openReceive();

  const N = 20;
  const trackings: string[] = [];
  for (let i = 0; i < N; i++) {
    const tracking = trackingNo(`OFF${i}X`);
    trackings.push(tracking);
    await pk.receive({
      tracking,
      recipient: `Recipient ${String(i).padStart(2, '0')}`,
      photo: { name: `label-${i}.jpg`, mimeType: 'image/jpeg', buffer: await jpeg(i) },
    });
  }

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Receive package' })).toBeVisible();
  await pk.open();
  await expect(pk.rows).toHaveCount(N);
  for (const t of trackings) await expect(pk.row(t)).toContainText('not synced');
  // Every recipient created on the spot, every receive and every photo link is queued; every photo
  // waits for upload.
  await expect(pk.syncSummary).toHaveText(`Offline · ${4 * N} waiting`);
  await expect(pk.syncStatus).toHaveAttribute('data-state', 'offline');

  // A package's photo shows from the device while it waits for upload.
  await pk.openPackage(trackings[7]!);
  await expect(pk.page.getByText('on this device, waiting for the network')).toBeVisible();
  await expect(pk.page.getByText('uploading…')).toHaveCount(0);
  await pk.expectImageLoaded(pk.photo('Intake photo'));

  await context.setOffline(false);
  await pk.expectAllSynced(60_000);
  // Now it comes from the server.
  await expect(pk.page.getByText('uploading…')).toHaveCount(0);
  await expect(pk.photo('Intake photo')).toHaveAttribute('src', /^\/api\/sync\/blobs\/[0-9a-f]{64}$/);
  await pk.expectImageLoaded(pk.photo('Intake photo'));
  await pk.backToList();
  await expect(pk.rows).toHaveCount(N);
  await expect(pk.page.getByText('not synced')).toHaveCount(0);

  const server = await serverState(page.request);
  expect(server.packages).toHaveLength(N);
  expect(server.packages.map((p) => p.trackingNumber).sort()).toEqual([...trackings].sort());
  for (const p of server.packages) {
    const photos = server.attachments.filter((a) => a.packageId === p.id);
    expect(photos, p.trackingNumber).toHaveLength(1);
    expect(photos[0]).toMatchObject({ kind: 'intake', uploaded: true });
  }
  expect(new Set(server.attachments.map((a) => a.hash)).size).toBe(N);
  for (const a of server.attachments) {
    const blob = await fetchBlob(page.request, a.hash);
    expect(blob.status).toBe(200);
    expect(blob.contentType).toMatch(/^image\/jpeg/);
    expect(blob.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  }
});

test('two devices of one facility converge while online', async ({ page, browser }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const { app, pk: a } = await signUpAdmin(page, 'converge');
  const mate = await inviteTeammate(browser, app, 'operator');
  try {
    const b = mate.pk;
    await b.open();
    await a.open();
    await a.openReceive();
    const tracking = trackingNo('CONV');
    await a.receive({ tracking, recipient: 'Morgan Both' });
    await a.backToList();

    // B sees A's package within seconds, without reloading.
    await expect(b.row(tracking)).toBeVisible({ timeout: 10_000 });
    await expect(b.row(tracking).locator('.badge')).toHaveText('Received');

    await b.openPackage(tracking);
    await b.hold('Recipient on vacation');
    await b.expectAllSynced();

    await expect(a.row(tracking).locator('.badge')).toHaveText('Held', { timeout: 10_000 });
    await a.openPackage(tracking);
    await expect(a.page.getByText('Recipient on vacation').first()).toBeVisible();
  } finally {
    await mate.context.close();
  }
});
