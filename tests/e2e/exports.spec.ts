// The desk's export and activity log: an admin downloads the package history from /exports and
// finds a package made in the test in it (UTF-8 BOM, its row, formulas neutralised), and filters
// /activity by action (an invitation is there too) and by person; axe finds no serious or critical
// violation on either page.
import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { desktopOnly, expect, expectNoSeriousA11yProblems, test, trackingNo } from './fixtures.ts';
import { ActivityPage, ExportPage } from './pages/admin-desk.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { pushFromAnotherDevice } from './pages/intake.ts';

/** Logs a package on the server as one of the person's devices would. */
async function receive(request: APIRequestContext, args: Record<string, unknown>) {
  await pushFromAnotherDevice(request, [
    { name: 'package.receive.v2', args: { id: randomUUID(), carrier: 'other', receivedAt: new Date().toISOString(), ...args } },
  ]);
}

test('an admin downloads the package history and filters the activity by person', async ({ page, baseURL }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  const a = newAccount('export');
  await app.signUp(a);
  const facility = await (await page.request.get('/api/facility')).json();
  const today = new Date().toISOString().slice(0, 10);

  // A teammate (an operator on their own device) logs a package too.
  const email = `export-op-${randomUUID().slice(0, 8)}@example.test`;
  const inv = await page.request.post('/api/invitations', { data: { email, role: 'operator', facilityId: facility.id } });
  expect(inv.status()).toBe(201);
  const mate: APIRequestContext = await playwrightRequest.newContext({ baseURL });
  const accepted = await mate.post(`/api/invitations/${(await inv.json()).token}/accept`, {
    data: { name: 'Olive Operator', password: 'a long password', ageConfirmed: true },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  const mine = trackingNo('EXPA');
  const theirs = trackingNo('EXPB');
  await receive(page.request, { trackingNumber: mine, recipientName: 'Lovelace, Ada', sender: '=cmd|"/c calc"!A1' });
  await receive(mate, { trackingNumber: theirs, recipientName: 'Grace Hopper' });
  await mate.dispose();

  // The export, with its progress, saved under the facility's name and range.
  const exports = new ExportPage(page);
  await exports.open();
  await expectNoSeriousA11yProblems(page);
  const file = await exports.download(today, today);
  expect(file.name).toBe(`packages-${facility.code}-${today}-${today}.csv`);
  await expect(exports.progress).toContainText('2 packages');
  expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = file.bytes.toString('utf8').slice(1);
  const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
  expect(rows.map((r) => r.trackingNumber).sort()).toEqual([mine, theirs].sort());
  const row = rows.find((r) => r.trackingNumber === mine)!;
  expect(row).toMatchObject({ recipientName: 'Lovelace, Ada', sender: `'=cmd|"/c calc"!A1`, status: 'received', receivedBy: a.name });
  expect(rows.find((r) => r.trackingNumber === theirs)!.receivedBy).toBe('Olive Operator');

  // A range the wrong way round is not offered.
  await exports.from.fill('2026-12-31');
  await exports.to.fill('2026-01-01');
  await expect(page.getByText('`from` must not be after `to`')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeDisabled();

  // The activity log, filtered to the teammate.
  const activity = new ActivityPage(page);
  await activity.open();
  // Two packages logged, and the invitation: the team's changes are in the same log.
  await expect(activity.rows).toHaveCount(3);
  await expectNoSeriousA11yProblems(page);
  await activity.action.selectOption({ label: 'Member invited' });
  await activity.show();
  await expect(activity.rows).toHaveCount(1);
  await expect(activity.rows.first()).toContainText(`Invitation ${email}`);
  await expect(activity.rows.first()).toContainText(a.name);
  await expect(activity.rows.first()).toContainText('the desk (web)');
  await activity.action.selectOption({ label: 'Any action' });
  await activity.person.selectOption({ label: 'Olive Operator' });
  await activity.show();
  await expect(activity.rows).toHaveCount(1);
  await expect(activity.rows.first()).toContainText('Olive Operator');
  await expect(activity.rows.first()).toContainText('Received');
  await activity.rows.first().getByRole('link', { name: theirs }).click();
  await expect(page).toHaveURL(/\/packages\/[0-9a-f-]{36}$/);
});
