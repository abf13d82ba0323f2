// An admin changes a member's role or removes them (http-api.md "Team"). The last admin of a
// facility stays (team.ts); a removed member's sessions working in the facility end at once.
import type { Role } from '../../../src/lib/domain/permissions.ts';
import { TEAM_REFUSAL_MESSAGES, teamChangeRefusal } from '../../../src/lib/domain/team.ts';
import type { Deps } from '../context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { deleteMembership, lockTeam, setMemberRole } from '../repositories/facilities.ts';
import { recordAudit } from '../repositories/audit.ts';
import { deleteSessionsInFacility } from '../repositories/sessions.ts';
import { authorize, type Actor } from './resolve-actor.ts';

async function change(deps: Deps, actor: Actor, userId: string, next: Role | null) {
  authorize(actor, 'team.manage');
  // Facility-scoped: the activity log's entry commits with the change.
  await deps.db.withFacility(actor.facilityId, async (tx) => {
    const team = await lockTeam(tx, actor.facilityId);
    const refusal = teamChangeRefusal(
      team.map((m) => ({ userId: m.userId, role: m.role as Role })),
      userId,
      next,
    );
    if (refusal === 'not_member') throw notFound('No such member in this facility');
    if (refusal) throw new AppError(409, refusal, TEAM_REFUSAL_MESSAGES[refusal]);
    const from = team.find((m) => m.userId === userId)!.role;
    if (next) {
      await setMemberRole(tx, actor.facilityId, userId, next);
    } else {
      await deleteMembership(tx, actor.facilityId, userId);
      await deleteSessionsInFacility(tx, userId, actor.facilityId);
    }
    await recordAudit(tx, actor.facilityId, [
      next
        ? { type: 'member_role_changed', subjectType: 'member', subjectId: userId, actorId: actor.user.id, data: { from, to: next } }
        : { type: 'member_removed', subjectType: 'member', subjectId: userId, actorId: actor.user.id, data: { role: from } },
    ]);
  });
}

export async function changeMemberRole(deps: Deps, actor: Actor, userId: string, role: Role) {
  await change(deps, actor, userId, role);
  return { userId, role };
}

export const removeMember = (deps: Deps, actor: Actor, userId: string) => change(deps, actor, userId, null);
