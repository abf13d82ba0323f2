import type { Deps } from '../context.ts';
import { listTeam as teamOf } from '../repositories/facilities.ts';
import { listOpenInvitations } from '../repositories/invitations.ts';
import { authorize, type Actor } from './resolve-actor.ts';

export async function listTeam(deps: Deps, actor: Actor) {
  authorize(actor, 'team.read');
  const rows = await teamOf(deps.db.prisma, actor.facilityId);
  return { members: rows.map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, role: m.role })) };
}

export async function listInvitations(deps: Deps, actor: Actor) {
  authorize(actor, 'team.read');
  return { invitations: await listOpenInvitations(deps.db.prisma, actor.facilityId) };
}
