// Facility settings (http-api.md "Facility settings"): an admin turns "Signature required for every
// hand-off" off and on again, the server and this device's stored hand-off setting follow, and an
// out-of-range photo retention is refused with a message that says what is allowed.
import { expect, desktopOnly, test } from './fixtures.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { SettingsPage } from './pages/settings.ts';
import type { Page } from '@playwright/test';

/** The hand-off setting this device stored for the facility (IndexedDB `ptp-<facilityId>`, meta). */
function deviceHandOffSettings(page: Page, facilityId: string) {
  return page.evaluate(
    (name) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('meta').objectStore('meta').get('handOffSettings');
          get.onsuccess = () => {
            resolve((get.result as { value?: unknown } | undefined)?.value ?? null);
            open.result.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
    `ptp-${facilityId}`,
  );
}

test('an admin turns the signature requirement off and on; a bad retention is refused clearly', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  const a = newAccount('settings');
  await app.signUp(a);
  const facility = await (await page.request.get('/api/facility')).json();

  const settings = new SettingsPage(page);
  await settings.open();
  await expect(settings.name).toHaveValue(a.facility);
  await expect(settings.code).toHaveValue(facility.code);
  await expect(settings.code).toHaveAttribute('readonly', '');
  await expect(settings.timezone).toHaveValue('UTC');
  await expect(settings.photoRetention).toHaveValue('90');
  await expect(settings.signatureRequired).toBeChecked();

  // Off: saved on the server, and this device follows at once.
  await settings.signatureRequired.uncheck();
  await settings.timezone.selectOption('Europe/Berlin');
  await settings.save();
  await settings.expectSaved();
  expect((await (await page.request.get('/api/facility')).json()).signatureRequired).toBe(false);
  await expect.poll(() => deviceHandOffSettings(page, facility.id)).toEqual({ signatureRequired: false });
  await page.reload();
  await expect(settings.name).toHaveValue(a.facility);
  await expect(settings.signatureRequired).not.toBeChecked();
  await expect(settings.timezone).toHaveValue('Europe/Berlin');

  // On again (with the keyboard: the switch is in the tab order).
  await settings.signatureRequired.focus();
  await page.keyboard.press('Space');
  await expect(settings.signatureRequired).toBeChecked();
  await settings.save();
  await settings.expectSaved();
  expect((await (await page.request.get('/api/facility')).json()).signatureRequired).toBe(true);
  await expect.poll(() => deviceHandOffSettings(page, facility.id)).toEqual({ signatureRequired: true });

  // The hold note in Package Held messages: off until an admin turns it on.
  const holdNote = page.getByRole('switch', { name: 'Show the hold note in Package Held messages' });
  await expect(holdNote).not.toBeChecked();
  await holdNote.check();
  await settings.save();
  await settings.expectSaved();
  expect((await (await page.request.get('/api/facility')).json()).holdNoteInNotifications).toBe(true);

  // A retention of 3 days is outside 7–365: the field says so, nothing is saved.
  await settings.photoRetention.fill('3');
  await settings.save();
  await expect(page.getByText('Photo retention (days) must be between 7 and 365')).toBeVisible();
  await expect(settings.photoRetention).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toContainText('Check the highlighted fields');
  expect((await (await page.request.get('/api/facility')).json()).photoRetentionDays).toBe(90);

  // Fixed, it saves.
  await settings.photoRetention.fill('30');
  await settings.save();
  await settings.expectSaved();
  await expect(settings.photoRetention).not.toHaveAttribute('aria-invalid', 'true');
  expect((await (await page.request.get('/api/facility')).json()).photoRetentionDays).toBe(30);
});
