// Issue "production hardening", defect 7 (sessions) in a real browser: change the password (the
// other device is signed out), sign out everywhere, and the reset pages. The reset link itself is
// proven by the server tests (tests/server/sessions.test.ts): the e2e server's mail stays in its log.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { AppPage, newAccount } from './pages/app.ts';

test('change password, sign out everywhere, ask for a reset link, and a dead reset link', async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one viewport is enough for this flow');
  const app = new AppPage(page);
  const a = newAccount('account');
  await app.signUp(a);

  // The same account on a second device.
  const ctx = await browser.newContext();
  try {
    const tablet = await ctx.newPage();
    const tabletApp = new AppPage(tablet);
    await tabletApp.signIn(a.email, a.password);
    await expect(tabletApp.activeFacilityName).toHaveText(a.facility);

    await page.getByRole('link', { name: 'Account' }).click();
    const newPassword = `${a.password}-changed`;
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat new password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('alert')).toContainText(/not right/i);
    await page.getByLabel('Current password').fill(a.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();

    // The other device lost its session; this one kept it.
    await tablet.reload();
    await expect(tablet).toHaveURL(/\/login/);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Account', exact: true })).toBeVisible();

    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/account');
    await expect(page).toHaveURL(/\/login/);

    await app.signIn(a.email, newPassword);
    await expect(app.activeFacilityName).toHaveText(a.facility);
  } finally {
    await ctx.close();
  }

  await app.signOut();
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.getByLabel('Email').fill(a.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText(`If an account exists for ${a.email}`);

  await page.goto(`/reset-password/${randomBytes(32).toString('base64url')}`);
  await page.getByLabel('New password', { exact: true }).fill('a new password here');
  await page.getByLabel('Repeat new password').fill('a new password here');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByRole('heading', { name: 'Link not valid' })).toBeVisible();
});
