import { lastActivity } from '../../../src/lib/domain/team.ts';
import type { Deps } from '../context.ts';
import { lastSyncByUser, listTeam as teamOf } from '../repositories/facilities.ts';
import { listOpenInvitations } from '../repositories/invitations.ts';
import { authorize, type Actor } from './resolve-actor.ts';

/**
 * The facility's members with their last activity: the latest push of any of their devices in
 * this facility (sync_clients.updatedAt); null when they never synced a change here.
 */
export async function listTeam(deps: Deps, actor: Actor) {
  authorize(actor, 'team.read');
  const [rows, lastSync] = await Promise.all([
    teamOf(deps.db.prisma, actor.facilityId),
    // sync_clients is facility-owned: read under the facility's row-level scope.
    deps.db.withFacility(actor.facilityId, (tx) => lastSyncByUser(tx, actor.facilityId)),
  ]);
  return {
    members: rows.map((m) => ({
      userId: m.user.id,
      name: m.user.name,
      email: m.user.email,
      role: m.role,
      lastActiveAt: lastActivity([lastSync.get(m.user.id)]),
    })),
  };
}

export async function listInvitations(deps: Deps, actor: Actor) {
  authorize(actor, 'team.read');
  return { invitations: await listOpenInvitations(deps.db.prisma, actor.facilityId) };
}
