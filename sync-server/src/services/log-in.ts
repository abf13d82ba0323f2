import { LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from '../../../src/lib/domain/account.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { listMemberships } from '../repositories/facilities.ts';
import { claimPasswordCheck, clearFailedLogins, findUserByEmail } from '../repositories/users.ts';
import { consume, tryConsume } from '../http/rate-limit.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';

const invalid = () => new AppError(401, 'invalid_credentials', 'The email or password is not right');
const locked = () =>
  new AppError(423, 'locked', `Too many failed sign-ins; try again in ${LOCKOUT_MINUTES} minutes or reset your password`);

/**
 * Checks the password (bcrypt, same work whether the email exists or not) and opens a session in
 * the user's first facility. Each check is counted before bcrypt runs, atomically, so parallel
 * guesses cannot outrun the lockout: at most 5 wrong passwords are compared per 15 minutes, and
 * inside a lock even the right one answers 423. Each account also has its own rate limit beside the
 * per-address one, so guesses spread over many addresses are slowed too.
 */
export async function logIn(deps: Deps, email: string, password: string) {
  await consume(deps.rateLimits.account, `login:${email}`);
  const user = await findUserByEmail(deps.db.prisma, email);
  if (!user) {
    // Mirror the lockout for addresses without an account so 423 proves nothing.
    const lockedOut = !(await tryConsume(deps.rateLimits.unknownEmailFailures, email));
    await burnPasswordCheck(password, deps.env.BCRYPT_COST);
    throw lockedOut ? locked() : invalid();
  }
  if (!(await claimPasswordCheck(deps.db.prisma, user.id, MAX_FAILED_LOGINS, LOCKOUT_MINUTES))) {
    await burnPasswordCheck(password, deps.env.BCRYPT_COST);
    throw locked();
  }
  if (!(await verifyPassword(password, user.passwordHash))) throw invalid();
  await clearFailedLogins(deps.db.prisma, user.id);
  const memberships = await listMemberships(deps.db.prisma, user.id);
  const first = memberships.find((m) => m.facility.active) ?? memberships[0];
  const session = await deps.lucia.createSession(user.id, { activeFacilityId: first?.facilityId ?? null });
  return { sessionId: session.id };
}
