import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from '../../../src/lib/domain/account.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { listMemberships } from '../repositories/facilities.ts';
import { clearFailedLogins, findUserByEmail, recordFailedLogin } from '../repositories/users.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';

const invalid = () => new AppError(401, 'invalid_credentials', 'The email or password is not right');
const locked = () =>
  new AppError(423, 'locked', `Too many failed sign-ins; try again in ${LOCKOUT_MINUTES} minutes or reset your password`);

/**
 * Checks the password (bcrypt, same work whether the email exists or not), locks the account for
 * 15 minutes after 5 failures, and opens a session in the user's first facility.
 */
export async function logIn(deps: Deps, email: string, password: string) {
  const user = await findUserByEmail(deps.db.prisma, email);
  if (!user) {
    await burnPasswordCheck(password, deps.env.BCRYPT_COST);
    // Mirror the lockout for addresses without an account so 423 proves nothing.
    const res = await deps.rateLimits.unknownEmailFailures.get(email);
    if (res && res.consumedPoints >= MAX_FAILED_LOGINS) throw locked();
    await deps.rateLimits.unknownEmailFailures.penalty(email, 1);
    throw invalid();
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await burnPasswordCheck(password, deps.env.BCRYPT_COST);
    throw locked();
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    await recordFailedLogin(deps.db.prisma, user.id, MAX_FAILED_LOGINS, new Date(Date.now() + LOCKOUT_MINUTES * 60_000));
    throw invalid();
  }
  if (user.failedLoginCount > 0 || user.lockedUntil) await clearFailedLogins(deps.db.prisma, user.id);
  const memberships = await listMemberships(deps.db.prisma, user.id);
  const first = memberships.find((m) => m.facility.active) ?? memberships[0];
  const session = await deps.lucia.createSession(user.id, { activeFacilityId: first?.facilityId ?? null });
  return { sessionId: session.id };
}
