// A local server that speaks the parts of Stripe's API the app calls (customers, Checkout
// Sessions, Customer Portal sessions, subscriptions retrieve and cancel), for the real `stripe` SDK
// pointed at it with STRIPE_API_BASE. It serves a hosted "Checkout page" (GET /checkout/<id>, a
// Pay button) and a "Portal page"; paying, cancelling, a failed payment and the end of a period
// change its subscriptions the way Stripe does and send the events Stripe would, signed with the
// real SDK's test helper. Plain Node (no vitest): Playwright's e2e server starts it too.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface FakeSubscription {
  id: string;
  object: 'subscription';
  status: 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled';
  customer: string;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  created: number;
  metadata: Record<string, string>;
  items: { object: 'list'; data: { id: string; current_period_start: number; current_period_end: number; quantity: number }[] };
}

export interface FakeEvent {
  id: string;
  type: string;
  payload: string;
}

export interface FakeStripe {
  url: string;
  customers: Map<string, Record<string, unknown>>;
  sessions: Map<string, Record<string, unknown>>;
  subscriptions: Map<string, FakeSubscription>;
  /** Every request the SDK made: method and path. */
  requests: { method: string; path: string; form: URLSearchParams }[];
  /** Every event sent (or queued), oldest first. */
  events: FakeEvent[];
  /** Where events go; unset, they are only queued in `events`. Returns the HTTP status. */
  deliver?: (payload: string, signature: string) => Promise<number>;
  /** Signs a payload the way Stripe does for the webhook secret (the real SDK's helper). */
  sign(payload: string, secret?: string): string;
  /** Sends an event again (a redelivery). */
  resend(e: FakeEvent): Promise<number>;
  /** Pays a Checkout Session: the subscription starts (active, or trialing to `trial_end`). */
  pay(sessionId: string): Promise<FakeSubscription>;
  /** The customer cancels in the Portal: paid to the period's end, then cancelled. */
  cancelAtPeriodEnd(subscriptionId: string): Promise<void>;
  /** The period ends: a subscription set to cancel is cancelled (ended at `at`, default now). */
  endPeriod(subscriptionId: string, at?: Date): Promise<void>;
  /** A renewal fails (past_due, invoice.payment_failed) or is paid (active, invoice.paid). */
  failPayment(subscriptionId: string, at?: Date): Promise<void>;
  payInvoice(subscriptionId: string): Promise<void>;
  /** The next API requests answer 500 (Stripe down). */
  failNext: number;
  close(): Promise<void>;
}

const sec = (d = new Date()) => Math.floor(d.getTime() / 1000);
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const MONTH = 30 * 24 * 3600;

/** Stripe's form encoding (`a[b][c]=v`) as one flat map of bracketed keys. */
function formOf(body: string, query: string): URLSearchParams {
  const f = new URLSearchParams(query);
  for (const [k, v] of new URLSearchParams(body)) f.append(k, v);
  return f;
}

/** `prefix[key]=v` entries as an object (metadata). */
function mapOf(form: URLSearchParams, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) if (k.startsWith(`${prefix}[`) && k.endsWith(']')) out[k.slice(prefix.length + 1, -1)] = v;
  return out;
}

export async function startFakeStripe(opts: { port?: number; webhookSecret: string }): Promise<FakeStripe> {
  const signer = new Stripe('sk_test_fake_signer');
  const customers = new Map<string, Record<string, unknown>>();
  const sessions = new Map<string, Record<string, unknown>>();
  const subscriptions = new Map<string, FakeSubscription>();
  const idempotent = new Map<string, string>();

  const send = async (e: FakeEvent) => (fake.deliver ? fake.deliver(e.payload, fake.sign(e.payload)) : 0);
  async function emit(type: string, object: unknown): Promise<void> {
    const e: FakeEvent = { id: id('evt'), type, payload: '' };
    e.payload = JSON.stringify({
      id: e.id,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: sec(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object },
    });
    fake.events.push(e);
    await send(e);
  }
  const invoiceFor = (s: FakeSubscription, status: string) => ({
    id: id('in'),
    object: 'invoice',
    customer: s.customer,
    status,
    parent: { type: 'subscription_details', subscription_details: { subscription: s.id, metadata: s.metadata } },
  });

  const fake: FakeStripe = {
    url: '',
    customers,
    sessions,
    subscriptions,
    requests: [],
    events: [],
    failNext: 0,
    sign: (payload, secret = opts.webhookSecret) => signer.webhooks.generateTestHeaderString({ payload, secret }),
    resend: (e) => send(e),
    async pay(sessionId) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no checkout session ${sessionId}`);
      if (session.subscription) return subscriptions.get(session.subscription as string)!;
      const now = sec();
      const trialEnd = session.trial_end as number | undefined;
      const sub: FakeSubscription = {
        id: id('sub'),
        object: 'subscription',
        status: trialEnd ? 'trialing' : 'active',
        customer: session.customer as string,
        cancel_at_period_end: false,
        canceled_at: null,
        ended_at: null,
        created: now,
        metadata: session.subscription_metadata as Record<string, string>,
        items: {
          object: 'list',
          data: [{ id: id('si'), current_period_start: now, current_period_end: trialEnd ?? now + MONTH, quantity: 1 }],
        },
      };
      subscriptions.set(sub.id, sub);
      Object.assign(session, { status: 'complete', payment_status: 'paid', subscription: sub.id });
      await emit('checkout.session.completed', session);
      await emit('customer.subscription.created', sub);
      await emit('invoice.paid', invoiceFor(sub, 'paid'));
      return sub;
    },
    async cancelAtPeriodEnd(subscriptionId) {
      const s = subscriptions.get(subscriptionId)!;
      s.cancel_at_period_end = true;
      s.canceled_at = sec();
      await emit('customer.subscription.updated', s);
    },
    async endPeriod(subscriptionId, at = new Date()) {
      const s = subscriptions.get(subscriptionId)!;
      if (s.cancel_at_period_end) {
        Object.assign(s, { status: 'canceled', ended_at: sec(at), cancel_at_period_end: false });
        s.items.data[0]!.current_period_end = sec(at);
        await emit('customer.subscription.deleted', s);
      } else {
        s.items.data[0]!.current_period_start = sec(at);
        s.items.data[0]!.current_period_end = sec(at) + MONTH;
        await emit('customer.subscription.updated', s);
      }
    },
    async failPayment(subscriptionId) {
      const s = subscriptions.get(subscriptionId)!;
      s.status = 'past_due';
      await emit('invoice.payment_failed', invoiceFor(s, 'open'));
      await emit('customer.subscription.updated', s);
    },
    async payInvoice(subscriptionId) {
      const s = subscriptions.get(subscriptionId)!;
      s.status = 'active';
      await emit('invoice.paid', invoiceFor(s, 'paid'));
      await emit('customer.subscription.updated', s);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  function cancel(s: FakeSubscription) {
    const now = sec();
    Object.assign(s, { status: 'canceled', canceled_at: now, ended_at: now, cancel_at_period_end: false });
    return emit('customer.subscription.deleted', s).then(() => s);
  }

  const page = (title: string, body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

  async function api(method: string, path: string, form: URLSearchParams, headers: http.IncomingHttpHeaders): Promise<[number, unknown]> {
    const key = headers['idempotency-key'] as string | undefined;
    if (method === 'POST' && path === '/v1/customers') {
      if (key && idempotent.has(key)) return [200, customers.get(idempotent.get(key)!)];
      const c = { id: id('cus'), object: 'customer', name: form.get('name'), email: form.get('email'), metadata: mapOf(form, 'metadata') };
      customers.set(c.id, c);
      if (key) idempotent.set(key, c.id);
      return [200, c];
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const customer = form.get('customer');
      if (!customer || !customers.has(customer)) return [400, { error: { type: 'invalid_request_error', message: 'No such customer' } }];
      if (form.get('mode') !== 'subscription' || !form.get('line_items[0][price]')) {
        return [400, { error: { type: 'invalid_request_error', message: 'mode subscription and a price are required' } }];
      }
      const sid = id('cs_test');
      const trialEnd = form.get('subscription_data[trial_end]');
      const s = {
        id: sid,
        object: 'checkout.session',
        mode: 'subscription',
        status: 'open',
        payment_status: 'unpaid',
        customer,
        client_reference_id: form.get('client_reference_id'),
        metadata: mapOf(form, 'metadata'),
        subscription: null,
        success_url: form.get('success_url'),
        cancel_url: form.get('cancel_url'),
        url: `${fake.url}/checkout/${sid}`,
        price: form.get('line_items[0][price]'),
        quantity: Number(form.get('line_items[0][quantity]')),
        subscription_metadata: mapOf(form, 'subscription_data[metadata]'),
        ...(trialEnd ? { trial_end: Number(trialEnd) } : {}),
      };
      sessions.set(sid, s);
      return [200, s];
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      const customer = form.get('customer');
      if (!customer || !customers.has(customer)) return [400, { error: { type: 'invalid_request_error', message: 'No such customer' } }];
      const pid = id('bps');
      return [
        200,
        { id: pid, object: 'billing_portal.session', customer, return_url: form.get('return_url'), url: `${fake.url}/portal/${customer}` },
      ];
    }
    if (method === 'GET' && path === '/v1/subscriptions') {
      const customer = form.get('customer');
      const data = [...subscriptions.values()].filter((s) => !customer || s.customer === customer);
      return [200, { object: 'list', url: '/v1/subscriptions', has_more: false, data }];
    }
    const m = /^\/v1\/subscriptions\/([\w]+)$/.exec(path);
    if (m) {
      const s = subscriptions.get(m[1]!);
      if (!s) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such subscription' } }];
      if (method === 'GET') return [200, s];
      if (method === 'DELETE') return [200, await cancel(s)];
    }
    return [404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } }];
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const u = new URL(req.url ?? '/', 'http://fake');
        const body = Buffer.concat(chunks).toString('utf8');
        const html = (status: number, text: string) => {
          res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
          res.end(text);
        };
        // The hosted pages a browser visits.
        const co = /^\/checkout\/([\w]+)(\/pay)?$/.exec(u.pathname);
        if (co) {
          const s = sessions.get(co[1]!);
          if (!s) return html(404, page('Checkout', '<p>This checkout link is not valid.</p>'));
          if (req.method === 'POST' && co[2]) {
            await fake.pay(co[1]!);
            res.writeHead(303, { location: s.success_url as string });
            return res.end();
          }
          return html(
            200,
            page(
              'Subscribe to PackageTrack Pro',
              `<p>$80.00 per month, one facility.</p><form method="post" action="/checkout/${co[1]}/pay"><button type="submit">Pay</button></form>` +
                `<p><a href="${s.cancel_url}">Back</a></p>`,
            ),
          );
        }
        if (/^\/portal\//.test(u.pathname)) return html(200, page('Billing portal', '<p>Card, invoices and cancelling.</p>'));
        if (u.pathname === '/health') return html(200, 'ok');

        if (!/^Bearer sk_/.test(req.headers.authorization ?? '')) {
          res.writeHead(401, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }));
        }
        const form = formOf(body, u.search.slice(1));
        fake.requests.push({ method: req.method ?? 'GET', path: u.pathname, form });
        let status: number;
        let answer: unknown;
        if (fake.failNext > 0) {
          fake.failNext--;
          [status, answer] = [500, { error: { type: 'api_error', message: 'Stripe is down (fake)' } }];
        } else {
          [status, answer] = await api(req.method ?? 'GET', u.pathname, form, req.headers);
        }
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
        res.end(JSON.stringify(answer));
      })().catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** The app's environment for billing through `fake`. */
export const billingThrough = (fake: { url: string }, webhookSecret: string): Record<string, string> => ({
  STRIPE_SECRET_KEY: 'sk_test_fake',
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  STRIPE_PRICE_ID: 'price_test_facility',
  STRIPE_API_BASE: fake.url,
});
