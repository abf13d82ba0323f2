// Invitations: a token (only its hash is stored) joins a person to one facility with a role.
import type { Role } from '../../../src/lib/domain/permissions.ts';
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Tx;

export function createInvitation(
  db: Db,
  data: {
    id: string;
    organizationId: string;
    facilityId: string;
    email: string;
    role: Role;
    tokenHash: string;
    invitedById: string;
    expiresAt: Date;
  },
) {
  return db.invitation.create({ data });
}

export function findOpenInvitation(db: Db, tokenHash: string) {
  return db.invitation.findFirst({
    where: { tokenHash, acceptedAt: null, expiresAt: { gt: new Date() } },
    include: { facility: { select: { id: true, name: true, active: true } }, organization: { select: { name: true } } },
  });
}

export function listOpenInvitations(db: Db, facilityId: string) {
  return db.invitation.findMany({
    where: { facilityId, acceptedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, email: true, role: true, expiresAt: true },
  });
}

/** Marks the invitation used; false when another request used it first. */
export async function markInvitationAccepted(db: Db, id: string): Promise<boolean> {
  const r = await db.invitation.updateMany({ where: { id, acceptedAt: null }, data: { acceptedAt: new Date() } });
  return r.count === 1;
}

/** The open (not yet accepted, not expired) invitation of `email` to the facility, if any. */
export const findOpenInvitationFor = (db: Db, facilityId: string, email: string) =>
  db.invitation.findFirst({ where: { facilityId, email, acceptedAt: null, expiresAt: { gt: new Date() } }, select: { id: true } });

/** An invitation of the facility not accepted yet (expired ones too: resending revives them). */
export const findPendingInvitation = (db: Db, facilityId: string, id: string) =>
  db.invitation.findFirst({ where: { id, facilityId, acceptedAt: null } });

/** A new token and expiry: the old link stops working at once. */
export async function renewInvitation(db: Db, facilityId: string, id: string, tokenHash: string, expiresAt: Date): Promise<boolean> {
  const r = await db.invitation.updateMany({ where: { id, facilityId, acceptedAt: null }, data: { tokenHash, expiresAt } });
  return r.count === 1;
}

export async function deletePendingInvitation(db: Db, facilityId: string, id: string): Promise<boolean> {
  const r = await db.invitation.deleteMany({ where: { id, facilityId, acceptedAt: null } });
  return r.count === 1;
}
