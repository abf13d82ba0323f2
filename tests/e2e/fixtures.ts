// The fixture every spec uses: a test fails on any error the app logged or threw, in any page of
// its browser contexts (failed network loads aside: they are expected offline and for 401/404s).
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type BrowserContext, type Page } from '@playwright/test';
import sharp from 'sharp';

const appErrors: string[] = [];

/**
 * What Chromium logs when the test's own tooling (locators, axe) reaches into a frame the app
 * sandboxes without scripts (the outbox's message viewer): the sandbox working, not an app error.
 */
const SANDBOX_PROBE =
  /^Blocked script execution in '[^']*' because the document's frame is sandboxed and the 'allow-scripts' permission is not set\.$/;

/** Records errors of another browser context the test opens (the test's own is watched already). */
export function watchErrors(context: BrowserContext) {
  context.on('weberror', (e) =>
    appErrors.push(`uncaught: ${e.error().name}: ${e.error().message} ${e.error().stack} @ ${e.page()?.url()}`),
  );
  context.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource') && !SANDBOX_PROBE.test(m.text())) {
      appErrors.push(`console: ${m.text()}`);
    }
  });
}

export const test = base.extend<{ errorsChecked: void }>({
  errorsChecked: [
    async ({ context }, use) => {
      appErrors.length = 0;
      watchErrors(context);
      await use();
      expect(appErrors, 'errors in the app').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** axe finds no serious or critical accessibility problem on the page as it is now. */
export async function expectNoSeriousA11yProblems(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export const desktopOnly = (name: string) => test.skip(name !== 'desktop', 'one viewport is enough for this flow');

let serial = 0;
/** A tracking number unique across the run (the carrier is detected as "other"). */
export const trackingNo = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase()}${(serial++).toString().padStart(3, '0')}`;

/** A small JPEG whose bytes (and so its SHA-256) differ for every `n`. */
export function jpeg(n: number): Promise<Buffer> {
  return sharp({
    create: {
      width: 48 + (n % 7),
      height: 32 + (n % 5),
      channels: 3,
      background: { r: (n * 37) % 256, g: (n * 91) % 256, b: (n * 53) % 256 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
}
