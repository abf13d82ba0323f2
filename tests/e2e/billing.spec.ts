// Billing in a real browser against the fake Stripe the e2e run starts (tests/e2e/fake-stripe-server.ts):
// an owner in trial sees the banner and subscribes through the fake's hosted Checkout page (desktop);
// a read-only facility's tablet keeps its queued packages, says why, and syncs them once the owner
// subscribes again (tablet).
import type { APIRequestContext } from '@playwright/test';
import { expect, expectNoSeriousA11yProblems, test, trackingNo } from './fixtures.ts';
import { mainNav } from './pages/app.ts';
import { controlledByServiceWorker, serverState } from './pages/packages.ts';
import { signUpAdmin } from './pages/people.ts';

const STRIPE = `http://127.0.0.1:${Number(process.env.E2E_STRIPE_PORT ?? Number(process.env.E2E_PORT ?? 4173) + 9)}`;
const KEY = { authorization: 'Bearer sk_test_e2e' };

/** Subscribes the active facility through the API and the fake's Pay button (no browser page). */
async function subscribeByApi(request: APIRequestContext) {
  const res = await request.post('/api/billing/checkout', { data: {} });
  expect(res.status(), await res.text()).toBe(200);
  const { url } = (await res.json()) as { url: string };
  const paid = await request.post(`${url}/pay`, { maxRedirects: 0 });
  expect(paid.status()).toBe(303);
}

/** Stripe cancels the facility's subscription now (as the Portal's "cancel immediately" would). */
async function cancelNow(request: APIRequestContext, facilityId: string) {
  const list = (await (await request.get(`${STRIPE}/v1/subscriptions`, { headers: KEY })).json()) as {
    data: { id: string; status: string; metadata: { facilityId?: string } }[];
  };
  const sub = list.data.find((s) => s.metadata.facilityId === facilityId && s.status !== 'canceled');
  expect(sub, 'a live subscription of the facility').toBeTruthy();
  expect((await request.delete(`${STRIPE}/v1/subscriptions/${sub!.id}`, { headers: KEY })).status()).toBe(200);
}

test('an owner in trial sees the banner, subscribes through Checkout and comes back active', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'the subscribe flow is the owner’s, at a desk');
  await signUpAdmin(page, 'billing');
  const banner = page.getByTestId('billing-banner');
  await expect(banner).toHaveAttribute('role', 'status');
  await expect(banner).toContainText(/Free trial has (9|10) days left/);
  await expectNoSeriousA11yProblems(page);

  await (await mainNav(page, 'Billing')).click();
  await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
  await expect(page.getByTestId('billing-state')).toHaveText('Free trial');
  await expectNoSeriousA11yProblems(page);
  await page.getByRole('button', { name: /^Subscribe/ }).click();

  // Stripe's hosted page (the fake's): $80 a month, Pay.
  await expect(page).toHaveURL(new RegExp(`^${STRIPE}/checkout/cs_test_`));
  await expect(page.getByRole('heading', { name: 'Subscribe to PackageTrack Pro' })).toBeVisible();
  await page.getByRole('button', { name: 'Pay' }).click();

  await expect(page).toHaveURL(/\/billing\?checkout=success$/);
  await expect(page.getByTestId('billing-state')).toHaveText('Subscribed');
  await expect(page.getByText(/^Next invoice on /)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Subscribe/ })).toHaveCount(0);
  await expect(banner).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Manage billing' })).toBeVisible();
});

test('a read-only facility’s tablet keeps its queued packages, says why, and syncs them after subscribing again', async ({
  page,
  context,
}, testInfo) => {
  test.skip(testInfo.project.name !== 'tablet', 'the read-only desk is a tablet’s');
  test.setTimeout(90_000);
  const { pk } = await signUpAdmin(page, 'readonly');
  const facilityId = ((await (await page.request.get('/api/me')).json()) as { activeFacilityId: string }).activeFacilityId;
  await subscribeByApi(page.request);
  await cancelNow(page.request, facilityId);

  await page.reload();
  const banner = page.getByTestId('billing-banner');
  await expect(banner).toHaveAttribute('role', 'alert');
  await expect(banner).toContainText('This facility is read-only since');
  await expect(banner).toContainText(/deleted on .+ \((29|30) days\)/);

  // Offline, the banner still says it, from the answer kept on the device.
  await controlledByServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Offline: showing what this device knows' })).toBeVisible();
  await expect(banner).toContainText('This facility is read-only since');
  await context.setOffline(false);
  await page.reload();

  await pk.open();
  await pk.openReceive();
  const tracking = trackingNo('RO');
  await pk.receive({ tracking, recipient: 'Riley Readonly' });
  await expect(pk.syncStatus).toHaveAttribute('data-state', 'read_only');
  await expect(pk.syncStatus).toContainText('read-only');
  await expect(pk.syncSummary).toContainText('waiting');
  await expectNoSeriousA11yProblems(page);
  expect((await serverState(page.request)).packages.filter((p) => p.trackingNumber === tracking)).toHaveLength(0);

  // The owner subscribes again (on this tablet) and comes back: the queue goes through.
  await (await mainNav(page, 'Billing')).click();
  await expect(page.getByTestId('billing-state')).toHaveText('Read-only');
  await page.getByRole('button', { name: /^Subscribe/ }).click();
  await page.getByRole('button', { name: 'Pay' }).click();
  await expect(page.getByTestId('billing-state')).toHaveText('Subscribed');
  await pk.expectAllSynced();
  await expect(banner).toHaveCount(0);
  expect((await serverState(page.request)).packages.filter((p) => p.trackingNumber === tracking)).toHaveLength(1);
});
