import { INVITATION_TTL_DAYS } from '../../../src/lib/domain/account.ts';
import { ROLE_LABELS, type Role } from '../../../src/lib/domain/permissions.ts';
import { TEAM_REFUSAL_MESSAGES } from '../../../src/lib/domain/team.ts';
import type { AuditType } from '../../../src/lib/domain/activity.ts';
import type { Deps, SessionUser } from '../context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { consume } from '../http/rate-limit.ts';
import { findMembership, isMemberByEmail } from '../repositories/facilities.ts';
import {
  createInvitation,
  deletePendingInvitation,
  findOpenInvitationFor,
  findPendingInvitation,
  renewInvitation,
} from '../repositories/invitations.ts';
import { recordAudit, type AuditEntry } from '../repositories/audit.ts';
import { newId } from './ids.ts';
import { authorize, type Actor } from './resolve-actor.ts';
import { hashToken, newToken } from './tokens.ts';

const expiry = () => new Date(Date.now() + INVITATION_TTL_DAYS * 24 * 3600 * 1000);

type FacilityOf = NonNullable<Awaited<ReturnType<typeof findMembership>>>['facility'];

async function sendInvitation(deps: Deps, inviter: SessionUser, facility: FacilityOf, email: string, role: Role, token: string) {
  await deps.mailer.send({
    to: email,
    subject: `${inviter.name} invited you to ${facility.name} on PackageTrack Pro`,
    text:
      `${inviter.name} invited you to join ${facility.name} (${facility.organization.name}) as ${ROLE_LABELS[role]}.\n\n` +
      `Accept the invitation: ${deps.env.PUBLIC_ORIGIN}/invite/${token}\n\nThe link works for ${INVITATION_TTL_DAYS} days.`,
  });
}

/**
 * An admin invites a person by email to one of their facilities with a role. The token travels
 * only in the email; without a mail provider (development) it is handed back so the inviter can
 * pass the link on. A member is not invited again, and an open invitation is resent, not doubled.
 */
export async function inviteMember(deps: Deps, user: SessionUser, input: { email: string; role: Role; facilityId: string }) {
  const m = await findMembership(deps.db.prisma, user.id, input.facilityId);
  if (!m) throw notFound('Facility not found');
  authorize(m, 'team.invite');
  if (await isMemberByEmail(deps.db.prisma, m.facility.id, input.email)) {
    throw new AppError(409, 'already_member', TEAM_REFUSAL_MESSAGES.already_member);
  }
  const open = await findOpenInvitationFor(deps.db.prisma, m.facility.id, input.email);
  if (open) throw new AppError(409, 'already_invited', TEAM_REFUSAL_MESSAGES.already_invited, { invitationId: open.id });
  await consume(
    deps.rateLimits.invitationsPerFacility,
    m.facility.id,
    1,
    'This facility has sent many invitations this hour; try again later',
  );
  const token = newToken();
  const invitation = await deps.db.withFacility(m.facility.id, async (tx) => {
    const created = await createInvitation(tx, {
      id: newId(),
      organizationId: m.facility.organizationId,
      facilityId: m.facility.id,
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedById: user.id,
      expiresAt: expiry(),
    });
    await recordAudit(tx, m.facility.id, [invitationAudit('member_invited', created.id, user.id, input.email, input.role)]);
    return created;
  });
  await sendInvitation(deps, user, m.facility, input.email, input.role, token);
  return { id: invitation.id, ...(deps.mailer.delivers ? {} : { token }) };
}

/** Sends an invitation of the active facility again with a new link; the old link dies. */
export async function resendInvitation(deps: Deps, actor: Actor, id: string) {
  authorize(actor, 'team.manage');
  const inv = await findPendingInvitation(deps.db.prisma, actor.facilityId, id);
  if (!inv) throw notFound('No such open invitation');
  await consume(
    deps.rateLimits.invitationsPerFacility,
    actor.facilityId,
    1,
    'This facility has sent many invitations this hour; try again later',
  );
  const token = newToken();
  const expiresAt = expiry();
  await deps.db.withFacility(actor.facilityId, async (tx) => {
    if (!(await renewInvitation(tx, actor.facilityId, id, hashToken(token), expiresAt))) throw notFound('No such open invitation');
    await recordAudit(tx, actor.facilityId, [invitationAudit('invitation_resent', id, actor.user.id, inv.email, inv.role)]);
  });
  await sendInvitation(deps, actor.user, actor.facility, inv.email, inv.role as Role, token);
  return { id, expiresAt, ...(deps.mailer.delivers ? {} : { token }) };
}

/** Withdraws an invitation of the active facility: its link stops working. */
export async function revokeInvitation(deps: Deps, actor: Actor, id: string) {
  authorize(actor, 'team.manage');
  await deps.db.withFacility(actor.facilityId, async (tx) => {
    const inv = await findPendingInvitation(tx, actor.facilityId, id);
    if (!inv || !(await deletePendingInvitation(tx, actor.facilityId, id))) throw notFound('No such open invitation');
    await recordAudit(tx, actor.facilityId, [invitationAudit('invitation_revoked', id, actor.user.id, inv.email, inv.role)]);
  });
}

/** The activity log's entry of an invitation: the address it went to and the role it offers. */
const invitationAudit = (type: AuditType, id: string, actorId: string, email: string, role: string): AuditEntry => ({
  type,
  subjectType: 'invitation',
  subjectId: id,
  actorId,
  data: { email, role },
});
