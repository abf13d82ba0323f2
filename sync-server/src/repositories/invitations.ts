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
