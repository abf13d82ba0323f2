// Organizations, facilities and memberships (account level). Every function that reads a
// facility's data takes the facility id it is scoped to.
import type { Role } from '../../../src/lib/domain/permissions.ts';
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Tx;

export function createOrganization(db: Db, data: { id: string; name: string; ownerUserId: string }) {
  return db.organization.create({ data });
}

export function createFacility(
  db: Db,
  data: { id: string; organizationId: string; name: string; code: string; timezone: string; pickupKey: string; trialEndsAt: Date },
) {
  const { trialEndsAt, ...facility } = data;
  return db.facility.create({
    data: { ...facility, subscription: { create: { status: 'trialing', trialEndsAt } } },
  });
}

export const facilityCodeTaken = async (db: Db, code: string) => (await db.facility.count({ where: { code } })) > 0;

export function addMembership(db: Db, data: { id: string; userId: string; facilityId: string; role: Role }) {
  return db.membership.upsert({
    where: { userId_facilityId: { userId: data.userId, facilityId: data.facilityId } },
    create: data,
    update: { role: data.role },
  });
}

/** Adds a membership unless the user already has one there (an invitation never changes a role). */
export function ensureMembership(db: Db, data: { id: string; userId: string; facilityId: string; role: Role }) {
  return db.membership.upsert({
    where: { userId_facilityId: { userId: data.userId, facilityId: data.facilityId } },
    create: data,
    update: {},
  });
}

/** The user's membership in one facility, with what the permission table needs. */
export async function findMembership(db: Db, userId: string, facilityId: string) {
  const m = await db.membership.findUnique({
    where: { userId_facilityId: { userId, facilityId } },
    include: { facility: { include: { organization: { select: { id: true, name: true, ownerUserId: true } } } } },
  });
  if (!m) return null;
  return {
    role: m.role as Role,
    isOrganizationOwner: m.facility.organization.ownerUserId === userId,
    facility: m.facility,
  };
}

export function listMemberships(db: Db, userId: string) {
  return db.membership.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    include: { facility: { include: { organization: { select: { id: true, name: true, ownerUserId: true } } } } },
  });
}

export function listTeam(db: Db, facilityId: string) {
  return db.membership.findMany({
    where: { facilityId },
    orderBy: { createdAt: 'asc' },
    include: { user: { select: { id: true, name: true, email: true } } },
  });
}

export const findSubscription = (db: Db, facilityId: string) => db.subscription.findUnique({ where: { facilityId } });

export const listFacilityIds = async (db: Db) => (await db.facility.findMany({ select: { id: true } })).map((f) => f.id);

/** Names and roles of a facility's members (what a device shows in a package's timeline). */
export function listMemberNames(db: Db, facilityId: string) {
  return db.membership.findMany({
    where: { facilityId },
    orderBy: { createdAt: 'asc' },
    select: { role: true, user: { select: { id: true, name: true } } },
  });
}
