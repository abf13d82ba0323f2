// The desk's packages table (issue "Admin desk"): an admin on a wide screen filters, searches and
// sorts the facility's packages from the server, moves through rows with the keyboard, opens one
// in the side panel, selects two and exports them as CSV; axe finds no serious or critical problem.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { desktopOnly, expect, expectNoSeriousA11yProblems, test, trackingNo, watchErrors } from './fixtures.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { DeskTable, seedPackages } from './pages/desk.ts';
import { pushFromAnotherDevice } from './pages/intake.ts';
import { PackagesPage } from './pages/packages.ts';

test('an admin filters, searches, sorts, opens a package in the side panel and exports two rows', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('desk'));
  const base = trackingNo('DESK');
  const pkgs = [
    { trackingNumber: `${base}1111`, recipientName: 'Ada Lovelace', carrier: 'ups', hoursAgo: 1 },
    { trackingNumber: `${base}2222`, recipientName: 'Grace Hopper', carrier: 'fedex', sender: '=HYPERLINK("http://x")', hoursAgo: 2 },
    { trackingNumber: `${base}3333`, recipientName: 'Alan Turing', carrier: 'usps', notes: 'Fragile glass vase', hoursAgo: 3 },
    { trackingNumber: `${base}4444`, recipientName: 'Barbara Liskov', carrier: 'fedex', hoursAgo: 4 },
    { trackingNumber: `${base}5555`, recipientName: 'Edsger Dijkstra', carrier: 'dhl', hoursAgo: 5 },
  ];
  await seedPackages(page.request, pkgs);
  await page.reload();

  const desk = new DeskTable(page);
  await desk.open();
  await expect(desk.rows).toHaveCount(5);
  await expect(desk.count('received')).toHaveText('5');
  await expect(desk.count('all')).toHaveText('5');
  await expect(desk.count('held')).toHaveText('0');
  // Newest first by default.
  expect(await desk.trackings()).toEqual(pkgs.map((p) => p.trackingNumber));
  await expect(desk.header('Received')).toHaveAttribute('aria-sort', 'descending');

  // axe: no serious or critical violation on the table.
  await expectNoSeriousA11yProblems(page);

  // The search box: a tracking number's last digits, then part of a name; it is kept in the address.
  await desk.search('3333');
  await expect(desk.rows).toHaveCount(1);
  await expect(desk.row(`${base}3333`)).toContainText('Alan Turing');
  await expect(page).toHaveURL(/q=3333/);
  await desk.search('lovel');
  await expect(desk.rows).toHaveCount(1);
  await expect(desk.row(`${base}1111`)).toBeVisible();
  await desk.search('vase');
  await expect(desk.rows).toHaveCount(1);
  await expect(desk.row(`${base}3333`)).toBeVisible();
  await desk.search('');
  await expect(desk.rows).toHaveCount(5);

  // A filter: FedEx only; the counts follow; a reload keeps it.
  await page.getByLabel('Carrier').selectOption('fedex');
  await expect(desk.rows).toHaveCount(2);
  await expect(desk.count('all')).toHaveText('2');
  await expect(page).toHaveURL(/carrier=fedex/);
  await page.reload();
  await expect(desk.rows).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(desk.rows).toHaveCount(5);

  // Sort by recipient, both ways.
  await desk.sortBy('Recipient').click();
  await expect(desk.header('Recipient')).toHaveAttribute('aria-sort', 'ascending');
  await expect(desk.rows.first()).toContainText('Ada Lovelace');
  await expect(desk.rows.last()).toContainText('Grace Hopper');
  await desk.sortBy('Recipient').click();
  await expect(desk.header('Recipient')).toHaveAttribute('aria-sort', 'descending');
  await expect(desk.rows.first()).toContainText('Grace Hopper');

  // The keyboard: arrows move between rows, Enter opens the package in the side panel.
  const links = desk.table.getByRole('link');
  await links.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(links.nth(1)).toBeFocused();
  const second = (await links.nth(1).textContent())!;
  await page.keyboard.press('Enter');
  await expect(desk.panel).toBeVisible();
  await expect(desk.panel.getByRole('heading', { name: second, level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(/\/packages(\?|$)/);
  await desk.panel.getByRole('button', { name: 'Close' }).click();
  await expect(desk.panel).toHaveCount(0);

  // Select two and export them; Remind waits for notifications.
  await expect(page.getByRole('button', { name: 'Remind' })).toBeDisabled();
  await desk.row(`${base}2222`).getByRole('checkbox').check();
  await desk.row(`${base}4444`).getByRole('checkbox').check();
  await expect(page.getByText('2 selected')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export selected' }).click()]);
  const text = await readFile((await download.path())!, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.slice(1).trimEnd().split('\r\n');
  expect(lines[0].split(',')).toContain('trackingNumber');
  expect(lines).toHaveLength(3);
  expect(lines.slice(1).join('\n')).toContain(`,${base}2222,`);
  expect(lines.slice(1).join('\n')).toContain(`,${base}4444,`);
  // The sender that looks like a formula is text in a spreadsheet.
  expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);

  // Select all on the page.
  await desk.table.getByRole('checkbox', { name: 'Select all on this page' }).check();
  await expect(page.getByText('5 selected')).toBeVisible();

  // The device list is one link away, and this browser keeps the choice until the table is picked again.
  await page.getByRole('link', { name: 'Device list' }).click();
  await expect(page.getByTestId('package-row')).toHaveCount(5);
  await page.goto('/packages');
  await expect(page.getByTestId('package-row')).toHaveCount(5);
  await page.getByRole('link', { name: 'Packages table' }).click();
  await expect(desk.table).toBeVisible();
  await expect(desk.rows).toHaveCount(5);
});

test('an admin returns two selected packages through the device; a viewer sees and exports but gets no Return', async ({
  page,
  browser,
}, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('desk-return'));
  const base = trackingNo('RET');
  await seedPackages(page.request, [
    { trackingNumber: `${base}1`, recipientName: 'Ada Lovelace' },
    { trackingNumber: `${base}2`, recipientName: 'Grace Hopper' },
    { trackingNumber: `${base}3`, recipientName: 'Alan Turing' },
  ]);
  await page.reload();
  const desk = new DeskTable(page);
  await desk.open();
  await expect(desk.rows).toHaveCount(3);
  // The selected packages must be on this device for its sync engine to return them.
  await new PackagesPage(page).expectAllSynced();
  await desk.row(`${base}1`).getByRole('checkbox').check();
  await desk.row(`${base}3`).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Return…' }).click();
  const form = page.getByRole('form', { name: 'Return selected packages' });
  await form.getByLabel('Reason').selectOption('refused');
  await form.getByRole('button', { name: 'Return 2 packages' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 packages to be returned' })).toBeVisible();
  await expect(async () => {
    await desk.tab('Returned').click();
    await expect(desk.count('returned')).toHaveText('2', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(desk.rows).toHaveCount(2);
  await expect(desk.count('received')).toHaveText('1');

  // A viewer: the table and Export selected, no Return.
  const viewer = newAccount('desk-viewer');
  const link = await app.invite(viewer.email, 'viewer');
  const context = await browser.newContext();
  watchErrors(context);
  const vp = await context.newPage();
  try {
    await vp.goto(link);
    await vp.getByLabel('Name', { exact: true }).fill(viewer.name);
    await vp.getByLabel('Password').fill(viewer.password);
    await vp.getByLabel('I confirm I am 18 or older').check();
    await vp.getByRole('button', { name: 'Accept invitation' }).click();
    await expect(new AppPage(vp).activeFacilityName).toBeVisible();
    const vdesk = new DeskTable(vp);
    await vdesk.open();
    await vdesk.tab('All').click();
    await expect(vdesk.rows).toHaveCount(3);
    await vdesk.row(`${base}2`).getByRole('checkbox').check();
    await expect(vp.getByRole('button', { name: 'Export selected' })).toBeEnabled();
    await expect(vp.getByRole('button', { name: 'Return…' })).toHaveCount(0);
    await expect(vp.getByRole('button', { name: 'Remind' })).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('an admin reminds the recipients of selected packages and reads the outcome', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('desk-remind'));
  const ada = randomUUID();
  const nomail = randomUUID();
  await pushFromAnotherDevice(page.request, [
    { name: 'recipient.upsert', args: { id: ada, name: 'Ada Lovelace', email: `ada-${ada.slice(0, 8)}@example.test` } },
    { name: 'recipient.upsert', args: { id: nomail, name: 'Nomail Person' } },
  ]);
  const base = trackingNo('REM');
  await seedPackages(page.request, [
    { trackingNumber: `${base}1`, recipientName: 'Ada Lovelace', recipientId: ada },
    { trackingNumber: `${base}2`, recipientName: 'Ada Lovelace', recipientId: ada },
    { trackingNumber: `${base}3`, recipientName: 'Nomail Person', recipientId: nomail },
  ]);
  await page.reload();
  const desk = new DeskTable(page);
  await desk.open();
  await expect(desk.rows).toHaveCount(3);
  const remind = page.getByRole('button', { name: 'Remind' });
  await expect(remind).toBeDisabled();
  for (const n of [1, 2, 3]) await desk.row(`${base}${n}`).getByRole('checkbox').check();
  await expect(page.getByText('3 selected')).toBeVisible();
  // By keyboard: focus the button and press Enter.
  await remind.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Reminder sent to 1 recipient.' })).toContainText(
    '1 package has a recipient without an email address.',
  );
  await expectNoSeriousA11yProblems(page);
});
