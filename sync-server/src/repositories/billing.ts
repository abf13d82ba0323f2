// Billing rows: the organization's Stripe customer, each facility's subscription, and the webhook
// events already applied. Subscriptions and organizations are account-level tables (no facility
// scope of their own); every function names the facility or organization it touches.
import type { StripeApplied } from '../../../src/lib/domain/billing-stripe.ts';
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Tx;

export const findOrganizationCustomer = async (db: Db, organizationId: string) =>
  (await db.organization.findUnique({ where: { id: organizationId }, select: { stripeCustomerId: true } }))?.stripeCustomerId ?? null;

/**
 * Records the organization's customer unless one is already there (two checkouts at once: the
 * first one stored wins, and both read it back).
 */
export async function claimOrganizationCustomer(db: Db, organizationId: string, customerId: string): Promise<string | null> {
  await db.organization.updateMany({ where: { id: organizationId, stripeCustomerId: null }, data: { stripeCustomerId: customerId } });
  return findOrganizationCustomer(db, organizationId);
}

/** The organization's facilities with their subscriptions (the billing page; `onlyMemberId`: an admin's). */
export function listBillingFacilities(db: Db, organizationId: string, onlyMemberId?: string) {
  return db.facility.findMany({
    where: { organizationId, ...(onlyMemberId ? { memberships: { some: { userId: onlyMemberId } } } : {}) },
    orderBy: { createdAt: 'asc' },
    select: { id: true, name: true, active: true, timezone: true, subscription: true },
  });
}

/** A facility with its organization's customer, for the webhook's check that they belong together. */
export const findFacilityBilling = (db: Db, facilityId: string) =>
  db.facility.findUnique({
    where: { id: facilityId },
    select: { id: true, name: true, organizationId: true, organization: { select: { stripeCustomerId: true } }, subscription: true },
  });

/** Locks the facility's subscription row for the rest of the transaction (webhooks may race). */
export async function lockSubscription(tx: Tx, facilityId: string) {
  await tx.$queryRaw`SELECT 1 FROM subscriptions WHERE "facilityId" = ${facilityId}::uuid FOR UPDATE`;
  return tx.subscription.findUnique({ where: { facilityId } });
}

export const saveStripeState = (tx: Tx, facilityId: string, customerId: string, s: StripeApplied) =>
  tx.subscription.update({ where: { facilityId }, data: { ...s, stripeCustomerId: customerId } });

/** Records an event as applied; false when it already was (a redelivery changes nothing). */
export async function recordStripeEvent(tx: Tx, e: { id: string; type: string; facilityId: string | null }): Promise<boolean> {
  const { count } = await tx.stripeEvent.createMany({ data: [e], skipDuplicates: true });
  return count === 1;
}

export const stripeEventApplied = async (db: Db, id: string) => (await db.stripeEvent.count({ where: { id } })) > 0;
