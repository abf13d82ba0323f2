// A user's own data: the profile they can correct, everything the export gathers about them, and
// the erasure when they delete their account. Account-level tables are read unscoped; the
// facility-owned ones (custody log, directory, notifications) only inside each facility's scoped
// transaction, one facility the user belongs to at a time.
import { FORMER_MEMBER_NAME, erasedEmail } from '../../../src/lib/domain/account.ts';
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Tx;

export const findProfile = (db: Db, userId: string) =>
  db.user.findFirst({
    where: { id: userId, deletedAt: null },
    select: { id: true, name: true, email: true, emailOptOut: true, createdAt: true },
  });

/** True when another account (deleted ones never: their address is erased) uses `email`. */
export const emailTakenByOther = async (db: Db, email: string, userId: string) =>
  (await db.user.count({ where: { email, id: { not: userId } } })) > 0;

/** A new email is unproven: the user no longer links to recipients until they verify it again. */
export const updateProfile = (db: Db, userId: string, data: { name?: string; email?: string; emailOptOut?: boolean }) =>
  db.user.update({
    where: { id: userId },
    data: data.email === undefined ? data : { ...data, emailVerifiedAt: null },
    select: { id: true, name: true, email: true, emailOptOut: true, createdAt: true },
  });

export const listOwnedOrganizations = (db: Db, userId: string) =>
  db.organization.findMany({ where: { ownerUserId: userId }, select: { id: true, name: true }, orderBy: { createdAt: 'asc' } });

export const listSessionTimes = (db: Db, userId: string) =>
  db.session.findMany({ where: { userId }, select: { id: true, createdAt: true, expiresAt: true }, orderBy: { createdAt: 'asc' } });

export const listInvitationsSent = (db: Db, userId: string) =>
  db.invitation.findMany({
    where: { invitedById: userId },
    select: { email: true, role: true, createdAt: true, expiresAt: true, acceptedAt: true, facility: { select: { name: true } } },
    orderBy: { createdAt: 'asc' },
  });

/** The custody events the user recorded in one facility, with each package's tracking number. */
export const listCustodyActions = (tx: Tx, facilityId: string, userId: string) =>
  tx.$queryRaw<{ type: string; at: Date; trackingNumber: string | null; carrier: string | null }[]>`
    SELECT e.type, e.at, p."trackingNumber", p.carrier
      FROM package_events e
      LEFT JOIN packages p ON p.id = e."packageId" AND p."facilityId" = e."facilityId"
     WHERE e."facilityId" = ${facilityId}::uuid AND e."actorId" = ${userId}::uuid
     ORDER BY e.at, e.id`;

/** Directory entries of one facility carrying the user's email address. */
export const listRecipientRecords = (tx: Tx, facilityId: string, email: string) =>
  tx.recipient.findMany({
    where: { facilityId, deletedAt: null, email: { equals: email, mode: 'insensitive' } },
    select: { name: true, email: true, phone: true, employeeId: true, notes: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
  });

/** Notifications of one facility addressed to the user. */
export const listNotificationsTo = (tx: Tx, facilityId: string, userId: string) =>
  tx.notification.findMany({
    where: { facilityId, userId, deletedAt: null },
    select: { kind: true, channel: true, status: true, createdAt: true, sentAt: true },
    orderBy: { createdAt: 'asc' },
  });

/**
 * Erases the account: name, email and password hash are replaced (the row stays so the custody
 * log's actorId keeps pointing at a row whose name is FORMER_MEMBER_NAME), and every membership,
 * session and password reset of the user is removed.
 */
export async function eraseUser(tx: Tx, userId: string, now: Date) {
  await tx.membership.deleteMany({ where: { userId } });
  await tx.session.deleteMany({ where: { userId } });
  await tx.passwordReset.deleteMany({ where: { userId } });
  await tx.user.update({
    where: { id: userId },
    data: {
      name: FORMER_MEMBER_NAME,
      email: erasedEmail(userId),
      // Not a bcrypt hash: no password ever compares equal to it.
      passwordHash: '',
      emailOptOut: true,
      failedLoginCount: 0,
      lockedUntil: null,
      deletedAt: now,
    },
  });
}

/** An admin membership of `userId` in one of the organization's facilities, if any. */
export const findAdminInOrganization = (db: Db, organizationId: string, userId: string) =>
  db.membership.findFirst({ where: { userId, role: 'admin', facility: { organizationId } }, select: { id: true } });

export const setOrganizationOwner = (db: Db, organizationId: string, userId: string) =>
  db.organization.update({ where: { id: organizationId }, data: { ownerUserId: userId } });
