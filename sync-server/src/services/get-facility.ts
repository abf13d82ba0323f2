import type { Deps } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { findMembership } from '../repositories/facilities.ts';
import type { Actor } from './resolve-actor.ts';

/** The active facility as its members see it. */
export async function getFacility(deps: Deps, actor: Actor) {
  const m = await findMembership(deps.db.prisma, actor.user.id, actor.facilityId);
  if (!m) throw notFound('Facility not found');
  const f = m.facility;
  return {
    id: f.id,
    name: f.name,
    code: f.code,
    timezone: f.timezone,
    photoRetentionDays: f.photoRetentionDays,
    reminderIntervalHours: f.reminderIntervalHours,
    active: f.active,
    organizationId: f.organizationId,
    organizationName: f.organization.name,
    role: actor.role,
    isOrganizationOwner: actor.isOrganizationOwner,
  };
}
