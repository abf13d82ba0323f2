// The admin desk's team, settings and organization (http-api.md "Team", "Facility settings",
// "Organization"): roles change and members leave (their session ends), invitations are resent
// (the old link dies) and revoked, retention outside 7–365 is refused, a second facility is
// deactivated and reactivated, a new facility's checklist ticks itself, and axe finds no serious
// or critical problem on these pages.
import { desktopOnly, expect, expectNoSeriousA11yProblems, test, watchErrors } from './fixtures.ts';
import { AppPage, mainNav, newAccount } from './pages/app.ts';
import { DirectoryPage } from './pages/directory.ts';
import { SettingsPage } from './pages/settings.ts';
import { OrganizationPage, TeamPage } from './pages/team.ts';

test('an admin changes a member’s role and removes them; the removed member’s session ends', async ({ page, browser }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  const admin = newAccount('team-admin');
  await app.signUp(admin);
  const mate = newAccount('team-mate');
  const link = await app.invite(mate.email, 'operator');

  // The teammate joins in their own browser.
  const other = await browser.newContext();
  watchErrors(other);
  const matePage = await other.newPage();
  const accepted = await matePage.request.post(`/api/invitations/${link.split('/invite/')[1]}/accept`, {
    data: { name: mate.name, password: mate.password, ageConfirmed: true },
  });
  expect(accepted.status()).toBe(200);
  expect((await matePage.request.get('/api/facility')).status()).toBe(200);

  const team = new TeamPage(page);
  await page.reload();
  await expect(team.member(mate.email)).toContainText(mate.name);
  await expect(team.member(mate.email)).toContainText('Not yet');
  await expect(team.roleOf(mate.name)).toHaveValue('operator');
  // The only admin can neither step down nor be removed.
  await expect(team.roleOf(admin.name)).toBeDisabled();
  await expect(page.getByRole('button', { name: `Remove ${admin.name}` })).toBeDisabled();

  await team.roleOf(mate.name).selectOption('viewer');
  await expect(team.status).toContainText(`${mate.name} is now Viewer (read-only)`);
  expect((await (await matePage.request.get('/api/facility')).json()).role).toBe('viewer');
  await page.reload();
  await expect(team.roleOf(mate.name)).toHaveValue('viewer');

  // Remove, with a confirmation step (reachable by keyboard).
  await page.getByRole('button', { name: `Remove ${mate.name}` }).click();
  await page.getByRole('button', { name: 'Keep' }).click();
  await expect(team.member(mate.email)).toBeVisible();
  await page.getByRole('button', { name: `Remove ${mate.name}` }).click();
  const confirm = page.getByRole('group', { name: `Confirm removing ${mate.name}` }).getByRole('button', { name: `Remove ${mate.name}` });
  await confirm.focus();
  await page.keyboard.press('Enter');
  await expect(team.status).toContainText(`${mate.name} was removed`);
  await expect(team.member(mate.email)).toHaveCount(0);
  expect((await matePage.request.get('/api/facility')).status()).toBe(401);
  await other.close();
});

test('an admin resends an invitation (the old link dies) and revokes one; a duplicate invite offers Resend', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('invites'));
  const first = `first-${Date.now()}@example.test`;
  const second = `second-${Date.now()}@example.test`;
  const oldLink = await app.invite(first, 'courier');
  await app.invite(second, 'viewer');
  const team = new TeamPage(page);
  await expect(team.invitation(first)).toBeVisible();
  await expect(team.invitation(second)).toBeVisible();

  // The same address again: refused, with Resend offered.
  await page.getByLabel('Email').fill(first);
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('alert')).toContainText('already open');
  await page.getByRole('button', { name: 'Resend the invitation', exact: true }).click();
  await expect(page.getByText(`Invitation sent again to ${first}.`, { exact: true })).toBeVisible();
  const newLink = await page.getByLabel('Invitation link').inputValue();
  expect(newLink).not.toBe(oldLink);
  expect((await page.request.get(`/api/invitations/${oldLink.split('/invite/')[1]}`)).status()).toBe(404);
  expect((await page.request.get(`/api/invitations/${newLink.split('/invite/')[1]}`)).status()).toBe(200);

  // Resend from the list, then revoke the other.
  await team
    .invitation(first)
    .getByRole('button', { name: `Resend the invitation to ${first}` })
    .click();
  await expect(page.getByLabel('Invitation link')).not.toHaveValue(newLink);
  await expect(team.status.filter({ hasText: 'the earlier link no longer works' })).toBeVisible();
  expect((await page.request.get(`/api/invitations/${newLink.split('/invite/')[1]}`)).status()).toBe(404);

  await team
    .invitation(second)
    .getByRole('button', { name: `Revoke the invitation to ${second}` })
    .click();
  await expect(team.status.filter({ hasText: `Invitation to ${second} revoked` })).toBeVisible();
  await expect(team.invitation(second)).toHaveCount(0);
  await expect(team.invitation(first)).toBeVisible();
});

test('retention of 6 and 366 days is refused, 30 is saved; quiet hours and notification defaults save', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('retention'));
  const settings = new SettingsPage(page);
  await settings.open();

  for (const days of ['6', '366']) {
    await settings.photoRetention.fill(days);
    await settings.save();
    await expect(page.getByText('Photo retention (days) must be between 7 and 365')).toBeVisible();
    await expect(settings.photoRetention).toHaveAttribute('aria-invalid', 'true');
    expect((await (await page.request.get('/api/facility')).json()).photoRetentionDays).toBe(90);
  }
  // The server holds the bounds too, whatever a page sends.
  expect((await page.request.patch('/api/facility', { data: { photoRetentionDays: 366 } })).status()).toBe(400);
  expect((await page.request.patch('/api/facility', { data: { photoRetentionDays: 6 } })).status()).toBe(400);

  await settings.photoRetention.fill('30');
  await page.getByRole('switch', { name: 'Hold notifications during quiet hours' }).check();
  await page.getByLabel('From').fill('21:30');
  await page.getByLabel('Until').fill('06:45');
  await page.getByRole('checkbox', { name: 'SMS' }).check();
  await settings.save();
  await settings.expectSaved();
  const f = await (await page.request.get('/api/facility')).json();
  expect(f).toMatchObject({
    photoRetentionDays: 30,
    quietHours: { start: '21:30', end: '06:45' },
    notificationDefaults: { email: true, sms: true },
  });
  await page.reload();
  await expect(settings.photoRetention).toHaveValue('30');
  await expect(page.getByLabel('From')).toHaveValue('21:30');
  await expect(settings.code).toHaveAttribute('readonly', '');
  await expectNoSeriousA11yProblems(page);
});

test('the owner deactivates and reactivates a second facility, and renames the organization', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  const owner = newAccount('org');
  await app.signUp(owner);
  await app.addFacility('Seasonal Annex');
  await app.switchTo(owner.facility);

  const org = new OrganizationPage(page);
  await org.open();
  const annex = org.facility('Seasonal Annex');
  await expect(annex.getByTestId('facility-state')).toHaveText('Active');
  await expectNoSeriousA11yProblems(page);

  await annex.getByRole('button', { name: 'Deactivate Seasonal Annex' }).click();
  await page.getByRole('button', { name: /Deactivate Seasonal Annex: devices become read-only/ }).click();
  await expect(annex.getByTestId('facility-state')).toContainText('Deactivated');
  await expect(page.getByRole('status').filter({ hasText: 'is deactivated' })).toBeVisible();
  const annexId = (await (await page.request.get('/api/organization')).json()).facilities.find(
    (f: { name: string }) => f.name === 'Seasonal Annex',
  ).id;
  const row = async () =>
    (await (await page.request.get('/api/organization')).json()).facilities.find((f: { id: string }) => f.id === annexId);
  expect((await row()).active).toBe(false);

  await annex.getByRole('button', { name: 'Reactivate Seasonal Annex' }).click();
  await expect(annex.getByTestId('facility-state')).toHaveText('Active');
  expect((await row()).active).toBe(true);

  // Renaming the organization.
  await page.getByLabel('Organization name').fill(`${owner.organization} Renamed`);
  await page.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Organization renamed' })).toBeVisible();
  expect((await (await page.request.get('/api/facility')).json()).organizationName).toBe(`${owner.organization} Renamed`);
});

test('a new facility’s setup checklist ticks after adding a location, and can be dismissed', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('setup'));
  const checklist = page.getByTestId('setup-checklist');
  await expect(checklist).toBeVisible();
  await expect(checklist.locator('[data-step="locations"]')).toHaveAttribute('data-done', 'false');
  await expect(checklist.getByRole('link', { name: 'or import a spreadsheet of them' })).toHaveAttribute('href', '/directory/import');
  await expect(checklist).toContainText('0 of 4 done');

  const dir = new DirectoryPage(page);
  await dir.open('Locations');
  await page.getByRole('button', { name: 'New location' }).click();
  await dir.fillAndSave({ Name: 'Front shelf' });
  await (await mainNav(page, 'Home')).click();
  await expect(checklist.locator('[data-step="locations"]')).toHaveAttribute('data-done', 'true');
  await expect(checklist).toContainText('1 of 4 done');

  // Saving the settings ticks "check and save": the facility records it, so another desk (a
  // fresh browser context of the same admin) shows the same steps done.
  const settings = new SettingsPage(page);
  await settings.open();
  await (await mainNav(page, 'Home')).click();
  await expect(checklist.locator('[data-step="settings"]')).toHaveAttribute('data-done', 'false');
  await settings.open();
  await settings.save();
  await settings.expectSaved();
  await (await mainNav(page, 'Home')).click();
  await expect(checklist.locator('[data-step="settings"]')).toHaveAttribute('data-done', 'true');
  const otherDesk = await page
    .context()
    .browser()!
    .newContext({ storageState: await page.context().storageState() });
  const other = await otherDesk.newPage();
  await other.addInitScript(() => localStorage.clear());
  await other.goto('/');
  const elsewhere = other.getByTestId('setup-checklist');
  await expect(elsewhere).toContainText('2 of 4 done');
  await expect(elsewhere.locator('[data-step="locations"]')).toHaveAttribute('data-done', 'true');
  await expect(elsewhere.locator('[data-step="settings"]')).toHaveAttribute('data-done', 'true');
  await otherDesk.close();

  await checklist.getByRole('button', { name: 'Dismiss the checklist' }).click();
  await expect(checklist).toHaveCount(0);
  await page.reload();
  await expect(app.activeFacilityName).toBeVisible();
  await expect(checklist).toHaveCount(0);
});

test('axe finds no serious or critical problem on the team page', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('axe-team'));
  const email = `axe-${Date.now()}@example.test`;
  await app.invite(email, 'viewer');
  await expect(new TeamPage(page).invitation(email)).toBeVisible();
  await expectNoSeriousA11yProblems(page);
});
