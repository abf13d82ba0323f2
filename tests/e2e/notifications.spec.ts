// What people see of notifications, on the app as it runs (a Postgres-backed server of its own, so
// the test can record what the notification sender records): a recipient with an account finds a
// notification under the bell and marks it read; the admin reads the delivery log, opens a captured
// message as it was rendered and as text, and sends a failed one again; the recipient unsubscribes
// from the link in a message without signing in, and their account page shows email off. Phone: the
// bell in the phone's header. The whole way through: an admin connects Slack (a local stand-in), a
// package received on the tablet's intake desk (or on another device) posts to it, reaches the
// recipient's bell and shows in the delivery log. axe finds no serious or critical problem on these pages.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from '@playwright/test';
import { unsubscribeToken } from '../../sync-server/src/notifications/unsubscribe.ts';
import { expect, expectNoSeriousA11yProblems, test, trackingNo, watchErrors } from './fixtures.ts';
import { startFakeProvider, type FakeProvider } from '../server/provider-fakes.ts';
import { AppPage, mainNav, newAccount } from './pages/app.ts';
import { IntakePage, pushFromAnotherDevice } from './pages/intake.ts';
import { IntegrationsPage } from './pages/integrations.ts';
import { startPostgresServer, type PostgresServer } from './postgres-server.ts';

const PORT = Number(process.env.E2E_PORT ?? 4173) + 1;
let server: PostgresServer;

// eslint-disable-next-line no-empty-pattern -- Playwright passes fixtures first; this hook needs none
test.beforeAll(async ({}, testInfo) => {
  if (testInfo.project.name === 'tablet') return;
  server = await startPostgresServer(PORT);
});
test.afterAll(async () => {
  await server?.stop();
});

async function open(
  browser: Browser,
  on: PostgresServer = server,
  device: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...device, baseURL: on.baseURL });
  watchErrors(context);
  return { context, page: await context.newPage() };
}

/**
 * An admin's organization with a recipient who has an account (an accepted invitation proves the
 * address) and a package, received through the sync API from another device, or by the admin on
 * their own device with `receive` (which answers the tracking number). `beforePackage`: what the
 * admin does before the package arrives; `device`: the admin's screen.
 */
async function mailroomWithRecipient(
  browser: Browser,
  tag: string,
  o: {
    on?: PostgresServer;
    device?: BrowserContextOptions;
    beforePackage?: (admin: Page) => Promise<void>;
    receive?: (admin: Page, recipientName: string) => Promise<string>;
  } = {},
) {
  const on = o.on ?? server;
  const admin = await open(browser, on, o.device);
  const a = newAccount(tag);
  await new AppPage(admin.page).signUp(a);
  const facilityId = (await (await admin.page.request.get('/api/me')).json()).activeFacilityId as string;

  const email = `${tag}-person-${randomUUID().slice(0, 8)}@example.test`;
  const inv = await admin.page.request.post('/api/invitations', { data: { email, role: 'viewer', facilityId } });
  expect(inv.status()).toBe(201);
  const person = await open(browser, on);
  const accepted = await person.page.request.post(`/api/invitations/${(await inv.json()).token}/accept`, {
    data: { name: 'Pat Person', password: 'a long password', ageConfirmed: true },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);

  await o.beforePackage?.(admin.page);
  const recipientId = randomUUID();
  let packageId: string = randomUUID();
  let trackingNumber = trackingNo('NTF');
  const recipient = { name: 'recipient.upsert', args: { id: recipientId, name: 'Pat Person', email } };
  if (o.receive) {
    await pushFromAnotherDevice(admin.page.request, [recipient]);
    trackingNumber = await o.receive(admin.page, 'Pat Person');
    const synced = () => on.sql<{ id: string }>('SELECT id FROM packages WHERE "trackingNumber" = $1', [trackingNumber]);
    await expect.poll(async () => (await synced()).length, { timeout: 30_000 }).toBe(1);
    packageId = (await synced())[0]!.id;
  } else
    await pushFromAnotherDevice(admin.page.request, [
      recipient,
      {
        name: 'package.receive.v2',
        args: {
          id: packageId,
          trackingNumber,
          carrier: 'other',
          recipientId,
          recipientName: 'Pat Person',
          receivedAt: new Date().toISOString(),
        },
      },
    ]);
  const userId = (await (await person.page.request.get('/api/me')).json()).user.id as string;
  return { admin, person, a, facilityId, email, recipientId, packageId, trackingNumber, userId };
}

/** A row as the notification sender records it (facility, package, recipient, outcome, message). */
function record(f: { facilityId: string; packageId: string; recipientId: string }, row: Record<string, unknown>) {
  const cols = { id: randomUUID(), facilityId: f.facilityId, packageId: f.packageId, recipientId: f.recipientId, version: 0, ...row };
  const names = Object.keys(cols);
  return server.sql(
    `INSERT INTO notifications (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(cols),
  );
}

test('the bell, the delivery log with the captured outbox, and unsubscribing from a message', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'the desktop flow; the phone has its own');
  const m = await mailroomWithRecipient(browser, 'notify');
  await record(m, { kind: 'received', channel: 'inapp', status: 'sent', userId: m.userId, to: m.userId, sentAt: new Date() });
  await record(m, {
    kind: 'received',
    channel: 'email',
    status: 'captured',
    to: m.email,
    subject: 'A package is here for you',
    bodyText: `Hello Pat, package ${m.trackingNumber} is waiting for you at the mailroom.`,
    bodyHtml: `<h1 style="color:#0b5">Your package is here</h1><p>Package <b>${m.trackingNumber}</b> is waiting.</p>`,
  });
  await record(m, {
    kind: 'held',
    channel: 'sms',
    status: 'failed',
    to: '+15550100',
    error: 'Twilio 21211: invalid To number',
    attempts: 1,
  });

  // The recipient's bell.
  const person = m.person.page;
  await person.goto('/');
  const bell = person.getByRole('button', { name: 'Notifications, 1 unread' });
  await expect(bell).toBeVisible();
  await bell.click();
  const panel = person.getByRole('dialog', { name: 'Notifications' });
  await expect(panel.getByText('Package received', { exact: true })).toBeVisible();
  await expect(panel.getByRole('link', { name: m.trackingNumber })).toBeVisible();
  await expectNoSeriousA11yProblems(person);
  await panel.getByRole('button', { name: /^Mark read/ }).click();
  await expect(person.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
  await expect(panel.getByRole('button', { name: /^Mark read/ })).toHaveCount(0);
  await person.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  expect((await (await person.request.get('/api/me/notifications')).json()).unread).toBe(0);

  // The admin's delivery log. The message viewer breaks no Content-Security-Policy: neither the
  // app's (the frame is a document of this origin) nor the frame's own (its inline styles are allowed).
  const admin = m.admin.page;
  const cspConsole: string[] = [];
  m.admin.context.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspConsole.push(msg.text());
  });
  await (await mainNav(admin, 'Notifications')).click();
  await expect(admin.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
  const rows = admin.getByRole('row');
  await expect(rows.filter({ hasText: 'Twilio 21211: invalid To number' })).toBeVisible();
  await expect(rows.filter({ hasText: 'Captured' })).toHaveCount(1);
  await expectNoSeriousA11yProblems(admin);

  await admin.getByRole('button', { name: 'Captured outbox' }).click();
  await expect(rows.filter({ hasText: 'Failed' })).toHaveCount(0);
  await admin.getByRole('button', { name: /^Open the Package received message/ }).click();
  const viewer = admin.getByRole('dialog', { name: 'Message' });
  await expect(viewer.getByRole('heading', { name: 'A package is here for you' })).toBeVisible();
  const frame = admin.frameLocator('iframe[title="The message as sent"]');
  await expect(frame.getByRole('heading', { name: 'Your package is here' })).toBeVisible();
  // Its inline style applies (the frame's own policy allows styles, nothing else).
  await expect(frame.getByRole('heading', { name: 'Your package is here' })).toHaveCSS('color', 'rgb(0, 187, 85)');
  await viewer.getByRole('tab', { name: 'Text' }).click();
  await expect(viewer.getByTestId('message-text')).toHaveText(`Hello Pat, package ${m.trackingNumber} is waiting for you at the mailroom.`);
  await expectNoSeriousA11yProblems(admin);
  await viewer.getByRole('button', { name: 'Close' }).click();
  expect(cspConsole).toEqual([]);

  await admin.getByLabel('Status').selectOption('failed');
  await admin.getByRole('button', { name: 'Show', exact: true }).click();
  await admin.getByRole('button', { name: /^Resend the Package held/ }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'is queued again' })).toBeVisible();
  await expect(rows.filter({ hasText: '+15550100' })).toContainText('Queued');

  // The link in a message, opened without signing in: it asks first.
  const token = unsubscribeToken(server.appSecret, { facilityId: m.facilityId, recipientId: m.recipientId, channel: 'email' });
  const stranger = await open(browser);
  await stranger.page.goto(`/unsubscribe/${token}`);
  await expect(stranger.page.getByRole('heading', { name: 'Stop email about your packages?' })).toBeVisible();
  await expect(stranger.page.getByText(m.a.facility)).toBeVisible();
  await expectNoSeriousA11yProblems(stranger.page);
  expect((await server.sql('SELECT "notifyEmail" FROM recipients WHERE id = $1', [m.recipientId]))[0]!.notifyEmail).toBe(true);
  await stranger.page.getByRole('button', { name: 'Unsubscribe from email' }).click();
  await expect(stranger.page.getByRole('heading', { name: 'You are unsubscribed' })).toBeVisible();
  expect((await server.sql('SELECT "notifyEmail" FROM recipients WHERE id = $1', [m.recipientId]))[0]!.notifyEmail).toBe(false);
  await stranger.page.goto(`/unsubscribe/${token.slice(0, -2)}xx`);
  await expect(stranger.page.getByRole('heading', { name: 'Link not valid' })).toBeVisible();

  // The recipient's account page shows it, and turns it back on.
  await (await mainNav(person, 'Account')).click();
  const emailSwitch = person.getByRole('switch', { name: `Email to ${m.email}` });
  await expect(emailSwitch).not.toBeChecked();
  await expectNoSeriousA11yProblems(person);
  await emailSwitch.check();
  await expect(person.getByRole('status').filter({ hasText: `Email about your packages at ${m.a.facility} is on.` })).toBeVisible();
  expect((await server.sql('SELECT "notifyEmail" FROM recipients WHERE id = $1', [m.recipientId]))[0]!.notifyEmail).toBe(true);

  for (const c of [m.admin, m.person, stranger]) await c.context.close();
});

test('the bell in the phone’s header', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the phone layout');
  const m = await mailroomWithRecipient(browser, 'phonebell');
  await record(m, { kind: 'delivered', channel: 'inapp', status: 'sent', userId: m.userId, to: m.userId, sentAt: new Date() });
  const phone = await browser.newContext({
    baseURL: server.baseURL,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  watchErrors(phone);
  await phone.addCookies(await m.person.context.cookies());
  const page = await phone.newPage();
  await page.goto('/');
  const bell = page.locator('header').getByRole('button', { name: 'Notifications, 1 unread' });
  await expect(bell).toBeVisible();
  await bell.tap();
  const panel = page.getByRole('dialog', { name: 'Notifications' });
  await expect(panel.getByText('Package delivered', { exact: true })).toBeInViewport();
  await expectNoSeriousA11yProblems(page);
  await panel.getByRole('button', { name: 'Mark all read' }).tap();
  await expect(page.locator('header').getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
  for (const c of [m.admin.context, m.person.context, phone]) await c.close();
});

test.describe('with Slack connected and messages sent at once', () => {
  let live: PostgresServer;
  let slack: FakeProvider;
  const webhookPath = '/services/T0E2E/B0E2E/e2eFlowToken';
  // eslint-disable-next-line no-empty-pattern -- Playwright passes fixtures first; this hook needs none
  test.beforeAll(async ({}, testInfo) => {
    if (testInfo.project.name === 'phone') return;
    slack = await startFakeProvider();
    // Local webhooks for Slack's stand-in; no batching window, so the push sends at once.
    live = await startPostgresServer(PORT + 1, { ALLOW_LOCAL_WEBHOOKS: 'true', NOTIFY_BATCH_WINDOW_SECONDS: '0' });
  });
  test.afterAll(async () => {
    await live?.stop();
    await slack?.close();
  });

  const connectSlack = async (admin: Page) => {
    const integrations = new IntegrationsPage(admin);
    await integrations.open();
    await integrations.connectSlack(`${slack.url}${webhookPath}`);
    await expect(integrations.status('slack')).toHaveText('Connected (…oken)');
  };

  /** The Slack post, the recipient's bell and the admin's delivery log, each once. */
  async function expectEverywhere(m: Awaited<ReturnType<typeof mailroomWithRecipient>>) {
    // The facility's feed: one post naming the recipient and the end of the tracking number.
    await expect.poll(() => slack.received.length).toBe(1);
    expect(slack.received[0]!.path).toBe(webhookPath);
    expect(slack.received[0]!.parsed.text).toContain(`1 package received for Pat Person`);
    expect(slack.received[0]!.parsed.text).toContain(m.trackingNumber.slice(-6));

    // The recipient's bell.
    const person = m.person.page;
    await expect.poll(async () => (await (await person.request.get('/api/me/notifications')).json()).unread).toBe(1);
    await person.goto('/');
    const bell = person.getByRole('button', { name: 'Notifications, 1 unread' });
    await expect(bell).toBeVisible();
    await bell.click();
    const panel = person.getByRole('dialog', { name: 'Notifications' });
    await expect(panel.getByText('Package received', { exact: true })).toBeVisible();
    await expect(panel.getByRole('link', { name: m.trackingNumber })).toBeVisible();
    await expectNoSeriousA11yProblems(person);

    // The admin's delivery log: the email kept in the captured outbox (no provider key), the Slack
    // post and the bell row sent.
    const admin = m.admin.page;
    await (await mainNav(admin, 'Notifications')).click();
    await expect(admin.getByRole('heading', { name: 'Notifications', level: 1 })).toBeVisible();
    const rows = admin.getByRole('row').filter({ hasText: 'Package received' });
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: 'Email' })).toContainText(m.email);
    await expect(rows.filter({ hasText: 'Email' })).toContainText('Captured');
    await expect(rows.filter({ hasText: 'Slack' })).toContainText('Sent');
    await expect(rows.filter({ hasText: 'In-app' })).toContainText('Sent');
    await expectNoSeriousA11yProblems(admin);
    expect(slack.received).toHaveLength(1);
  }

  test('a package received on another device reaches the recipient’s bell, the Slack channel and the delivery log', async ({
    browser,
  }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'the tablet receives it on its own screen');
    slack.received.length = 0;
    const m = await mailroomWithRecipient(browser, 'flow', { on: live, beforePackage: connectSlack });
    await expectEverywhere(m);
    for (const c of [m.admin, m.person]) await c.context.close();
  });

  test('a package received on the tablet’s intake desk reaches the bell, Slack and the delivery log', async ({ browser }, testInfo) => {
    test.skip(testInfo.project.name !== 'tablet', 'the intake desk is a landscape tablet');
    slack.received.length = 0;
    const { viewport, hasTouch, isMobile, deviceScaleFactor } = testInfo.project.use;
    const m = await mailroomWithRecipient(browser, 'tablet', {
      on: live,
      device: { viewport, hasTouch, isMobile, deviceScaleFactor },
      beforePackage: connectSlack,
      receive: async (admin, name) => {
        const intake = new IntakePage(admin);
        await intake.openFromHome();
        await intake.waitForDirectory(name);
        const tracking = trackingNo('TAB');
        await intake.scan(tracking);
        await intake.typeRecipient(name);
        await expect(intake.matches.first()).toContainText(name);
        await intake.recipient.press('Enter');
        await expect(intake.recipient).toHaveValue(name);
        await intake.save.click();
        await expect(intake.saved).toHaveText(`Saved ${tracking} for ${name}`);
        return tracking;
      },
    });
    await expectEverywhere(m);
    for (const c of [m.admin, m.person]) await c.context.close();
  });
});
