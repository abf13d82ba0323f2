// The billing page and its two redirects (issue 11; docs/billing.md): one subscription per
// facility, one Stripe customer per organization. Every member reads their facility's state (the
// read-only banner is for everyone); admins and the owner see the organization's facilities; only
// the owner subscribes or opens the Customer Portal.
import {
  billingTimeline,
  calendarDaysLeft,
  MONTHLY_PRICE_CENTS,
  PAST_DUE_GRACE_DAYS,
  DAY_MS,
  type SubscriptionState,
} from '../../../src/lib/domain/billing.ts';
import type { Billing } from '../../../src/lib/domain/api-responses.ts';
import { can } from '../../../src/lib/domain/permissions.ts';
import { callStripe, stripeFor } from '../billing/stripe.ts';
import type { Deps } from '../context.ts';
import { billingEnabled } from '../env.ts';
import { AppError, notFound } from '../http/errors.ts';
import {
  claimOrganizationCustomer,
  findFacilityBilling,
  findOrganizationCustomer,
  listBillingFacilities,
} from '../repositories/billing.ts';
import { findOrganization } from '../repositories/facilities.ts';
import { authorize, type Actor } from './resolve-actor.ts';

type Row = SubscriptionState & { stripeSubscriptionId: string | null };

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A live Stripe subscription pays for the facility: another checkout would charge twice. */
const subscribed = (s: Row) => Boolean(s.stripeSubscriptionId) && (s.status === 'active' || s.status === 'past_due');

function facilityState(s: Row, now: Date) {
  const t = billingTimeline(s, now);
  return {
    status: t.status,
    access: t.access,
    trialEndsAt: s.trialEndsAt.toISOString(),
    readOnlySince: iso(t.readOnlySince),
    deleteAfter: iso(t.deleteAfter),
    pastDueSince: iso(s.pastDueSince),
    currentPeriodEnd: iso(s.currentPeriodEnd),
    cancelAtPeriodEnd: s.cancelAtPeriodEnd ?? false,
  };
}

export async function getBilling(deps: Deps, actor: Actor, now = new Date()): Promise<Billing> {
  authorize(actor, 'facility.read');
  const canRead = can(actor, 'billing.read');
  const enabled = billingEnabled(deps.env);
  const rows = await listBillingFacilities(deps.db.prisma, actor.organizationId, actor.isOrganizationOwner ? undefined : actor.user.id);
  const own = rows.find((r) => r.id === actor.facilityId);
  const sub = own?.subscription;
  const base = {
    enabled,
    facilityId: actor.facilityId,
    timezone: actor.facility.timezone,
    priceCents: MONTHLY_PRICE_CENTS,
    canManage: enabled && can(actor, 'billing.manage'),
  };
  if (!enabled || !sub) {
    // Billing off: no clock runs; the facility is fully usable and the page says so.
    return {
      ...base,
      status: 'active',
      access: 'full',
      trialEndsAt: null,
      trialDaysLeft: null,
      readOnlySince: null,
      deleteAfter: null,
      daysUntilDeletion: null,
      pastDueSince: null,
      writableUntil: null,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      facilities: null,
    };
  }
  const s = facilityState(sub, now);
  const tz = actor.facility.timezone;
  const t = billingTimeline(sub, now);
  return {
    ...base,
    ...s,
    trialDaysLeft: sub.status === 'trialing' ? calendarDaysLeft(sub.trialEndsAt, now, tz) : null,
    daysUntilDeletion: t.deleteAfter ? calendarDaysLeft(t.deleteAfter, now, tz) : null,
    writableUntil:
      sub.status === 'past_due' && sub.pastDueSince
        ? new Date(sub.pastDueSince.getTime() + PAST_DUE_GRACE_DAYS * DAY_MS).toISOString()
        : null,
    facilities: canRead
      ? rows.flatMap((r) =>
          r.subscription
            ? [{ id: r.id, name: r.name, active: r.active, ...facilityState(r.subscription, now), subscribed: subscribed(r.subscription) }]
            : [],
        )
      : null,
  };
}

const billingPage = (deps: Deps) => `${deps.env.PUBLIC_ORIGIN}/billing`;

/** The organization's Stripe customer, created on its first checkout. */
async function customerFor(deps: Deps, actor: Actor): Promise<string> {
  const existing = await findOrganizationCustomer(deps.db.prisma, actor.organizationId);
  if (existing) return existing;
  const org = await findOrganization(deps.db.prisma, actor.organizationId);
  const stripe = stripeFor(deps.env);
  const created = await callStripe('customers.create', () =>
    stripe.customers.create(
      { name: org?.name, email: actor.user.email, metadata: { organizationId: actor.organizationId } },
      // Two clicks at once create one customer.
      { idempotencyKey: `ptp-customer-${actor.organizationId}` },
    ),
  );
  return (await claimOrganizationCustomer(deps.db.prisma, actor.organizationId, created.id)) ?? created.id;
}

/** A Checkout Session for one facility of the owner's organization ($80/month, quantity 1). */
export async function startCheckout(deps: Deps, actor: Actor, input: { facilityId?: string }, now = new Date()) {
  authorize(actor, 'billing.manage');
  const facilityId = input.facilityId ?? actor.facilityId;
  const f = await findFacilityBilling(deps.db.prisma, facilityId);
  if (!f || f.organizationId !== actor.organizationId || !f.subscription) throw notFound('Facility not found');
  const stripe = stripeFor(deps.env);
  const sub = f.subscription;
  if (subscribed(sub)) throw new AppError(409, 'already_subscribed', `${f.name} already has a subscription; use Manage billing`);
  const customer = await customerFor(deps, actor);
  // The rest of our trial carries over as Stripe's trial (Stripe needs it at least 48 hours away).
  const trialLeftMs = sub.status === 'trialing' ? sub.trialEndsAt.getTime() - now.getTime() : 0;
  const session = await callStripe('checkout.sessions.create', () =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      line_items: [{ price: deps.env.STRIPE_PRICE_ID!, quantity: 1 }],
      client_reference_id: facilityId,
      metadata: { facilityId },
      subscription_data: {
        metadata: { facilityId, organizationId: actor.organizationId },
        ...(trialLeftMs > 2 * DAY_MS ? { trial_end: Math.floor(sub.trialEndsAt.getTime() / 1000) } : {}),
      },
      success_url: `${billingPage(deps)}?checkout=success`,
      cancel_url: `${billingPage(deps)}?checkout=canceled`,
    }),
  );
  if (!session.url) throw new AppError(502, 'billing_unavailable', 'Stripe did not return a Checkout page');
  return { url: session.url };
}

/** The Customer Portal of the organization's customer: card, invoices, cancelling. */
export async function openPortal(deps: Deps, actor: Actor) {
  authorize(actor, 'billing.manage');
  const stripe = stripeFor(deps.env);
  const customer = await findOrganizationCustomer(deps.db.prisma, actor.organizationId);
  if (!customer) throw new AppError(409, 'no_customer', 'Subscribe a facility first: there is nothing to manage yet');
  const session = await callStripe('billingPortal.sessions.create', () =>
    stripe.billingPortal.sessions.create({ customer, return_url: billingPage(deps) }),
  );
  return { url: session.url };
}

/**
 * Deactivating a facility cancels its subscription at once with proration (the unused part of the
 * month is credited). Best effort: the deactivation stands if Stripe cannot be reached (logged;
 * the owner can cancel in the Portal), and the webhook records the cancellation when it comes.
 */
export async function cancelFacilitySubscription(deps: Deps, facilityId: string) {
  if (!billingEnabled(deps.env)) return;
  const f = await findFacilityBilling(deps.db.prisma, facilityId);
  const s = f?.subscription;
  if (!s?.stripeSubscriptionId || !subscribed(s)) return;
  const id = s.stripeSubscriptionId;
  try {
    await callStripe('subscriptions.cancel', () => stripeFor(deps.env).subscriptions.cancel(id, { prorate: true, invoice_now: true }));
  } catch (err) {
    console.warn('[billing] could not cancel the subscription of deactivated facility', facilityId, (err as Error).message);
  }
}
