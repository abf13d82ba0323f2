// A facility's settings and its pickup key (account level: the facilities table has no row-level
// policy of its own, so every query here names the facility it reads or writes).
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Tx;

export function updateFacilitySettings(
  db: Db,
  facilityId: string,
  data: {
    name?: string;
    timezone?: string;
    photoRetentionDays?: number;
    reminderIntervalHours?: number;
    signatureRequired?: boolean;
    quietHoursStart?: string | null;
    quietHoursEnd?: string | null;
    notifyEmailDefault?: boolean;
    notifySmsDefault?: boolean;
    settingsReviewedAt?: Date;
    holdNoteInNotifications?: boolean;
    aiEnabled?: boolean;
  },
) {
  return db.facility.update({ where: { id: facilityId }, data });
}

export const findFacility = (db: Db, facilityId: string) => db.facility.findUnique({ where: { id: facilityId } });

/**
 * Sets the facility's pickup key unless it has one, then reads the key it has: two requests racing
 * here both end with the one key that was stored first.
 */
export async function ensurePickupKey(db: Db, facilityId: string, candidate: string): Promise<string | null> {
  await db.facility.updateMany({ where: { id: facilityId, pickupKey: null }, data: { pickupKey: candidate } });
  const f = await db.facility.findUnique({ where: { id: facilityId }, select: { pickupKey: true } });
  return f?.pickupKey ?? null;
}

/** What a package's pickup code binds (facility-scoped: run inside `withFacility`). */
export const findPackageForPickup = (tx: Tx, facilityId: string, packageId: string) =>
  tx.package.findFirst({
    where: { id: packageId, facilityId, deletedAt: null },
    select: { id: true, facilityId: true, recipientId: true, recipientName: true, status: true },
  });
