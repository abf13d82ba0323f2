import type { Deps } from '../context.ts';
import { listMemberNames } from '../repositories/facilities.ts';
import { authorize, type Actor } from './resolve-actor.ts';

/**
 * Who is who in the active facility, for any member: names and roles only (no email), so a device
 * can say who did what in a package's timeline, offline too, from the copy it keeps.
 */
export async function listMembers(deps: Deps, actor: Actor) {
  authorize(actor, 'package.read');
  const rows = await listMemberNames(deps.db.prisma, actor.facilityId);
  return { members: rows.map((m) => ({ userId: m.user.id, name: m.user.name, role: m.role })) };
}
