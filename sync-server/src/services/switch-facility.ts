import type { Deps, SessionUser } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { findMembership } from '../repositories/facilities.ts';
import { SessionRepository } from '../repositories/sessions.ts';

/** Makes a facility the session's active one; 404 when the user has no membership there. */
export async function switchFacility(deps: Deps, user: SessionUser, sessionId: string, facilityId: string) {
  const m = await findMembership(deps.db.prisma, user.id, facilityId);
  if (!m) throw notFound('Facility not found');
  await new SessionRepository(deps.db.prisma).setActiveFacility(sessionId, facilityId);
  return { activeFacilityId: facilityId };
}
