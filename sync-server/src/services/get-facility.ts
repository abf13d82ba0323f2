import type { Actor } from './resolve-actor.ts';

/** The active facility as its members see it. */
export function getFacility(actor: Actor) {
  const f = actor.facility;
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
