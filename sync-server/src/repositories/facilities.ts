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

/** The subscription columns billing.ts's time rules read (a row selected with this is a SubscriptionState). */
export const SUBSCRIPTION_STATE = {
  status: true,
  trialEndsAt: true,
  currentPeriodEnd: true,
  canceledAt: true,
  pastDueSince: true,
  cancelAtPeriodEnd: true,
} as const;

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

/**
 * The facility's memberships, locked until the transaction ends: two admins changing roles at
 * once are taken one after the other, so the last-admin rule sees the other's change.
 */
export async function lockTeam(tx: Tx, facilityId: string) {
  await tx.$queryRaw`SELECT id FROM memberships WHERE "facilityId" = ${facilityId}::uuid FOR UPDATE`;
  return tx.membership.findMany({ where: { facilityId }, select: { userId: true, role: true } });
}

export const setMemberRole = (db: Db, facilityId: string, userId: string, role: Role) =>
  db.membership.update({ where: { userId_facilityId: { userId, facilityId } }, data: { role } });

export const deleteMembership = (db: Db, facilityId: string, userId: string) =>
  db.membership.delete({ where: { userId_facilityId: { userId, facilityId } } });

/** The latest sync of each member's devices in the facility (sync_clients.updatedAt). */
export async function lastSyncByUser(db: Db, facilityId: string): Promise<Map<string, Date>> {
  const rows = await db.syncClient.groupBy({ by: ['userId'], where: { facilityId }, _max: { updatedAt: true } });
  return new Map(rows.flatMap((r) => (r._max.updatedAt ? [[r.userId, r._max.updatedAt] as const] : [])));
}

export const isMemberByEmail = async (db: Db, facilityId: string, email: string) =>
  (await db.membership.count({ where: { facilityId, user: { email } } })) > 0;

export const findOrganization = (db: Db, organizationId: string) =>
  db.organization.findUnique({ where: { id: organizationId }, select: { id: true, name: true, ownerUserId: true } });

export const renameOrganization = (db: Db, organizationId: string, name: string) =>
  db.organization.update({ where: { id: organizationId }, data: { name }, select: { id: true, name: true } });

/** The organization's facilities, or only those `userId` is a member of. */
export function listOrganizationFacilities(db: Db, organizationId: string, onlyMemberId?: string) {
  return db.facility.findMany({
    where: { organizationId, ...(onlyMemberId ? { memberships: { some: { userId: onlyMemberId } } } : {}) },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      name: true,
      code: true,
      active: true,
      deactivatedAt: true,
      createdAt: true,
      _count: { select: { memberships: true } },
    },
  });
}

export const findOrganizationFacility = (db: Db, organizationId: string, facilityId: string) =>
  db.facility.findFirst({ where: { id: facilityId, organizationId }, select: { id: true, active: true } });

export const setFacilityActive = (db: Db, facilityId: string, active: boolean) =>
  db.facility.update({ where: { id: facilityId }, data: { active, deactivatedAt: active ? null : new Date() } });

/** A facility's name by id (the unsubscribe page names where the messages come from). */
export const findFacilityName = async (db: Db, facilityId: string) =>
  (await db.facility.findUnique({ where: { id: facilityId }, select: { name: true } }))?.name ?? null;
