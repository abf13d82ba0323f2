// The Stripe SDK, configured from the environment: api.stripe.com, or any Stripe-compatible
// endpoint at STRIPE_API_BASE (the tests' fake). A short timeout and one retry: a person waits on
// Checkout and Portal redirects, and the webhook is retried by Stripe anyway.
import Stripe from 'stripe';
import type { Env } from '../env.ts';
import { AppError } from '../http/errors.ts';

type StripeEnv = Pick<Env, 'STRIPE_SECRET_KEY' | 'STRIPE_API_BASE'>;

const clients = new WeakMap<object, Stripe>();

/** Billing off (no key): the routes answer 503 `billing_off`. */
export const billingOff = () =>
  new AppError(503, 'billing_off', 'Billing is not configured on this server: every facility stays fully usable');

export function stripeFor(env: StripeEnv): Stripe {
  if (!env.STRIPE_SECRET_KEY) throw billingOff();
  let client = clients.get(env);
  if (!client) {
    const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
    client = new Stripe(env.STRIPE_SECRET_KEY, {
      timeout: 10_000,
      maxNetworkRetries: 1,
      // No request-latency telemetry sent to Stripe (nothing about our traffic leaves but the calls).
      telemetry: false,
      ...(base
        ? {
            host: base.hostname,
            port: Number(base.port) || (base.protocol === 'http:' ? 80 : 443),
            protocol: base.protocol === 'http:' ? 'http' : 'https',
          }
        : {}),
    });
    clients.set(env, client);
  }
  return client;
}

/**
 * A Stripe call whose failure is Stripe's (unreachable, refused): 502 `billing_unavailable`, so a
 * person sees "try again" and the webhook answers non-2xx (Stripe delivers it again later).
 */
export async function callStripe<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as { type?: string; statusCode?: number; message?: string };
    console.warn('[billing] stripe', what, e.type ?? '', e.statusCode ?? '', e.message ?? err);
    throw new AppError(502, 'billing_unavailable', 'Stripe could not be reached; try again in a moment');
  }
}
