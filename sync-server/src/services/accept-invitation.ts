import type { Deps, SessionUser } from '../context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { ensureMembership } from '../repositories/facilities.ts';
import { findOpenInvitation, markInvitationAccepted } from '../repositories/invitations.ts';
import { createUser, findUserByEmail, markEmailVerified } from '../repositories/users.ts';
import { newId } from './ids.ts';
import { hashPassword } from './passwords.ts';
import { hashToken } from './tokens.ts';

const invalid = () => notFound('This invitation is invalid or has expired');

/** What the invitation page shows before the person accepts. */
export async function getInvitation(deps: Deps, token: string) {
  const inv = await findOpenInvitation(deps.db.prisma, hashToken(token));
  if (!inv || !inv.facility.active) throw invalid();
  return {
    email: inv.email,
    organizationName: inv.organization.name,
    facilityName: inv.facility.name,
    role: inv.role,
    existingUser: Boolean(await findUserByEmail(deps.db.prisma, inv.email)),
  };
}

/**
 * Joins the invitee to the facility with the invited role. A signed-in user joins as themselves;
 * a new person creates their account (name, password, 18+) with the invited email.
 */
export async function acceptInvitation(deps: Deps, token: string, as: { user: SessionUser } | { name: string; password: string }) {
  const inv = await findOpenInvitation(deps.db.prisma, hashToken(token));
  if (!inv || !inv.facility.active) throw invalid();
  // The invitation is for one address: a signed-in account with another email cannot use the link
  // (a forwarded or leaked link must not let anyone join the facility).
  if ('user' in as && as.user.email.toLowerCase() !== inv.email.toLowerCase()) {
    throw new AppError(403, 'wrong_account', 'This invitation was sent to another email address; sign in with that address');
  }
  const passwordHash = 'password' in as ? await hashPassword(as.password, deps.env.BCRYPT_COST) : null;

  const userId = await deps.db.transaction(async (tx) => {
    if (!(await markInvitationAccepted(tx, inv.id))) throw invalid();
    let id: string;
    if ('user' in as) {
      id = as.user.id;
    } else {
      if (await findUserByEmail(tx, inv.email)) {
        throw new AppError(409, 'account_exists', 'An account with this email exists; sign in, then open the link again');
      }
      id = (await createUser(tx, { id: newId(), email: inv.email, name: as.name, passwordHash: passwordHash! })).id;
    }
    await ensureMembership(tx, { id: newId(), userId: id, facilityId: inv.facilityId, role: inv.role });
    // The invitation reached this address.
    await markEmailVerified(tx, id);
    return id;
  });
  const session = await deps.lucia.createSession(userId, { activeFacilityId: inv.facilityId });
  return { sessionId: session.id, facilityId: inv.facilityId };
}
