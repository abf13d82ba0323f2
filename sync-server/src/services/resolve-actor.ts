// Who is acting, where, and with which role: the session's active facility (decided on the
// server) and the membership there. Every facility-scoped route starts here.
import { can, type Action, type Role } from '../../../src/lib/domain/permissions.ts';
import type { Deps, SessionUser } from '../context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { findMembership } from '../repositories/facilities.ts';

export interface Actor {
  user: SessionUser;
  sessionId: string;
  facilityId: string;
  organizationId: string;
  role: Role;
  isOrganizationOwner: boolean;
  /** The facility as loaded with the membership (no second query for it). */
  facility: NonNullable<Awaited<ReturnType<typeof findMembership>>>['facility'];
}

export async function resolveActor(
  deps: Deps,
  session: { user: SessionUser; sessionId: string; activeFacilityId: string | null },
): Promise<Actor> {
  if (!session.activeFacilityId) throw new AppError(409, 'no_active_facility', 'Choose a facility first');
  const m = await findMembership(deps.db.prisma, session.user.id, session.activeFacilityId);
  if (!m) throw notFound('Facility not found');
  return {
    user: session.user,
    sessionId: session.sessionId,
    facilityId: m.facility.id,
    organizationId: m.facility.organizationId,
    role: m.role,
    isOrganizationOwner: m.isOrganizationOwner,
    facility: m.facility,
  };
}

/** Refuses (403) unless the permission table allows the actor's role the action. */
export function authorize(actor: Pick<Actor, 'role' | 'isOrganizationOwner'>, action: Action): void {
  if (!can(actor, action)) throw new AppError(403, 'forbidden', 'Your role does not allow this');
}
