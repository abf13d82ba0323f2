// The desk's Find packages (issue 12), on a desktop against the app pointed at a local stand-in of
// the Anthropic Messages API: a plain-language question becomes the filter Claude answered, shown as
// chips that can be removed and edited as syntax; pure syntax is read on the device without a call;
// Claude overloaded, or the device offline, falls back to the local syntax and says so.
import { overloaded, startFakeAnthropic, type FakeAnthropic } from '../server/fake-anthropic.ts';
import { desktopOnly, expect, expectNoSeriousA11yProblems, test, trackingNo, watchErrors } from './fixtures.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { DeskTable, seedPackages } from './pages/desk.ts';
import { seedRecipients } from './pages/intake.ts';
import { startPostgresServer, type PostgresServer } from './postgres-server.ts';

const PORT = Number(process.env.E2E_PORT ?? 4173) + 7;
let fake: FakeAnthropic;
let server: PostgresServer;

// eslint-disable-next-line no-empty-pattern -- Playwright passes fixtures first; this hook needs none
test.beforeAll(async ({}, testInfo) => {
  if (testInfo.project.name !== 'desktop') return;
  fake = await startFakeAnthropic();
  server = await startPostgresServer(PORT, { ANTHROPIC_API_KEY: 'sk-ant-e2e-test', ANTHROPIC_BASE_URL: fake.url, AI_MAX_RETRIES: '0' });
});
test.afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

test('a question becomes chips through Claude; chips are removed and edited; syntax and offline stay on the device', async ({
  browser,
}, testInfo) => {
  desktopOnly(testInfo.project.name);
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 1280, height: 800 } });
  watchErrors(context);
  const page = await context.newPage();
  await new AppPage(page).signUp(newAccount('ai-search'));
  const [dana, grace] = await seedRecipients(page.request, [{ name: 'Dana Lee' }, { name: 'Grace Hopper' }]);
  const base = trackingNo('ASK');
  await seedPackages(page.request, [
    { trackingNumber: `${base}1`, recipientName: 'Dana Lee', recipientId: dana, carrier: 'fedex' },
    { trackingNumber: `${base}2`, recipientName: 'Dana Lee', recipientId: dana, carrier: 'ups' },
    { trackingNumber: `${base}3`, recipientName: 'Grace Hopper', recipientId: grace, carrier: 'fedex' },
  ]);
  const desk = new DeskTable(page);
  await desk.open();
  // The directory reached this device (the desk resolves names the server could not pin down).
  await expect(async () => {
    await page.reload();
    await expect(page.getByLabel('Recipient').locator('option', { hasText: 'Dana Lee' })).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(desk.rows).toHaveCount(3);

  const ask = async (q: string) => {
    await page.getByRole('searchbox', { name: /^Find packages/ }).fill(q);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
  };
  const path = page.getByTestId('search-path');
  const chip = (field: string) => page.getByTestId(`chip-${field}`);

  // A question: Claude's filter, its names made ids by the server, listed by the normal table.
  fake.reply(() => ({ tool: { carrier: 'FedEx', recipientName: 'Dana' } }));
  await ask('FedEx packages for Dana');
  await expect(path).toHaveText('Read by Claude');
  await expect(chip('carrier')).toContainText('Carrier: FedEx');
  await expect(chip('recipientName')).toContainText('For: Dana Lee');
  await expect(desk.rows).toHaveCount(1);
  await expect(desk.row(`${base}1`)).toBeVisible();
  const searches = fake.requests.filter((r) => r.body?.tool_choice?.name === 'search_packages');
  expect(searches).toHaveLength(1);
  expect(JSON.stringify(searches[0]!.body.messages)).toContain('FedEx packages for Dana');
  await expectNoSeriousA11yProblems(page);

  // Chips: removing one widens the list; editing one is read as syntax on the device.
  await page.getByRole('button', { name: 'Remove Carrier FedEx' }).click();
  await expect(chip('carrier')).toHaveCount(0);
  await expect(desk.rows).toHaveCount(2);
  await chip('recipientName').getByRole('button', { name: /^For:/ }).click();
  await expect(page.getByLabel('Edit For')).toHaveValue('for:"Dana Lee"');
  await page.getByLabel('Edit For').fill('for:grace');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(chip('recipientName')).toContainText('For: Grace Hopper');
  await expect(desk.rows).toHaveCount(1);
  await expect(desk.row(`${base}3`)).toBeVisible();

  // Pure syntax never asks Claude.
  const calls = fake.requests.length;
  await ask('carrier:ups status:all');
  await expect(path).toHaveText('Local search syntax');
  await expect(desk.rows).toHaveCount(1);
  await expect(desk.row(`${base}2`)).toBeVisible();
  expect(fake.requests.length).toBe(calls);

  // Claude overloaded: the question is read as local syntax, with the reason.
  fake.reply(() => overloaded());
  await ask('fedex dana please');
  await expect(path).toContainText('Local search syntax · ');
  await expect(chip('text')).toContainText('Words: fedex dana please');

  // Offline: the question is read as local syntax, with the reason; the chips are the filter, and
  // the table lists under them when the network is back.
  await context.setOffline(true);
  await ask('held packages for:"Grace Hopper" today');
  await expect(path).toHaveText('Local search syntax · Offline');
  await expect(chip('status')).toContainText('Status: held');
  await expect(chip('recipientName')).toContainText('For: Grace Hopper');
  await expect(chip('from')).toBeVisible();
  await expect(chip('text')).toContainText('Words: packages');
  await context.setOffline(false);
  await expect(page.getByText('No package matches.')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Remove Status held' }).click();
  await page.getByRole('button', { name: 'Remove Words packages' }).click();
  await expect(desk.rows).toHaveCount(1);
  await expect(desk.row(`${base}3`)).toBeVisible();
  await context.close();
});
