// Directory (admins, desktop): a messy real-world CSV (Excel BOM, semicolons, odd headers, one bad
// row) is previewed on the device with the bad row's line before anything is written, imported on
// confirm, and its people appear in the directory; a location is edited and deleted, and a person
// who uses it shows it as removed.
import { randomUUID } from 'node:crypto';
import { desktopOnly, expect, expectNoSeriousA11yProblems, test } from './fixtures.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { DirectoryPage } from './pages/directory.ts';

const MESSY =
  '\uFEFFKind;Full Name;E-Mail Address;Emp. ID;Dept.;Mail Stop;Bldg;Floor\r\n' +
  'Department;Research;;;;;;\r\n' +
  'Location;Shelf 7;;;;;North;2\r\n' +
  'Recipient;"Lovelace; Ada";ada@example.test;E-1;research;SHELF 7;;\r\n' +
  'Recipient;Grace Hopper;grace@example.test;E-2;Research;;;\r\n' +
  'Recipient;Charles Babbage;not-an-email;E-3;;;;\r\n';

test('an admin imports a messy CSV after a preview, then manages locations', async ({ page }, info) => {
  desktopOnly(info.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('dir'));
  const dir = new DirectoryPage(page);
  await dir.open('Recipients');
  await dir.openImport();

  await dir.chooseFile('people export.csv', MESSY);
  await expect(dir.previewSummary).toContainText('5 rows: 4 new, 0 updated, 0 unchanged, 1 error');
  await expect(dir.previewRow(6)).toContainText('“not-an-email” is not an email address');
  await expect(dir.previewRow(4)).toContainText('Lovelace; Ada');
  // All or nothing is the default: with a bad row nothing can be imported until it is unticked.
  const confirm = page.getByRole('button', { name: 'Import 4 valid rows' });
  await expect(confirm).toBeDisabled();

  // Nothing was written by the preview.
  await page.goto('/directory');
  await expect(dir.table('Recipients')).toContainText('No recipients yet');
  await dir.openImport();
  await dir.chooseFile('people export.csv', MESSY);
  await page.getByLabel('All or nothing: import only when every row is valid').uncheck();
  await confirm.click();
  await expect(dir.result.getByRole('status')).toHaveText('4 created, 0 updated, 1 not imported, of 5 rows.');
  await expect(dir.result.getByRole('listitem')).toHaveText(['Line 6: “not-an-email” is not an email address']);

  await page.getByRole('link', { name: 'Open the directory' }).click();
  await expect(dir.row('Recipients', 'Lovelace; Ada')).toContainText('Research');
  await expect(dir.row('Recipients', 'Lovelace; Ada')).toContainText('Shelf 7');
  await expect(dir.row('Recipients', 'Grace Hopper')).toContainText('grace@example.test');
  await expect(dir.table('Recipients').getByRole('row')).toHaveCount(3); // header + 2 people
  await dir.search('hopper');
  await expect(dir.table('Recipients').getByRole('row')).toHaveCount(2);

  // A duplicate made by hand is merged into the imported person: one row stays.
  await dir.search('');
  await page.getByRole('button', { name: 'New recipient' }).click();
  await dir.fillAndSave({ Name: 'Ada L.', Email: 'ada.l@example.test', Phone: '555 0199' });
  await expect(dir.table('Recipients').getByRole('row')).toHaveCount(4);
  await page.getByRole('checkbox', { name: 'Select Ada L.' }).check();
  await page.getByRole('checkbox', { name: 'Select Lovelace; Ada' }).check();
  const merge = page.getByRole('form', { name: 'Merge recipients' });
  await merge.getByRole('radio', { name: /^Keep Lovelace; Ada/ }).check();
  await merge.getByRole('button', { name: 'Merge' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText('Merged Ada L. into Lovelace; Ada');
  await expect(dir.table('Recipients').getByRole('row')).toHaveCount(3);
  await dir.search('hopper');

  // Locations: edit, add, delete one in use; its user shows it as removed.
  await dir.open('Locations');
  await dir.edit('Shelf 7', { Name: 'Shelf 7B', Floor: '3', 'Delivery instructions': 'Use the side door' });
  await expect(dir.row('Locations', 'Shelf 7B')).toContainText('Use the side door');
  await page.getByRole('button', { name: 'New location' }).click();
  await dir.fillAndSave({ Name: 'Front desk', Building: 'South' });
  await expect(dir.row('Locations', 'Front desk')).toContainText('South');
  await dir.delete('Shelf 7B');
  await expect(dir.row('Locations', 'Shelf 7B')).toHaveCount(0);
  await dir.open('Recipients');
  await dir.search('');
  // Devices drop deleted rows on their next pull, so the name may be gone: the reference stays.
  await expect(dir.row('Recipients', 'Lovelace; Ada')).toContainText('(removed)');
  await expect(dir.row('Recipients', 'Lovelace; Ada')).toContainText('Research');

  // The changes reach the server (synced, not only on this device).
  await expect
    .poll(async () => (await page.request.get('/api/directory/export.csv')).text(), { timeout: 20_000 })
    .toMatch(/location,Front desk,.*South/);
  const exported = await (await page.request.get('/api/directory/export.csv')).text();
  expect(exported).not.toContain('Ada L.');
  expect(exported).toMatch(/recipient,Lovelace; Ada,ada@example\.test,555 0199,/); // the kept one took the phone
});

test('an admin sees and changes how a recipient is notified; a new one starts with the facility’s defaults', async ({ page }, info) => {
  desktopOnly(info.project.name);
  const app = new AppPage(page);
  await app.signUp(newAccount('chan'));
  expect((await page.request.patch('/api/facility', { data: { notificationDefaults: { email: true, sms: true } } })).status()).toBe(200);
  await page.reload();
  const dir = new DirectoryPage(page);
  await dir.open('Recipients');
  await page.getByRole('button', { name: 'New recipient' }).click();
  const editor = page.getByRole('form', { name: 'New recipient' });
  const channels = editor.getByRole('group', { name: 'Notifications' });
  await expect(channels.getByRole('switch', { name: 'Email notifications' })).toBeChecked();
  await expect(channels.getByRole('switch', { name: 'SMS notifications' })).toBeChecked();
  await expectNoSeriousA11yProblems(page);
  await channels.getByRole('switch', { name: 'Email notifications' }).uncheck();
  await dir.fillAndSave({ Name: 'Ada Lovelace', Phone: '555 0100' });

  await page.getByRole('button', { name: 'Edit Ada Lovelace', exact: true }).click();
  const edit = page.getByRole('form', { name: 'Edit recipient' }).getByRole('group', { name: 'Notifications' });
  await expect(edit.getByRole('switch', { name: 'Email notifications' })).not.toBeChecked();
  await expect(edit.getByRole('switch', { name: 'SMS notifications' })).toBeChecked();
  await edit.getByRole('switch', { name: 'SMS notifications' }).uncheck();
  await page.getByRole('form', { name: 'Edit recipient' }).getByRole('button', { name: 'Save' }).click();

  // What the desk chose is what the server keeps (synced through recipient.upsert): another
  // device of the same admin pulls it.
  const pulled = async () => {
    const facilityId = (await (await page.request.get('/api/me')).json()).activeFacilityId as string;
    const res = await page.request.post('/api/sync/pull', {
      data: { protocolVersion: 1, schemaVersion: 1, facilityId, clientId: randomUUID(), cookie: null },
    });
    const ops = (await res.json()).patch as { table: string; row?: { name: string; notifyEmail: boolean; notifySms: boolean } }[];
    const row = ops.find((o) => o.table === 'recipients' && o.row?.name === 'Ada Lovelace')?.row;
    return row ? { email: row.notifyEmail, sms: row.notifySms } : null;
  };
  await expect.poll(pulled, { timeout: 20_000 }).toEqual({ email: false, sms: false });
});
