// The privacy page (/privacy) opens without signing in and says how long data is kept: section 6 of
// the published policy, and that signatures stay with their package as proof of delivery while
// photos go after the facility's retention period (src/lib/domain/privacy.ts).
import { desktopOnly, expect, test } from './fixtures.ts';

test('anyone can read how long photos and signatures are kept', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  await page.goto('/privacy');
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy: how long we keep your data' })).toBeVisible();
  await expect(
    page.getByText(/Photos: Automatically deleted according to your facility's retention policy \(default: 90 days/),
  ).toBeVisible();
  await expect(page.getByText(/a signature is the proof of delivery and is kept with its package record/)).toBeVisible();
  // Not sent to sign in first.
  expect(new URL(page.url()).pathname).toBe('/privacy');
});
