// POST /api/billing/webhook (issue 11; docs/billing.md). Stripe's events, signed with
// STRIPE_WEBHOOK_SECRET, each applied once: the event id is stored in the same transaction as its
// effect, so a redelivery (or two at once) changes nothing. Arrival order is never trusted: the
// event only says which subscription to look at; its current state is read back from Stripe and
// applied. The facility comes from the subscription's metadata (set at checkout) and must belong to
// the organization whose customer pays for it, so an event cannot reach another organization's
// facility.
import type Stripe from 'stripe';
import {
  applyStripeSubscription,
  BILLING_EVENT_TYPES,
  facilityOfSubscription,
  stripeCustomerId,
  type StripeSubscriptionLike,
} from '../../../src/lib/domain/billing-stripe.ts';
import { billingOff, callStripe, stripeFor } from '../billing/stripe.ts';
import type { Deps } from '../context.ts';
import { billingEnabled } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { findFacilityBilling, lockSubscription, recordStripeEvent, saveStripeState, stripeEventApplied } from '../repositories/billing.ts';

export type WebhookOutcome = 'applied' | 'unchanged' | 'duplicate' | 'ignored';

const badSignature = () => new AppError(400, 'bad_signature', 'The Stripe-Signature header does not match this body');

const idOf = (v: unknown): string | null =>
  typeof v === 'string'
    ? v
    : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string'
      ? (v as { id: string }).id
      : null;

/** Which subscription an event is about (invoices name it under `parent` since API 2025-03). */
function subscriptionIdOf(event: Stripe.Event): string | null {
  const o = event.data.object as unknown as Record<string, unknown>;
  if (event.type.startsWith('customer.subscription.')) return idOf(o.id);
  if (event.type === 'checkout.session.completed') return idOf(o.subscription);
  const parent = o.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
  return idOf(parent?.subscription_details?.subscription) ?? idOf(o.subscription);
}

export async function handleStripeWebhook(deps: Deps, body: string, signature: string | undefined): Promise<WebhookOutcome> {
  if (!billingEnabled(deps.env)) throw billingOff();
  if (!signature) throw badSignature();
  const stripe = stripeFor(deps.env);
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature, deps.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    throw badSignature();
  }
  if (await stripeEventApplied(deps.db.prisma, event.id)) return 'duplicate';

  const subscriptionId = (BILLING_EVENT_TYPES as readonly string[]).includes(event.type) ? subscriptionIdOf(event) : null;
  const record = (facilityId: string | null) =>
    deps.db.transaction((tx) => recordStripeEvent(tx, { id: event.id, type: event.type, facilityId }));
  if (!subscriptionId) return (await record(null)) ? 'ignored' : 'duplicate';

  // Stripe's current state, whatever order the events came in (a failure answers 502: Stripe retries).
  // Two events of one facility at once: the row lock orders their writes, and one whose read of
  // Stripe is older than the row's last change reads again, so the last write always carries the
  // newest read.
  for (let attempt = 1; ; attempt++) {
    const readAt = new Date();
    const sub = (await callStripe('subscriptions.retrieve', () =>
      stripe.subscriptions.retrieve(subscriptionId),
    )) as unknown as StripeSubscriptionLike;
    const facilityId = facilityOfSubscription(sub);
    const facility = facilityId ? await findFacilityBilling(deps.db.prisma, facilityId) : null;
    if (!facility || facility.organization.stripeCustomerId !== stripeCustomerId(sub)) {
      // Not ours, or metadata naming a facility of an organization this customer does not pay for.
      if (facilityId)
        console.warn('[billing] event', event.id, 'names facility', facilityId, 'not paid by customer', stripeCustomerId(sub));
      return (await record(null)) ? 'ignored' : 'duplicate';
    }
    const seenAt = new Date(event.created * 1000);
    const outcome = await deps.db.transaction(async (tx): Promise<WebhookOutcome | 'stale'> => {
      const stored = await lockSubscription(tx, facility.id);
      if (stored && stored.updatedAt > readAt && attempt < MAX_READS) return 'stale';
      if (!(await recordStripeEvent(tx, { id: event.id, type: event.type, facilityId: facility.id }))) return 'duplicate';
      if (!stored) return 'ignored';
      const next = applyStripeSubscription(stored, sub, seenAt);
      if (!next) return 'unchanged';
      await saveStripeState(tx, facility.id, stripeCustomerId(sub), next);
      return 'applied';
    });
    if (outcome !== 'stale') return outcome;
  }
}

/** Reads of Stripe per event when other events of the facility keep changing it meanwhile. */
const MAX_READS = 3;
