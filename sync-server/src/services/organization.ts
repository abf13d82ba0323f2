// The organization page (owners run it, admins see it): its name and facilities, and switching a
// facility off and on. A deactivated facility keeps its history readable and exportable; its
// devices become read-only (sync-guards.ts assertWritable) until it is reactivated.
import type { Deps } from '../context.ts';
import { notFound } from '../http/errors.ts';
import {
  findOrganization,
  findOrganizationFacility,
  listOrganizationFacilities,
  renameOrganization,
  setFacilityActive,
} from '../repositories/facilities.ts';
import { cancelFacilitySubscription } from './billing.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export async function getOrganization(deps: Deps, actor: Actor) {
  authorize(actor, 'organization.read');
  const org = await findOrganization(deps.db.prisma, actor.organizationId);
  if (!org) throw notFound('Organization not found');
  // The owner sees every facility; an admin those they belong to.
  const facilities = await listOrganizationFacilities(deps.db.prisma, org.id, actor.isOrganizationOwner ? undefined : actor.user.id);
  return {
    id: org.id,
    name: org.name,
    isOwner: actor.isOrganizationOwner,
    facilities: facilities.map((f) => ({
      id: f.id,
      name: f.name,
      code: f.code,
      active: f.active,
      deactivatedAt: f.deactivatedAt,
      createdAt: f.createdAt,
      members: f._count.memberships,
    })),
  };
}

export async function updateOrganization(deps: Deps, actor: Actor, input: { name: string }) {
  authorize(actor, 'organization.manage');
  await renameOrganization(deps.db.prisma, actor.organizationId, input.name);
  return getOrganization(deps, actor);
}

/** Deactivates or reactivates a facility of the actor's organization (another one's is not found). */
export async function setFacilityState(deps: Deps, actor: Actor, facilityId: string, active: boolean) {
  authorize(actor, 'organization.manage');
  const f = await findOrganizationFacility(deps.db.prisma, actor.organizationId, facilityId);
  if (!f) throw notFound('Facility not found');
  if (f.active !== active) await setFacilityActive(deps.db.prisma, facilityId, active);
  // Deactivating stops its bill (prorated); reactivating does not subscribe again (the owner does).
  if (!active) await cancelFacilitySubscription(deps, facilityId);
  return getOrganization(deps, actor);
}
