// How a Stripe subscription becomes a facility's subscription state (docs/billing.md). The webhook
// re-reads the subscription from Stripe and applies what it says now, so the result depends only
// on Stripe's current state and what is stored, never on the order events arrived in.
// Structural types (no `stripe` import): the browser bundle may load this file.
import { z } from 'zod';
import type { SubscriptionState, SubscriptionStatus } from './billing';

/** The parts of a Stripe Subscription object read here (API 2025+: the period lives on its items). */
export interface StripeSubscriptionLike {
  id: string;
  status: string;
  customer: string | { id: string };
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  metadata: Record<string, string>;
  items: { data: { current_period_end?: number | null }[] };
}

/** What is stored for a facility: the billing state and which Stripe subscription it comes from. */
export interface StoredSubscription extends SubscriptionState {
  stripeSubscriptionId: string | null;
}

export type StripeApplied = Pick<SubscriptionState, 'status' | 'currentPeriodEnd' | 'canceledAt' | 'pastDueSince' | 'cancelAtPeriodEnd'> & {
  stripeSubscriptionId: string;
};

const at = (seconds: number | null | undefined) => (seconds == null ? null : new Date(seconds * 1000));

export const stripeCustomerId = (s: Pick<StripeSubscriptionLike, 'customer'>) =>
  typeof s.customer === 'string' ? s.customer : s.customer.id;

/** The facility a subscription pays for: set in its metadata at checkout. */
export const facilityOfSubscription = (s: Pick<StripeSubscriptionLike, 'metadata'>) => {
  const id = s.metadata?.facilityId;
  return id && z.string().uuid().safeParse(id).success ? id : null;
};

/** The end of the paid period: the latest of its items' (one item here: the facility's price). */
function periodEnd(s: StripeSubscriptionLike): Date | null {
  const ends = s.items.data.map((i) => i.current_period_end).filter((e): e is number => typeof e === 'number');
  return ends.length ? at(Math.max(...ends)) : null;
}

/**
 * Stripe's status in ours: trialing (a trial Stripe runs on top of ours) and active are paid;
 * past_due and unpaid are a failed payment, writable for a grace from the first failure (kept
 * across re-reads); canceled and incomplete_expired ended at `ended_at`. Incomplete (a first
 * payment not yet made) and paused change nothing: null.
 */
export function stripeStatus(status: string): SubscriptionStatus | null {
  switch (status) {
    case 'active':
    case 'trialing':
      return 'active';
    case 'past_due':
    case 'unpaid':
      return 'past_due';
    case 'canceled':
    case 'incomplete_expired':
      return 'canceled';
    default:
      return null;
  }
}

/**
 * What to store for `sub` given what is stored now, or null to leave it. `seenAt` is when the
 * failure was first seen (the event's creation time) for a past_due that has no date yet.
 *
 * A facility pays through one subscription at a time: an ended subscription other than the stored
 * one (an old one whose late event arrives after a new checkout) never overwrites it; a live one
 * (a new checkout) replaces whatever is stored.
 */
export function applyStripeSubscription(stored: StoredSubscription, sub: StripeSubscriptionLike, seenAt: Date): StripeApplied | null {
  const status = stripeStatus(sub.status);
  if (!status) return null;
  const same = stored.stripeSubscriptionId === sub.id;
  if (!same && status === 'canceled' && stored.stripeSubscriptionId && stored.status !== 'canceled') return null;
  if (status === 'canceled') {
    const ended = at(sub.ended_at) ?? at(sub.canceled_at) ?? seenAt;
    return {
      stripeSubscriptionId: sub.id,
      status,
      currentPeriodEnd: ended,
      canceledAt: at(sub.canceled_at) ?? ended,
      pastDueSince: null,
      cancelAtPeriodEnd: false,
    };
  }
  const keptPastDue = same && stored.status === 'past_due' && stored.pastDueSince ? stored.pastDueSince : null;
  return {
    stripeSubscriptionId: sub.id,
    status,
    currentPeriodEnd: periodEnd(sub),
    canceledAt: null,
    pastDueSince: status === 'past_due' ? (keptPastDue && keptPastDue < seenAt ? keptPastDue : seenAt) : null,
    cancelAtPeriodEnd: status === 'active' && sub.cancel_at_period_end,
  };
}

/** POST /api/billing/checkout: which facility to subscribe (the active one when left out). */
export const checkoutInput = z.strictObject({ facilityId: z.string().uuid().optional() });

/** The webhook events that move a facility's state; every other type is recorded and ignored. */
export const BILLING_EVENT_TYPES = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;
