import { PASSWORD_RESET_TTL_MINUTES } from '../../../src/lib/domain/account.ts';
import type { Deps } from '../context.ts';
import { replacePasswordReset } from '../repositories/password-resets.ts';
import { findUserByEmail } from '../repositories/users.ts';
import { newId } from './ids.ts';
import { hashToken, newToken } from './tokens.ts';

/**
 * Every answer takes at least this long, so a known address (a database write) and an unknown one
 * (a single lookup) cannot be told apart by timing; the email itself is sent off the request path.
 */
export const PASSWORD_RESET_MIN_MS = 250;

/**
 * Emails a single-use reset link valid for 30 minutes to the address, if it has an account. The
 * caller learns nothing either way (no account enumeration): the answer, and its timing, is the same.
 */
export async function requestPasswordReset(deps: Deps, email: string): Promise<void> {
  const floor = new Promise((r) => setTimeout(r, PASSWORD_RESET_MIN_MS));
  const user = await findUserByEmail(deps.db.prisma, email);
  if (user) {
    const token = newToken();
    await deps.db.transaction((tx) =>
      replacePasswordReset(tx, {
        id: newId(),
        userId: user.id,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MINUTES * 60_000),
      }),
    );
    // Not awaited: a mail provider's latency would otherwise tell known addresses apart. A failure
    // is logged without the address or the link (the person can simply ask again).
    deps.mailer
      .send({
        to: user.email,
        subject: 'Reset your PackageTrack Pro password',
        text:
          `Someone (hopefully you) asked to reset the password of your PackageTrack Pro account.\n\n` +
          `Choose a new password: ${deps.env.PUBLIC_ORIGIN}/reset-password/${token}\n\n` +
          `The link works once, for ${PASSWORD_RESET_TTL_MINUTES} minutes. If you did not ask, ignore this email; your password stays as it is.`,
      })
      .catch((e: unknown) => console.error('[mail] password reset email failed:', e instanceof Error ? e.message : e));
  }
  await floor;
}
