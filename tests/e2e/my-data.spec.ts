// Data rights at the desk (privacy policy §8): correct my name, download my data (JSON with my
// email, and the CSV zip), an owner is asked to hand over first, and a teammate deletes their
// account (signing in fails afterwards). axe finds no serious or critical problem on /account.
import { readFile } from 'node:fs/promises';
import { desktopOnly, expect, expectNoSeriousA11yProblems, test, watchErrors } from './fixtures.ts';
import { AppPage, mainNav, newAccount } from './pages/app.ts';

test('correct my name, download my data, and delete a teammate’s account', async ({ page, browser }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  const a = newAccount('rights');
  await app.signUp(a);

  await (await mainNav(page, 'Account')).click();
  await expect(page.getByRole('heading', { name: 'Account', level: 1 })).toBeVisible();
  await expectNoSeriousA11yProblems(page);

  // Correct my name: the header follows.
  await page.getByLabel('Name', { exact: true }).fill('Pat Corrected');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Profile saved' })).toBeVisible();
  await expect(page.locator('header')).toContainText('Pat Corrected');

  // A new email asks for the password first.
  await page.getByLabel('Email', { exact: true }).fill(`moved-${a.email}`);
  await expect(page.getByLabel('Password to confirm the new email')).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(a.email);
  await expect(page.getByLabel('Password to confirm the new email')).toBeHidden();

  await page.getByRole('switch', { name: 'Email me only what is needed' }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Only essential email' })).toBeVisible();

  // Download my data: the JSON holds my email and corrected name; the CSV is a zip.
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data (JSON)' }).click()]);
  expect(json.suggestedFilename()).toMatch(/^packagetrack-my-data-\d{4}-\d\d-\d\d\.json$/);
  const data = JSON.parse(await readFile(await json.path(), 'utf8'));
  expect(data.profile).toMatchObject({ email: a.email, name: 'Pat Corrected', emailOptOut: true });
  expect(data.memberships[0].facilityName).toBe(a.facility);
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download my data (CSV, zip)' }).click()]);
  expect(zip.suggestedFilename()).toMatch(/\.zip$/);
  expect((await readFile(await zip.path())).subarray(0, 2).toString()).toBe('PK');

  // The owner is asked to hand the organization over before deleting.
  await expect(page.getByRole('heading', { name: 'Hand over your organization' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete my account' })).toBeDisabled();

  // A teammate deletes their own account.
  const mate = newAccount('leaver');
  const link = await app.invite(mate.email, 'operator');
  const context = await browser.newContext();
  watchErrors(context);
  try {
    const mp = await context.newPage();
    await mp.goto(link);
    await mp.getByLabel('Name', { exact: true }).fill(mate.name);
    await mp.getByLabel('Password').fill(mate.password);
    await mp.getByLabel('I confirm I am 18 or older').check();
    await mp.getByRole('button', { name: 'Accept invitation' }).click();
    const mateApp = new AppPage(mp);
    await expect(mateApp.activeFacilityName).toBeVisible();
    await mp.goto('/account');
    await mp.getByLabel('Password', { exact: true }).fill('not my password');
    await mp.getByLabel('I understand this cannot be undone').check();
    await mp.getByRole('button', { name: 'Delete my account' }).click();
    await expect(mp.getByRole('alert')).toContainText(/not right/i);
    await mp.getByLabel('Password', { exact: true }).fill(mate.password);
    await mp.getByRole('button', { name: 'Delete my account' }).click();
    await expect(mp).toHaveURL(/\/login/);

    await mateApp.signIn(mate.email, mate.password);
    await expect(mp.getByRole('alert')).toBeVisible();
    await expect(mp).toHaveURL(/\/login/);
  } finally {
    await context.close();
  }

  // The team no longer lists them.
  await page.reload();
  await expect(page.getByRole('cell', { name: 'Pat Corrected (you)', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: mate.name })).toHaveCount(0);
  await expect(page.getByText(mate.email)).toHaveCount(0);
});
