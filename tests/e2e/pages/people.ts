// People of a test's facility: the admin who signs up, and teammates invited into their own browser
// contexts (another device of another person).
import type { Browser, Page } from '@playwright/test';
import { expect, watchErrors } from '../fixtures.ts';
import { AppPage, newAccount, type Account } from './app.ts';
import { PackagesPage } from './packages.ts';

/** Signs a new admin up on `page`, with a new facility. */
export async function signUpAdmin(page: Page, prefix: string): Promise<{ app: AppPage; pk: PackagesPage; account: Account }> {
  const app = new AppPage(page);
  const account = newAccount(prefix);
  await app.signUp(account);
  return { app, pk: new PackagesPage(page), account };
}

/** A second person of the admin's facility, signed in in their own browser context. */
export async function inviteTeammate(browser: Browser, admin: AppPage, role: string) {
  const mate = newAccount('mate');
  const link = await admin.invite(mate.email, role);
  const context = await browser.newContext();
  watchErrors(context);
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel('Name', { exact: true }).fill(mate.name);
  await page.getByLabel('Password').fill(mate.password);
  await page.getByLabel('I confirm I am 18 or older').check();
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(new AppPage(page).activeFacilityName).toBeVisible();
  return { context, page, pk: new PackagesPage(page), account: mate };
}
