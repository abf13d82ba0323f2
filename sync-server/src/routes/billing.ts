// Billing (issue 11; http-api.md "Billing (per facility)"; docs/billing.md).
import { createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { billingRedirectResponse, billingResponse } from '../../../src/lib/domain/api-responses.ts';
import { checkoutInput } from '../../../src/lib/domain/billing-stripe.ts';
import { actorOf } from '../http/actor.ts';
import { AppError } from '../http/errors.ts';
import { getBilling, openPortal, startCheckout } from '../services/billing.ts';
import { handleStripeWebhook } from '../services/stripe-webhook.ts';
import { errors, json, router } from './openapi.ts';

/** Stripe's events are a few kilobytes; nothing larger is read. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const getRoute = createRoute({
  method: 'get',
  path: '/api/billing',
  tags: ['billing'],
  description:
    "The active facility's plan state (every member: the banners), and the organization's facilities for admins and the owner. " +
    'With billing off (no Stripe keys): enabled false, status active, access full.',
  responses: { 200: json(billingResponse, 'Plan state'), ...errors(401, 403, 404, 409) },
});

const checkoutRoute = createRoute({
  method: 'post',
  path: '/api/billing/checkout',
  tags: ['billing'],
  description:
    'A Stripe Checkout page subscribing one facility ($80/month). Organization owner only. 409 already_subscribed; 503 billing_off.',
  request: { body: { content: { 'application/json': { schema: checkoutInput } }, required: false } },
  responses: { 200: json(billingRedirectResponse, 'Where to send the browser'), ...errors(400, 401, 403, 404, 409, 502, 503) },
});

const portalRoute = createRoute({
  method: 'post',
  path: '/api/billing/portal',
  tags: ['billing'],
  description:
    'The Stripe Customer Portal of the organization (card, invoices, cancelling). Owner only. 409 no_customer before a first checkout.',
  responses: { 200: json(billingRedirectResponse, 'Where to send the browser'), ...errors(401, 403, 404, 409, 502, 503) },
});

const webhookRoute = createRoute({
  method: 'post',
  path: '/api/billing/webhook',
  tags: ['billing'],
  description:
    'Stripe events, verified with the Stripe-Signature header and STRIPE_WEBHOOK_SECRET (400 bad_signature, nothing changes). ' +
    'No session or Origin. Each event id is applied once; the subscription is re-read from Stripe, so order does not matter.',
  request: { headers: z.object({ 'stripe-signature': z.string().optional() }) },
  responses: {
    200: json(z.object({ received: z.literal(true), outcome: z.enum(['applied', 'unchanged', 'duplicate', 'ignored']) }), 'Taken'),
    ...errors(400, 413, 502, 503),
  },
});

const webhookLimit = bodyLimit({
  maxSize: WEBHOOK_BODY_LIMIT,
  onError: () => {
    throw new AppError(413, 'payload_too_large', `Webhook bodies are limited to ${WEBHOOK_BODY_LIMIT} bytes`);
  },
});

export const billingRoutes = router();
billingRoutes.use('/api/billing/webhook', webhookLimit);

export const billingRouter = billingRoutes
  .openapi(getRoute, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await getBilling(c.get('deps'), await actorOf(c)), 200);
  })
  .openapi(checkoutRoute, async (c) => {
    const raw = await c.req.text();
    let body: unknown = {};
    if (raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new AppError(400, 'invalid_input', 'The body is not JSON');
      }
    }
    const input = checkoutInput.parse(body);
    return c.json(await startCheckout(c.get('deps'), await actorOf(c), input), 200);
  })
  .openapi(portalRoute, async (c) => c.json(await openPortal(c.get('deps'), await actorOf(c)), 200))
  .openapi(webhookRoute, async (c) => {
    // The signature covers the exact bytes: read them raw, never re-serialized JSON.
    const outcome = await handleStripeWebhook(c.get('deps'), await c.req.text(), c.req.header('stripe-signature'));
    return c.json({ received: true as const, outcome }, 200);
  });
