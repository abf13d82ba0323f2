import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { consumePasswordReset, deletePasswordResets, setPasswordHash } from '../repositories/password-resets.ts';
import { deleteAllSessions } from '../repositories/sessions.ts';
import { markEmailVerified } from '../repositories/users.ts';
import { hashPassword } from './passwords.ts';
import { hashToken } from './tokens.ts';

/**
 * Sets a new password through an emailed reset link. The link works once; the reset also lifts a
 * login lockout (the person proved their mailbox) and ends every session, since whoever knew the
 * old password may hold one.
 */
export async function resetPassword(deps: Deps, token: string, password: string) {
  // Hashed before the transaction: bcrypt's work should not hold a database connection.
  const passwordHash = await hashPassword(password, deps.env.BCRYPT_COST);
  const done = await deps.db.transaction(async (tx) => {
    const userId = await consumePasswordReset(tx, hashToken(token), new Date());
    if (!userId) return false;
    await setPasswordHash(tx, userId, passwordHash);
    // The reset link reached this address.
    await markEmailVerified(tx, userId);
    await deletePasswordResets(tx, userId);
    await deleteAllSessions(tx, userId);
    return true;
  });
  if (!done) throw new AppError(400, 'invalid_token', 'This reset link is invalid, used or expired; ask for a new one');
}
