import { INVITATION_TTL_DAYS } from '../../../src/lib/domain/account.ts';
import { ROLE_LABELS, type Role } from '../../../src/lib/domain/permissions.ts';
import type { Deps, SessionUser } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { findMembership } from '../repositories/facilities.ts';
import { createInvitation } from '../repositories/invitations.ts';
import { newId } from './ids.ts';
import { authorize } from './resolve-actor.ts';
import { hashToken, newToken } from './tokens.ts';

/**
 * An admin invites a person by email to one of their facilities with a role. The token travels
 * only in the email; without a mail provider (development) it is handed back so the inviter can
 * pass the link on.
 */
export async function inviteMember(deps: Deps, user: SessionUser, input: { email: string; role: Role; facilityId: string }) {
  const m = await findMembership(deps.db.prisma, user.id, input.facilityId);
  if (!m) throw notFound('Facility not found');
  authorize(m, 'team.invite');
  const token = newToken();
  const invitation = await createInvitation(deps.db.prisma, {
    id: newId(),
    organizationId: m.facility.organizationId,
    facilityId: m.facility.id,
    email: input.email,
    role: input.role,
    tokenHash: hashToken(token),
    invitedById: user.id,
    expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 24 * 3600 * 1000),
  });
  await deps.mailer.send({
    to: input.email,
    subject: `${user.name} invited you to ${m.facility.name} on PackageTrack Pro`,
    text:
      `${user.name} invited you to join ${m.facility.name} (${m.facility.organization.name}) as ${ROLE_LABELS[input.role]}.\n\n` +
      `Accept the invitation: ${deps.env.PUBLIC_ORIGIN}/invite/${token}\n\nThe link works for ${INVITATION_TTL_DAYS} days.`,
  });
  return { id: invitation.id, ...(deps.mailer.delivers ? {} : { token }) };
}
