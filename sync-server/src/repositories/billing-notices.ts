// The owner's billing notices (billing_notices): which were claimed or sent, claiming one before it
// is sent, and marking it sent or giving the claim back. Facility-scoped: every call runs in
// withFacility(facilityId), so row-level security keeps each facility's notices apart.
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { SUBSCRIPTION_STATE } from './facilities.ts';

type Db = PrismaClient | Tx;

/** What the notices job needs of every facility under billing: its subscription and owner. */
export const listFacilitiesForNotices = (db: Db) =>
  db.facility.findMany({
    where: { subscription: { isNot: null } },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      name: true,
      timezone: true,
      subscription: { select: SUBSCRIPTION_STATE },
      organization: { select: { owner: { select: { email: true, deletedAt: true } } } },
    },
  });

/** The facility's notices, claimed or sent; `sentAt` null is a claim still being sent (or lost). */
export const listBillingNotices = (tx: Tx, facilityId: string) =>
  tx.billingNotice.findMany({ where: { facilityId }, select: { id: true, kind: true, dueAt: true, sentAt: true, createdAt: true } });

/**
 * Claims the notice (facility, kind, due): answers true when this caller may send it. A new row
 * wins through the unique key (a concurrent claimer's insert does nothing); a claim never marked
 * sent and older than `staleBefore` (its sender died between claim and send) is taken over.
 */
export async function claimBillingNotice(
  tx: Tx,
  n: { id: string; facilityId: string; kind: string; dueAt: Date },
  staleBefore: Date,
): Promise<string | null> {
  const inserted = await tx.billingNotice.createMany({ data: [n], skipDuplicates: true });
  if (inserted.count === 1) return n.id;
  const stale = await tx.billingNotice.findFirst({
    where: { facilityId: n.facilityId, kind: n.kind, dueAt: n.dueAt, sentAt: null, createdAt: { lt: staleBefore } },
    select: { id: true },
  });
  if (!stale) return null;
  // Conditional on still being stale: of two takers, one updates the row and the other finds none.
  const taken = await tx.billingNotice.updateMany({
    where: { id: stale.id, facilityId: n.facilityId, sentAt: null, createdAt: { lt: staleBefore } },
    data: { createdAt: new Date() },
  });
  return taken.count === 1 ? stale.id : null;
}

export const markBillingNoticeSent = (tx: Tx, facilityId: string, id: string, sentAt: Date) =>
  tx.billingNotice.updateMany({ where: { id, facilityId }, data: { sentAt } });

/** The email failed: the claim goes, so the next run tries again. */
export const releaseBillingNotice = (tx: Tx, facilityId: string, id: string) =>
  tx.billingNotice.deleteMany({ where: { id, facilityId, sentAt: null } });
