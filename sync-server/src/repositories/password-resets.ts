// Password resets and the credential writes they lead to (account level, not facility-owned).
// The lockout counters are cleared here rather than through users.ts's login functions: a reset
// proves the mailbox, which is a different event from a successful sign-in.
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Tx;

/** Stores a new reset and retires every older one of the user: only the latest email works. */
export async function replacePasswordReset(db: Tx, data: { id: string; userId: string; tokenHash: string; expiresAt: Date }) {
  await db.passwordReset.deleteMany({ where: { userId: data.userId } });
  return db.passwordReset.create({ data });
}

/**
 * Uses the reset with this token hash if it is open (unused, unexpired) and answers its user; null
 * when there is none or another request used it first (the conditional update is the single-use lock).
 */
export async function consumePasswordReset(db: Tx, tokenHash: string, now: Date): Promise<string | null> {
  const used = await db.passwordReset.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (used.count !== 1) return null;
  const row = await db.passwordReset.findUnique({ where: { tokenHash }, select: { userId: true } });
  return row?.userId ?? null;
}

export const deletePasswordResets = (db: Db, userId: string) => db.passwordReset.deleteMany({ where: { userId } });

export const findPasswordHash = async (db: Db, userId: string) =>
  (await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } }))?.passwordHash ?? null;

/** Sets a new password and lifts any login lockout the old one collected. */
export const setPasswordHash = (db: Db, userId: string, passwordHash: string) =>
  db.user.update({ where: { id: userId }, data: { passwordHash, failedLoginCount: 0, lockedUntil: null } });
