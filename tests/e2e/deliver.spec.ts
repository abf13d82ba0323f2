// The Deliver screen on a phone (portrait, touch): a courier in a dead zone finds a recipient's
// packages, gets one signature and a photo from the phone's camera (Chromium's fake camera), and
// hands all three over at once; back online, the server has the three deliveries with the same
// signature and both images. And: Confirm waits for a signature (the facility's default), a link
// from a package opens only that package, and Undo within the minute puts the packages back.
import { chromium, type APIRequestContext, type Browser, type Page, type TestInfo } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumLaunchOptions } from '../chromium.ts';
import { newPickupKey, pickupCodeFor, pickupQrPayload } from '../../src/lib/domain/pickup-code.ts';
import { wedgeScan } from './wedge-scanner.ts';
import { expect, test, trackingNo, watchErrors } from './fixtures.ts';
import { labelImage, writeY4m, type LabelBarcode } from './label-video.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { pushFromAnotherDevice, seedRecipients } from './pages/intake.ts';
import { PackagesPage, controlledByServiceWorker, fetchBlob, serverState, type ServerState } from './pages/packages.ts';

const phoneOnly = (info: TestInfo) => test.skip(info.project.name !== 'phone', 'the Deliver screen is a courier’s phone');

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 };

/**
 * A phone whose camera films `codes` on a white card (Chromium's fake camera), or its test pattern
 * when there are none. Returns the browser and a cleanup.
 */
async function phoneWithCamera(codes: LabelBarcode[] = []): Promise<{ browser: Browser; done: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ptp-deliver-'));
  const args = [...chromiumLaunchOptions.args, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
  if (codes.length) {
    const video = path.join(dir, 'card.y4m');
    const [width, height] = [1280, 720];
    writeY4m(video, await labelImage(width, height, codes), width, height);
    args.push(`--use-file-for-fake-video-capture=${video}`);
  }
  const browser = await chromium.launch({ ...chromiumLaunchOptions, args });
  return {
    browser,
    done: async () => {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Logs packages on the server as another device of the same person would (package.receive.v2). */
async function seedPackages(
  request: APIRequestContext,
  packages: { recipientId: string; recipientName: string; trackingNumber: string }[],
) {
  const ids: string[] = packages.map(() => randomUUID());
  await pushFromAnotherDevice(
    request,
    packages.map((p, i) => ({
      name: 'package.receive.v2',
      args: { id: ids[i], carrier: 'other', receivedAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(), ...p },
    })),
  );
  return ids;
}

class DeliverScreen {
  constructor(readonly page: Page) {}

  get search() {
    return this.page.getByLabel('Find recipient or package');
  }
  result(name: string) {
    return this.page.getByRole('list', { name: 'Recipients with packages waiting' }).getByRole('button').filter({ hasText: name });
  }
  get packages() {
    return this.page.getByTestId('deliver-package');
  }
  get confirm() {
    return this.page.getByRole('button', { name: /^Confirm hand-over/ });
  }
  get signaturePad() {
    return this.page.getByLabel(/Signature pad/);
  }

  /** Opens /deliver and waits until the device has pulled this recipient's packages. */
  async openFor(name: string, count: number) {
    await expect(async () => {
      await this.page.goto('/deliver');
      await this.search.fill(name);
      await expect(this.result(name).getByTestId('count')).toHaveText(`${count} waiting`, { timeout: 3000 });
    }).toPass({ timeout: 30_000 });
  }

  /** A finger's zig-zag across the pad (touch input through the DevTools protocol). */
  async sign() {
    const box = (await this.signaturePad.boundingBox())!;
    const cdp = await this.page.context().newCDPSession(this.page);
    let t = Date.now() / 1000;
    const send = (type: 'touchStart' | 'touchMove' | 'touchEnd', p?: { x: number; y: number }) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: p ? [{ x: p.x, y: p.y, id: 1, radiusX: 2, radiusY: 2, force: 0.6 }] : [],
        timestamp: (t += 0.016),
      });
    const points = Array.from({ length: 14 }, (_, i) => ({
      x: box.x + box.width * (0.1 + (0.8 * i) / 13),
      y: box.y + box.height * (i % 2 ? 0.3 : 0.65),
    }));
    await send('touchStart', points[0]);
    for (const p of points.slice(1)) await send('touchMove', p);
    t += 0.2;
    await send('touchMove', points.at(-1));
    await send('touchEnd');
    await cdp.detach();
  }
}

test('offline, a courier hands a recipient’s three packages over at once with one signature and a camera photo', async ({
  baseURL,
}, testInfo) => {
  phoneOnly(testInfo);
  test.setTimeout(90_000);
  // A phone with a camera: Chromium's fake device films its test pattern.
  const { browser, done } = await phoneWithCamera();
  try {
    const context = await browser.newContext({ baseURL, ...PHONE });
    watchErrors(context);
    await context.grantPermissions(['camera']);
    const page = await context.newPage();
    await new AppPage(page).signUp(newAccount('deliver'));
    await controlledByServiceWorker(page);
    const [adaId, graceId] = await seedRecipients(page.request, [{ name: 'Ada Lovelace' }, { name: 'Grace Hopper' }]);
    const adas = [trackingNo('ADA'), trackingNo('ADA'), trackingNo('ADA')];
    const ids = await seedPackages(page.request, [
      ...adas.map((trackingNumber) => ({ recipientId: adaId!, recipientName: 'Ada Lovelace', trackingNumber })),
      { recipientId: graceId!, recipientName: 'Grace Hopper', trackingNumber: trackingNo('GRACE') },
    ]);
    const adaIds = ids.slice(0, 3);

    const d = new DeliverScreen(page);
    await d.openFor('Ada Lovelace', 3);
    await context.setOffline(true);

    // A typo in the name still finds her; Grace is not among the results.
    await d.search.fill('Lovleace');
    await expect(d.result('Grace Hopper')).toHaveCount(0);
    await d.result('Ada Lovelace').tap();
    await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
    await expect(d.packages).toHaveCount(3);
    for (const box of await d.packages.getByRole('checkbox').all()) await expect(box).toBeChecked();
    await page.getByRole('button', { name: 'Hand over 3 packages' }).tap();

    // The facility asks for a signature at every hand-off (the default): Confirm waits for one.
    await expect(d.confirm).toBeDisabled();
    await expect(page.getByText('A signature is needed for every hand-off here: ask the recipient to sign')).toBeVisible();
    await d.sign();
    await expect(d.confirm).toBeEnabled();

    await page.getByRole('button', { name: 'Camera' }).tap();
    await page.getByRole('button', { name: 'Take photo' }).tap();
    await expect(page.getByRole('img', { name: 'The package as it will be saved' })).toBeVisible();

    // The main action is within the thumb's reach: on screen, in the lower part.
    const button = (await d.confirm.boundingBox())!;
    expect(button.y + button.height).toBeLessThanOrEqual(844);
    expect(button.y).toBeGreaterThan(844 / 2);
    expect(button.height).toBeGreaterThanOrEqual(44);
    await d.confirm.tap();
    await expect(page.getByRole('heading', { name: 'Handed over' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /delivered to/ })).toHaveText('3 packages delivered to Ada Lovelace');

    await context.setOffline(false);
    await new PackagesPage(page).expectAllSynced(45_000);

    const server = await serverState(page.request);
    const delivered = server.packages.filter((p) => adaIds.includes(p.id));
    expect(delivered.map((p) => p.status)).toEqual(['delivered', 'delivered', 'delivered']);
    const signature = delivered[0]!.signatureHash;
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    for (const p of delivered) expect(p).toMatchObject({ deliveredTo: 'Ada Lovelace', signatureHash: signature });
    expect(server.packages.find((p) => p.recipientName === 'Grace Hopper')!.status).toBe('received');

    const attached = server.attachments.filter((a) => adaIds.includes(a.packageId));
    expect(attached.filter((a) => a.kind === 'signature').map((a) => a.hash)).toEqual([signature, signature, signature]);
    const photos = [...new Set(attached.filter((a) => a.kind === 'delivery').map((a) => a.hash))];
    expect(photos).toHaveLength(1);
    expect(attached.filter((a) => a.kind === 'delivery')).toHaveLength(3);
    const stored = await fetchBlob(page.request, signature!);
    expect(stored).toMatchObject({ status: 200, contentType: 'image/png' });
    expect((await fetchBlob(page.request, photos[0]!)).contentType).toBe('image/jpeg');

    // The package's page shows both from the server (presigned, short-lived URLs), and the delivery
    // photo opens in the lightbox and zooms.
    const pk = new PackagesPage(page);
    await page.goto(`/packages/${adaIds[0]}`);
    await expect(page.getByTestId('attachment').filter({ hasText: 'Delivery photo' })).toContainText('stored');
    await pk.expectImageLoaded(pk.photo('Signature'));
    await pk.expectImageLoaded(pk.photo('Delivery photo'));
    await page.getByRole('button', { name: 'Open Delivery photo' }).tap();
    const box = page.locator('.pswp');
    await expect(box.locator('.pswp__img').first()).toBeVisible();
    await box.locator('.pswp__button--zoom').tap();
    await expect(box).toHaveClass(/pswp--zoomed-in/);
    await context.close();
  } finally {
    await done();
  }
});

test('the camera opens a recipient from a label’s barcode (that package selected) and reads a pickup code’s QR', async ({
  baseURL,
}, testInfo) => {
  phoneOnly(testInfo);
  test.setTimeout(90_000);
  const tracking = trackingNo('SCAN');
  // The card: the label's Code 128 (of the second of her two packages).
  const { browser, done } = await phoneWithCamera([{ bcid: 'code128', text: tracking, left: 240, top: 300, scale: 3 }]);
  try {
    const context = await browser.newContext({ baseURL, ...PHONE });
    watchErrors(context);
    await context.grantPermissions(['camera']);
    const page = await context.newPage();
    await new AppPage(page).signUp(newAccount('deliver-scan'));
    await controlledByServiceWorker(page);
    const [adaId] = await seedRecipients(page.request, [{ name: 'Ada Lovelace' }]);
    await seedPackages(page.request, [
      { recipientId: adaId!, recipientName: 'Ada Lovelace', trackingNumber: trackingNo('OTHER') },
      { recipientId: adaId!, recipientName: 'Ada Lovelace', trackingNumber: tracking },
    ]);
    const d = new DeliverScreen(page);
    await d.openFor('Ada Lovelace', 2);
    await context.setOffline(true);
    await d.search.fill('');

    await page.getByRole('button', { name: 'Scan with camera' }).tap();
    await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible({ timeout: 30_000 });
    await expect(d.packages.filter({ hasText: tracking.slice(-4) }).getByRole('checkbox')).toBeChecked();
    await expect(d.packages.getByRole('checkbox', { checked: true })).toHaveCount(1);
    await context.close();
  } finally {
    await done();
  }

  // A pickup code's QR (a 2-D code, not a label) is read and checked on the device, with no network.
  const qr = await phoneWithCamera([{ bcid: 'qrcode', text: 'PTP1:K7M2Q9XW', left: 500, top: 220, scale: 8 }]);
  try {
    const context = await qr.browser.newContext({ baseURL, ...PHONE });
    watchErrors(context);
    await context.grantPermissions(['camera']);
    const page = await context.newPage();
    await new AppPage(page).signUp(newAccount('deliver-qr'));
    await controlledByServiceWorker(page);
    await page.goto('/deliver');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Scan with camera' }).tap();
    await expect(page.getByRole('status').filter({ hasText: 'Read PTP1:K7M2Q9XW' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('status').filter({ hasText: /pickup code/i })).toBeVisible();
    await context.close();
  } finally {
    await qr.done();
  }
});

test('Confirm waits for a signature, a link opens one package, and Undo within the minute reopens what was handed over', async ({
  page,
}, testInfo) => {
  phoneOnly(testInfo);
  await new AppPage(page).signUp(newAccount('undo'));
  const [adaId] = await seedRecipients(page.request, [{ name: 'Ada Lovelace' }]);
  const trackings = [trackingNo('UNDO'), trackingNo('UNDO')];
  const ids = await seedPackages(
    page.request,
    trackings.map((trackingNumber) => ({ recipientId: adaId!, recipientName: 'Ada Lovelace', trackingNumber })),
  );
  const d = new DeliverScreen(page);
  await d.openFor('Ada', 2);

  // From a package's page: only that package is selected.
  await page.goto(`/deliver?package=${ids[1]}`);
  await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
  await expect(d.packages.filter({ hasText: trackings[1]!.slice(-4) }).getByRole('checkbox')).toBeChecked();
  await expect(d.packages.filter({ hasText: trackings[0]!.slice(-4) }).getByRole('checkbox')).not.toBeChecked();
  await d.packages
    .filter({ hasText: trackings[0]!.slice(-4) })
    .getByRole('checkbox')
    .tap();
  await page.getByRole('button', { name: 'Hand over 2 packages' }).tap();

  await expect(d.confirm).toBeDisabled();
  await d.sign();
  await page.getByRole('button', { name: 'Undo stroke' }).tap();
  await expect(d.confirm).toBeDisabled();
  await d.sign();
  await expect(d.confirm).toBeEnabled();

  // Someone else collects: their name and a reason (proxy pickup) before Confirm.
  await page.getByRole('radio', { name: 'Someone else' }).tap();
  await expect(page.getByText('Say who is collecting the packages')).toBeVisible();
  await page.getByLabel('Name of the person collecting').fill('Charles Babbage');
  await expect(page.getByText('Choose why someone else is collecting them (proxy pickup)')).toBeVisible();
  await expect(d.confirm).toBeDisabled();
  await page.getByLabel('Why they collect (proxy reason)').selectOption({ label: 'Colleague collecting' });
  await expect(d.confirm).toBeEnabled();
  await d.confirm.tap();
  await expect(page.getByRole('status').filter({ hasText: /delivered to/ })).toHaveText('2 packages delivered to Charles Babbage');

  await page.getByRole('button', { name: /^Undo \(\d+ s\)$/ }).tap();
  await expect(page.getByRole('heading', { name: 'Hand-over undone' })).toBeVisible();
  await page.getByRole('button', { name: 'Next recipient' }).tap();
  await d.search.fill('Ada');
  await expect(d.result('Ada Lovelace').getByTestId('count')).toHaveText('2 waiting');
  // Enter opens the best match, with all her packages selected again.
  await d.search.press('Enter');
  await expect(d.packages.getByRole('checkbox', { checked: true })).toHaveCount(2);

  await new PackagesPage(page).expectAllSynced();
  const server = await serverState(page.request);
  expect(server.packages.filter((p) => ids.includes(p.id)).map((p) => p.status)).toEqual(['received', 'received']);
  const events = (server.events as (ServerState['events'][number] & { data: Record<string, unknown> })[]).filter(
    (e) => e.packageId === ids[0],
  );
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['received', 'delivered', 'reopened']));
  expect(events.find((e) => e.type === 'delivered')!.data).toMatchObject({
    deliveredTo: 'Charles Babbage',
    proxyReason: 'Colleague collecting',
  });
  expect(events.find((e) => e.type === 'reopened')!.data).toMatchObject({ reason: 'Undone on the device', deliveredTo: 'Charles Babbage' });
});

test('a recipient’s pickup code, typed offline, opens all their waiting packages; another facility’s or a used code is refused', async ({
  page,
}, testInfo) => {
  phoneOnly(testInfo);
  await new AppPage(page).signUp(newAccount('pickup'));
  const [adaId, bobId] = await seedRecipients(page.request, [{ name: 'Ada Lovelace' }, { name: 'Bob Kahn' }]);
  const ada = [trackingNo('CODE'), trackingNo('CODE')];
  const ids = await seedPackages(page.request, [
    ...ada.map((trackingNumber) => ({ recipientId: adaId!, recipientName: 'Ada Lovelace', trackingNumber })),
    { recipientId: bobId!, recipientName: 'Bob Kahn', trackingNumber: trackingNo('BOB') },
  ]);
  const facility = await (await page.request.get('/api/facility')).json();
  const code = (i: number, key = facility.pickupKey as string) =>
    pickupCodeFor(key, { facilityId: facility.id, recipientId: i < 2 ? adaId : bobId, recipientName: '', packageId: ids[i]! });
  const d = new DeliverScreen(page);
  await d.openFor('Ada', 2);
  // The package's page shows the code (and its QR) the recipient gets; it is the one the domain makes.
  await page.goto(`/packages/${ids[1]}`);
  const shown = page.getByRole('figure').filter({ hasText: 'Pickup code' });
  await expect(shown.getByRole('img', { name: 'QR code of the pickup code' })).toBeVisible();
  await expect(shown.locator('.code')).toHaveText(code(1));
  await page.goto('/deliver');
  await page.context().setOffline(true);

  const enter = async (text: string) => {
    await page.getByLabel('Pickup code').fill(text);
    await page.getByRole('button', { name: 'Check code' }).click();
  };
  // Typed as people read it aloud: lower case, a space instead of the dash.
  await enter(code(1).toLowerCase().replace('-', ' '));
  await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
  await expect(page.getByText('Code checked')).toBeVisible();
  await expect(d.packages.getByRole('checkbox', { checked: true })).toHaveCount(2);

  // A desk's keyboard-wedge scanner reading the QR's payload does the same.
  await page.goto('/deliver');
  await expect(page.getByLabel('Pickup code')).toBeVisible();
  await wedgeScan(page, pickupQrPayload(code(0)));
  await expect(page.getByRole('heading', { name: 'Ada Lovelace' })).toBeVisible();
  await expect(page.getByText('Code checked')).toBeVisible();

  // A code made with another facility's key is refused, as is a guess.
  await page.goto('/deliver');
  await enter(code(0, newPickupKey()));
  await expect(page.getByRole('status').filter({ hasText: /No package here has this pickup code/ })).toBeVisible();

  // Bob's package is handed over (here, by the server), then his code is refused as used.
  await page.context().setOffline(false);
  await seedDelivery(page.request, ids[2]!, 'Bob Kahn');
  await expect(async () => {
    await page.goto('/deliver');
    await enter(code(2));
    await expect(page.getByRole('status').filter({ hasText: /already/i })).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 30_000 });
});

/** Hands a package over as another device would (package.deliver.v2 with a signature hash). */
async function seedDelivery(request: APIRequestContext, id: string, deliveredTo: string) {
  await pushFromAnotherDevice(request, [
    { name: 'package.deliver.v2', args: { id, deliveredTo, signatureHash: 'd'.repeat(64), at: new Date().toISOString() } },
  ]);
}
