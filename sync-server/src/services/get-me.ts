import type { Deps, SessionUser } from '../context.ts';
import { listMemberships } from '../repositories/facilities.ts';
import { findProfile } from '../repositories/my-data.ts';

/** http-api.md `GET /api/me`. */
export async function getMe(deps: Deps, user: SessionUser, activeFacilityId: string | null) {
  const [memberships, profile] = await Promise.all([listMemberships(deps.db.prisma, user.id), findProfile(deps.db.prisma, user.id)]);
  const organizations = new Map<string, { id: string; name: string; isOwner: boolean }>();
  for (const m of memberships) {
    const o = m.facility.organization;
    organizations.set(o.id, { id: o.id, name: o.name, isOwner: o.ownerUserId === user.id });
  }
  const active = memberships.some((m) => m.facilityId === activeFacilityId) ? activeFacilityId : null;
  return {
    user: { id: user.id, name: user.name, email: user.email, emailOptOut: profile?.emailOptOut ?? false },
    organizations: [...organizations.values()],
    memberships: memberships.map((m) => ({
      facilityId: m.facilityId,
      facilityName: m.facility.name,
      facilityCode: m.facility.code,
      organizationId: m.facility.organizationId,
      role: m.role,
      active: m.facility.active,
    })),
    activeFacilityId: active,
  };
}
