// Admin → Integrations: an admin connects Slack to a local stand-in of Slack's incoming webhooks,
// sends a test message that the stand-in receives, sees Slack's refusal as the last error, and
// disconnects with the keyboard. The webhook URL never comes back to the page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { desktopOnly, expect, expectNoSeriousA11yProblems, test } from './fixtures.ts';
import { AppPage, newAccount } from './pages/app.ts';
import { IntegrationsPage } from './pages/integrations.ts';

let slack: Server;
let slackUrl = '';
const received: { path: string; body: { text?: string; blocks?: unknown[] } }[] = [];
let refuse = false;

test.beforeAll(async () => {
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      if (refuse) res.writeHead(404, { 'content-type': 'text/plain' }).end('channel_not_found');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T0E2E/B0E2E/e2eSecretToken`;
});
test.afterAll(() => new Promise<void>((resolve) => (slack ? slack.close(() => resolve()) : resolve())));

test('an admin connects Slack, sends a test message the channel receives, and disconnects', async ({ page }, testInfo) => {
  desktopOnly(testInfo.project.name);
  const app = new AppPage(page);
  const account = newAccount('integrations');
  await app.signUp(account);

  const integrations = new IntegrationsPage(page);
  await integrations.open();
  await expect(integrations.status('slack')).toHaveText('Not connected');
  await expect(integrations.status('twilio')).toHaveText('Not connected');
  await expectNoSeriousA11yProblems(page);

  await integrations.connectSlack(slackUrl);
  await expect(integrations.status('slack')).toHaveText('Connected (…oken)');
  await expect(integrations.card('slack').getByLabel('Webhook URL')).toHaveValue('');
  await expect(page.locator('body')).not.toContainText('e2eSecretToken');

  const card = integrations.card('slack');
  await card.getByRole('button', { name: 'Send test message' }).click();
  await expect(card.getByRole('status')).toHaveText('Test message sent.');
  expect(received).toHaveLength(1);
  expect(received[0]!.path).toBe('/services/T0E2E/B0E2E/e2eSecretToken');
  expect(received[0]!.body.text).toContain(account.facility);
  await expect(card.getByText('Last sent')).toBeVisible();

  // Slack refuses: the page says so, and the last error stays after a reload.
  refuse = true;
  await card.getByRole('button', { name: 'Send test message' }).click();
  await expect(card.getByRole('status')).toHaveText('The test message was refused: Slack answered 404: channel_not_found');
  await page.reload();
  await expect(page.getByTestId('slack-last-error')).toContainText('Slack answered 404: channel_not_found');
  await expectNoSeriousA11yProblems(page);

  // Disconnect with the keyboard.
  await integrations.card('slack').getByRole('button', { name: 'Disconnect' }).focus();
  await page.keyboard.press('Enter');
  await expect(integrations.card('slack').getByRole('button', { name: 'Yes, disconnect' })).toBeVisible();
  await integrations.card('slack').getByRole('button', { name: 'Yes, disconnect' }).focus();
  await page.keyboard.press('Enter');
  await expect(integrations.card('slack').getByRole('status')).toHaveText('Slack disconnected; its credentials were erased.');
  await expect(integrations.status('slack')).toHaveText('Not connected');
  const listed = await (await page.request.get('/api/integrations')).json();
  expect(listed.items.find((i: { kind: string }) => i.kind === 'slack')).toMatchObject({ connected: false });
  expect(received).toHaveLength(2);
});
