import type { Deps, SessionUser } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { findPasswordHash, setPasswordHash } from '../repositories/password-resets.ts';
import { deleteOtherSessions } from '../repositories/sessions.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

/**
 * A signed-in user replaces their password after proving the current one. Every other session
 * ends (a device someone else holds loses access); the one that made the change stays.
 */
export async function changePassword(
  deps: Deps,
  user: SessionUser,
  sessionId: string,
  input: { currentPassword: string; newPassword: string },
) {
  const current = await findPasswordHash(deps.db.prisma, user.id);
  if (!current || !(await verifyPassword(input.currentPassword, current))) {
    throw new AppError(401, 'invalid_credentials', 'The current password is not right');
  }
  const passwordHash = await hashPassword(input.newPassword, deps.env.BCRYPT_COST);
  await deps.db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash);
    await deleteOtherSessions(tx, user.id, sessionId);
  });
}
