// Stripe billing (issue 11; docs/billing.md) against a local server that speaks Stripe's API
// (fake-stripe.ts), the real `stripe` SDK pointed at it with STRIPE_API_BASE, and webhook events
// signed with the SDK's own test helper: checkout → active; cancel → read-only after the period's
// end; a failed payment → past_due, then read-only after the grace; duplicated and reordered
// events; bad signatures; owner-only redirects; billing off; another organization's facility.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingResponse } from '../../src/lib/domain/api-responses.ts';
import { DAY_MS, PAST_DUE_GRACE_DAYS, READ_ONLY_DAYS } from '../../src/lib/domain/billing.ts';
import { billingThrough, startFakeStripe, type FakeStripe, type FakeSubscription } from './fake-stripe.ts';
import { ORIGIN, TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

const SECRET = 'whsec_billing_test_secret';
let t: TestApp;
let fake: FakeStripe;

/** What Stripe's delivery does: POST the exact bytes with their signature. */
async function post(payload: string, signature: string | null) {
  const res = await t.app.request(`${ORIGIN}/api/billing/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(signature ? { 'stripe-signature': signature } : {}) },
    body: payload,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const outcomes: string[] = [];

beforeAll(async () => {
  fake = await startFakeStripe({ webhookSecret: SECRET });
  t = await startTestApp(billingThrough(fake, SECRET));
  fake.deliver = async (payload, signature) => {
    const r = await post(payload, signature);
    outcomes.push(String(r.json.outcome ?? r.json.error));
    return r.status;
  };
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const billing = async (c: TestClient) => {
  const res = await c.get('/api/billing');
  expect(res.status, res.text).toBe(200);
  return billingResponse.parse(res.json);
};
const storedSub = (facilityId: string) => t.deps.db.prisma.subscription.findUniqueOrThrow({ where: { facilityId } });
const eventRows = () => t.deps.db.prisma.stripeEvent.count();

/** Signs up an organization and subscribes its facility through Checkout; returns its subscription. */
async function subscribed() {
  const owner = await signUp(t);
  const res = await owner.client.post('/api/billing/checkout', {});
  expect(res.status, res.text).toBe(200);
  const sessionId = new URL(res.json.url).pathname.split('/').pop()!;
  const sub = await fake.pay(sessionId);
  return { owner, sub, sessionId };
}

/** A new event about `sub` as Stripe would send it now (a fresh id), signed. */
function eventAbout(sub: FakeSubscription, type = 'customer.subscription.updated') {
  const id = `evt_${randomUUID().replaceAll('-', '')}`;
  const payload = JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object: sub } });
  return { id, payload, signature: fake.sign(payload) };
}

describe('checkout', () => {
  it('a facility in trial: the owner sees its days left, subscribes through Checkout, and it is active', async () => {
    const owner = await signUp(t);
    const before = await billing(owner.client);
    expect(before).toMatchObject({
      enabled: true,
      status: 'trialing',
      access: 'full',
      trialDaysLeft: 10,
      canManage: true,
      priceCents: 8000,
    });
    expect(before.facilities).toEqual([expect.objectContaining({ id: owner.facilityId, status: 'trialing', subscribed: false })]);

    const res = await owner.client.post('/api/billing/checkout', {});
    expect(res.status, res.text).toBe(200);
    expect(res.json.url).toMatch(new RegExp(`^${fake.url}/checkout/cs_test_`));
    const sessionId = new URL(res.json.url).pathname.split('/').pop()!;
    const session = fake.sessions.get(sessionId)!;
    // One subscription per facility, on the organization's one customer, $80 price × 1.
    expect(session).toMatchObject({
      mode: 'subscription',
      price: 'price_test_facility',
      quantity: 1,
      client_reference_id: owner.facilityId,
      subscription_metadata: { facilityId: owner.facilityId, organizationId: owner.me.organizations[0].id },
      success_url: `${ORIGIN}/billing?checkout=success`,
    });
    // The rest of the 10-day trial carries over into Stripe's trial: nothing is charged before it ends.
    const trialEnd = (await storedSub(owner.facilityId)).trialEndsAt;
    expect(session.trial_end).toBe(Math.floor(trialEnd.getTime() / 1000));
    const org = await t.deps.db.prisma.organization.findUniqueOrThrow({ where: { id: owner.me.organizations[0].id } });
    expect(org.stripeCustomerId).toBe(session.customer);

    const sub = await fake.pay(sessionId);
    const after = await billing(owner.client);
    expect(after).toMatchObject({ status: 'active', access: 'full', trialDaysLeft: null, readOnlySince: null, deleteAfter: null });
    expect(after.facilities![0]).toMatchObject({
      subscribed: true,
      currentPeriodEnd: new Date(sub.items.data[0]!.current_period_end * 1000).toISOString(),
    });
    expect(await storedSub(owner.facilityId)).toMatchObject({
      status: 'active',
      stripeSubscriptionId: sub.id,
      stripeCustomerId: sub.customer,
    });

    // Subscribing twice would charge twice.
    const again = await owner.client.post('/api/billing/checkout', {});
    expect([again.status, again.json.error]).toEqual([409, 'already_subscribed']);
    // A second facility's checkout reuses the organization's customer.
    const annex = await owner.client.post('/api/facilities', { name: 'Annex' });
    expect(annex.status).toBe(201);
    const second = await owner.client.post('/api/billing/checkout', { facilityId: annex.json.id });
    expect(second.status, second.text).toBe(200);
    expect(fake.sessions.get(new URL(second.json.url).pathname.split('/').pop()!)!.customer).toBe(session.customer);
    expect(fake.requests.filter((r) => r.path === '/v1/customers' && r.form.get('metadata[organizationId]') === org.id)).toHaveLength(1);
  });

  it('the Customer Portal opens on the organization customer; before any checkout there is none (409)', async () => {
    const fresh = await signUp(t);
    const none = await fresh.client.post('/api/billing/portal');
    expect([none.status, none.json.error]).toEqual([409, 'no_customer']);
    const { owner, sub } = await subscribed();
    const res = await owner.client.post('/api/billing/portal');
    expect(res.status, res.text).toBe(200);
    expect(res.json.url).toBe(`${fake.url}/portal/${sub.customer}`);
  });

  it('only the owner subscribes or opens the Portal; admins see every facility, other roles only their own state', async () => {
    const { owner } = await subscribed();
    const admin = await joinAs(t, owner, 'admin');
    const operator = await joinAs(t, owner, 'operator');
    for (const c of [admin.client, operator.client]) {
      for (const path of ['/api/billing/checkout', '/api/billing/portal']) {
        const res = await c.post(path, {});
        expect([path, res.status, res.json.error]).toEqual([path, 403, 'forbidden']);
      }
    }
    const asAdmin = await billing(admin.client);
    expect(asAdmin).toMatchObject({ status: 'active', canManage: false });
    expect(asAdmin.facilities).toHaveLength(1);
    const asOperator = await billing(operator.client);
    expect(asOperator).toMatchObject({ status: 'active', canManage: false, facilities: null });
  });

  it('refuses junk and another organization’s facility with 4xx, and Stripe being down with 502', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const cases: [unknown, number, string][] = [
      [{ facilityId: 'not-a-uuid' }, 400, 'invalid_input'],
      [{ facilityId: other.facilityId }, 404, 'not_found'],
      [{ facilityId: randomUUID() }, 404, 'not_found'],
      [{ facilityId: owner.facilityId, quantity: 5 }, 400, 'invalid_input'],
      [[1, 2], 400, 'invalid_input'],
    ];
    for (const [body, status, code] of cases) {
      const res = await owner.client.post('/api/billing/checkout', body);
      expect([JSON.stringify(body), res.status, res.json.error]).toEqual([JSON.stringify(body), status, code]);
    }
    const plain = await owner.client.request('POST', '/api/billing/checkout', undefined, { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    const noBody = await owner.client.post('/api/billing/checkout');
    expect(noBody.status, noBody.text).toBe(200); // no body: the active facility
    fake.failNext = 2;
    const down = await signUp(t);
    const res = await down.client.post('/api/billing/checkout', {});
    expect([res.status, res.json.error]).toEqual([502, 'billing_unavailable']);
    fake.failNext = 0;
  });
});

describe('webhook', () => {
  it('a bad, missing or foreign signature answers 400 bad_signature and changes nothing', async () => {
    const { owner, sub } = await subscribed();
    fake.subscriptions.get(sub.id)!.status = 'canceled';
    const e = eventAbout(fake.subscriptions.get(sub.id)!, 'customer.subscription.deleted');
    const rows = await eventRows();
    const tampered = e.payload.replace(owner.facilityId, randomUUID());
    for (const [payload, signature] of [
      [e.payload, null],
      [e.payload, 'garbage'],
      [e.payload, fake.sign(e.payload, 'whsec_someone_else')],
      [tampered, e.signature],
    ] as const) {
      const res = await post(payload, signature);
      expect([res.status, res.json.error]).toEqual([400, 'bad_signature']);
    }
    expect(await eventRows()).toBe(rows);
    expect((await storedSub(owner.facilityId)).status).toBe('active');
    fake.subscriptions.get(sub.id)!.status = 'active';
  });

  it('applies each event id once: redelivering every event changes nothing and answers 200 duplicate', async () => {
    const { owner, sub } = await subscribed();
    const mine = fake.events.filter((e) => e.payload.includes(sub.id));
    expect(mine.map((e) => e.type)).toEqual(['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']);
    const before = await storedSub(owner.facilityId);
    const rows = await eventRows();
    for (const e of mine) {
      const res = await post(e.payload, fake.sign(e.payload));
      expect(res).toEqual({ status: 200, json: { received: true, outcome: 'duplicate' } });
    }
    expect(await eventRows()).toBe(rows);
    expect(await storedSub(owner.facilityId)).toEqual(before);
    const stored = await t.deps.db.prisma.stripeEvent.findMany({ where: { id: { in: mine.map((e) => e.id) } } });
    expect(stored.map((r) => r.facilityId)).toEqual([owner.facilityId, owner.facilityId, owner.facilityId]);
  });

  it('cancelled in the Portal: active until the period ends, then read-only (push 403, pull 200) with deletion 30 days later', async () => {
    const { owner, sub } = await subscribed();
    await fake.cancelAtPeriodEnd(sub.id);
    expect(await billing(owner.client)).toMatchObject({ status: 'active', access: 'full', cancelAtPeriodEnd: true });
    const device = new Device(owner.client, owner.facilityId);
    expect((await device.push([mutation(1, 'package.receive', receiveArgs())])).status).toBe(200);

    const ended = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    await fake.endPeriod(sub.id, ended);
    const b = await billing(owner.client);
    expect(b).toMatchObject({
      status: 'read_only',
      access: 'read_only',
      readOnlySince: ended.toISOString(),
      deleteAfter: new Date(ended.getTime() + READ_ONLY_DAYS * DAY_MS).toISOString(),
      daysUntilDeletion: expect.any(Number),
      cancelAtPeriodEnd: false,
    });
    expect(b.daysUntilDeletion).toBeGreaterThanOrEqual(29);
    expect(await storedSub(owner.facilityId)).toMatchObject({ status: 'canceled', currentPeriodEnd: ended });
    const refused = await device.push([mutation(2, 'package.receive', receiveArgs())]);
    expect([refused.status, refused.json.error]).toEqual([403, 'read_only']);
    expect((await device.pull(null)).status).toBe(200);

    // Subscribing again makes the queued work go through.
    const res = await owner.client.post('/api/billing/checkout', {});
    expect(res.status, res.text).toBe(200);
    expect(fake.sessions.get(new URL(res.json.url).pathname.split('/').pop()!)!.trial_end).toBeUndefined();
    await fake.pay(new URL(res.json.url).pathname.split('/').pop()!);
    expect((await billing(owner.client)).status).toBe('active');
    const retried = await device.push([mutation(2, 'package.receive', receiveArgs())]);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.json.results[0].status).toBe('applied');
  });

  it('a failed payment: past_due and still writable for the grace (from the first failure), read-only after it, active once paid', async () => {
    const { owner, sub } = await subscribed();
    const device = new Device(owner.client, owner.facilityId);
    await fake.failPayment(sub.id);
    const first = await storedSub(owner.facilityId);
    expect(first.status).toBe('past_due');
    expect(first.pastDueSince).toBeInstanceOf(Date);
    const b = await billing(owner.client);
    expect(b).toMatchObject({
      status: 'past_due',
      access: 'full',
      pastDueSince: first.pastDueSince!.toISOString(),
      writableUntil: new Date(first.pastDueSince!.getTime() + PAST_DUE_GRACE_DAYS * DAY_MS).toISOString(),
      deleteAfter: null,
    });
    expect((await device.push([mutation(1, 'package.receive', receiveArgs())])).status).toBe(200);

    // A later event while still unpaid keeps the date of the first failure.
    const later = eventAbout(fake.subscriptions.get(sub.id)!);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post(later.payload, later.signature)).json.outcome).toBe('applied');
    expect((await storedSub(owner.facilityId)).pastDueSince).toEqual(first.pastDueSince);

    // The grace passes (the failure was 8 days ago): read-only, nothing deleted on our clock.
    await t.deps.db.prisma.subscription.update({
      where: { facilityId: owner.facilityId },
      data: { pastDueSince: new Date(Date.now() - (PAST_DUE_GRACE_DAYS + 1) * DAY_MS) },
    });
    expect(await billing(owner.client)).toMatchObject({ status: 'read_only', access: 'read_only', deleteAfter: null });
    expect((await device.push([mutation(2, 'package.receive', receiveArgs())])).json.error).toBe('read_only');

    await fake.payInvoice(sub.id);
    expect(await billing(owner.client)).toMatchObject({ status: 'active', access: 'full', pastDueSince: null });
    expect((await device.push([mutation(2, 'package.receive', receiveArgs())])).status).toBe(200);
  });

  it('events in any order end in Stripe’s current state: a late "created" does not undo a cancellation', async () => {
    const deliver = fake.deliver;
    fake.deliver = undefined; // queue instead of sending
    const owner = await signUp(t);
    const res = await owner.client.post('/api/billing/checkout', {});
    const sub = await fake.pay(new URL(res.json.url).pathname.split('/').pop()!);
    await fake.cancelAtPeriodEnd(sub.id);
    await fake.endPeriod(sub.id);
    fake.deliver = deliver;
    const queued = fake.events.filter((e) => e.payload.includes(sub.id));
    expect(queued.map((e) => e.type)).toEqual([
      'checkout.session.completed',
      'customer.subscription.created',
      'invoice.paid',
      'customer.subscription.updated',
      'customer.subscription.deleted',
    ]);
    // Deleted first, the rest after (newest to oldest): every one reads the subscription as it is now.
    for (const e of [...queued].reverse()) {
      const r = await post(e.payload, fake.sign(e.payload));
      expect(r.status).toBe(200);
      expect((await storedSub(owner.facilityId)).status).toBe('canceled');
    }
    expect((await billing(owner.client)).status).toBe('read_only');
  });

  it('a late event of an old, ended subscription does not overwrite the new one', async () => {
    const { owner, sub: old } = await subscribed();
    await fake.cancelAtPeriodEnd(old.id);
    await fake.endPeriod(old.id);
    const res = await owner.client.post('/api/billing/checkout', {});
    const fresh = await fake.pay(new URL(res.json.url).pathname.split('/').pop()!);
    expect(await storedSub(owner.facilityId)).toMatchObject({ status: 'active', stripeSubscriptionId: fresh.id });
    const late = eventAbout(fake.subscriptions.get(old.id)!, 'customer.subscription.deleted');
    expect((await post(late.payload, late.signature)).json.outcome).toBe('unchanged');
    expect(await storedSub(owner.facilityId)).toMatchObject({ status: 'active', stripeSubscriptionId: fresh.id });
  });

  it('a read of Stripe older than the facility’s last change is read again before it is written', async () => {
    const { owner, sub } = await subscribed();
    fake.subscriptions.get(sub.id)!.cancel_at_period_end = true;
    // Another event's write landed after this one read Stripe (its updatedAt is later than any read now).
    await t.deps.db.prisma
      .$executeRaw`UPDATE subscriptions SET "updatedAt" = now() + interval '1 hour' WHERE "facilityId" = ${owner.facilityId}::uuid`;
    const reads = () => fake.requests.filter((r) => r.method === 'GET' && r.path === `/v1/subscriptions/${sub.id}`).length;
    const before = reads();
    const e = eventAbout(fake.subscriptions.get(sub.id)!);
    expect((await post(e.payload, e.signature)).json.outcome).toBe('applied');
    // Read, found stale, read again (three reads at most, then the newest read is written).
    expect(reads() - before).toBe(3);
    expect((await storedSub(owner.facilityId)).cancelAtPeriodEnd).toBe(true);
  });

  it('metadata naming a facility of another organization is ignored (the paying customer must be its organization’s)', async () => {
    const { sub } = await subscribed();
    const victim = await signUp(t);
    const forged: FakeSubscription = {
      ...structuredClone(sub),
      id: `sub_forged${randomUUID().slice(0, 8)}`,
      status: 'canceled',
      ended_at: Math.floor(Date.now() / 1000) - 3600,
      canceled_at: Math.floor(Date.now() / 1000) - 3600,
      metadata: { facilityId: victim.facilityId },
    };
    fake.subscriptions.set(forged.id, forged);
    const rows = await eventRows();
    const e = eventAbout(forged, 'customer.subscription.deleted');
    expect((await post(e.payload, e.signature)).json).toEqual({ received: true, outcome: 'ignored' });
    expect(await storedSub(victim.facilityId)).toMatchObject({ status: 'trialing', stripeSubscriptionId: null });
    expect(await eventRows()).toBe(rows + 1);
    const row = await t.deps.db.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id } });
    expect(row.facilityId).toBeNull();
  });

  it('Stripe unreachable while re-reading: 502 and the event is not recorded, so its redelivery applies it', async () => {
    const { owner, sub } = await subscribed();
    fake.subscriptions.get(sub.id)!.cancel_at_period_end = true;
    const e = eventAbout(fake.subscriptions.get(sub.id)!);
    fake.failNext = 2;
    const down = await post(e.payload, e.signature);
    expect([down.status, down.json.error]).toEqual([502, 'billing_unavailable']);
    fake.failNext = 0;
    expect(await t.deps.db.prisma.stripeEvent.count({ where: { id: e.id } })).toBe(0);
    expect((await post(e.payload, e.signature)).json.outcome).toBe('applied');
    expect((await storedSub(owner.facilityId)).cancelAtPeriodEnd).toBe(true);
  });

  it('events about nothing we bill, and junk, answer without touching a facility; oversized bodies 413', async () => {
    const other = JSON.stringify({
      id: `evt_${randomUUID()}`,
      object: 'event',
      type: 'customer.created',
      created: 1,
      data: { object: {} },
    });
    expect((await post(other, fake.sign(other))).json).toEqual({ received: true, outcome: 'ignored' });
    const junk = 'not json at all';
    expect((await post(junk, fake.sign(junk))).status).toBe(400);
    const big = JSON.stringify({ id: 'evt_big', pad: 'x'.repeat(300 * 1024) });
    expect((await post(big, fake.sign(big))).status).toBe(413);
    // The webhook needs no Origin or session, and a browser's cross-site POST gets no further than the signature.
    const res = await t.app.request(`${ORIGIN}/api/billing/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: other,
    });
    expect(res.status).toBe(400);
  });
});

describe('deactivating a facility', () => {
  it('cancels its subscription with proration; reactivating does not subscribe again', async () => {
    const { owner, sub } = await subscribed();
    const annex = await owner.client.post('/api/facilities', { name: 'Annex' });
    const res = await owner.client.post(`/api/facilities/${owner.facilityId}/deactivate`);
    expect(res.status, res.text).toBe(200);
    const cancel = fake.requests.find((r) => r.method === 'DELETE' && r.path === `/v1/subscriptions/${sub.id}`);
    expect(cancel?.form.get('prorate')).toBe('true');
    expect(fake.subscriptions.get(sub.id)!.status).toBe('canceled');
    expect((await storedSub(owner.facilityId)).status).toBe('canceled');
    expect((await owner.client.post(`/api/facilities/${owner.facilityId}/reactivate`)).status).toBe(200);
    expect((await storedSub(owner.facilityId)).status).toBe('canceled');
    expect(
      fake.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.form.get('client_reference_id') === owner.facilityId),
    ).toHaveLength(1);
    // A facility in trial has nothing to cancel.
    expect((await owner.client.post(`/api/facilities/${annex.json.id}/deactivate`)).status).toBe(200);
  });
});

describe('billing off (no Stripe keys)', () => {
  it('GET answers active and full, the redirects and the webhook 503 billing_off', async () => {
    const off = await startTestApp();
    try {
      const a = await signUp(off);
      await off.deps.db.prisma.subscription.update({
        where: { facilityId: a.facilityId },
        data: { trialEndsAt: new Date(Date.now() - 60 * DAY_MS) },
      });
      const res = await a.client.get('/api/billing');
      expect(billingResponse.parse(res.json)).toMatchObject({
        enabled: false,
        status: 'active',
        access: 'full',
        canManage: false,
        facilities: null,
      });
      for (const path of ['/api/billing/checkout', '/api/billing/portal']) {
        const r = await a.client.post(path, {});
        expect([path, r.status, r.json.error]).toEqual([path, 503, 'billing_off']);
      }
      const hook = await off.app.request(`${ORIGIN}/api/billing/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
        body: '{}',
      });
      expect(hook.status).toBe(503);
    } finally {
      await off.close();
    }
  });
});
