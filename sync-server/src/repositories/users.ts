// Users (account level: not facility-owned). The only code that touches the users table.
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Tx;

/** A live account by its address (a deleted account has no address left to find it by). */
export const findUserByEmail = (db: Db, email: string) => db.user.findUnique({ where: { email, deletedAt: null } });

export const findUserById = (db: Db, id: string) => db.user.findUnique({ where: { id }, select: { id: true, name: true, email: true } });

/**
 * The user proved they receive mail at their address (an invitation or a reset link sent there
 * was used): a recipient with that address now links to them (the in-app bell).
 */
export const markEmailVerified = (db: Db, userId: string, at = new Date()) =>
  db.user.updateMany({ where: { id: userId, emailVerifiedAt: null }, data: { emailVerifiedAt: at } });

export function createUser(db: Db, data: { id: string; email: string; name: string; passwordHash: string }) {
  return db.user.create({ data: { ...data, ageConfirmedAt: new Date() } });
}

/**
 * Claims one password check for the account before bcrypt runs, in one atomic UPDATE (the row
 * lock orders concurrent sign-ins): every check counts as a failure until it succeeds, so however
 * many arrive at once at most `max` are ever compared per lockout window. The claim that reaches
 * `max` locks the account until `lockUntil`; a lock that has run out starts the count afresh.
 * Answers false when the account is locked (nothing is compared then, the right password neither).
 */
export async function claimPasswordCheck(db: Db, userId: string, max: number, lockMinutes: number): Promise<boolean> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    WITH cur AS (
      SELECT id, CASE WHEN "lockedUntil" <= now() THEN 0 ELSE "failedLoginCount" END AS n
        FROM users WHERE id = ${userId}::uuid FOR UPDATE)
    UPDATE users u
       SET "failedLoginCount" = cur.n + 1,
           "lockedUntil" = CASE WHEN cur.n + 1 >= ${max} THEN now() + make_interval(mins => ${lockMinutes}::int)
                                WHEN u."lockedUntil" <= now() THEN NULL
                                ELSE u."lockedUntil" END
      FROM cur
     WHERE u.id = cur.id AND cur.n < ${max}
 RETURNING cur.n + 1 AS n`;
  return rows.length > 0;
}

/** The right password: the failures counted so far are forgiven. */
export const clearFailedLogins = (db: Db, userId: string) =>
  db.user.update({ where: { id: userId }, data: { failedLoginCount: 0, lockedUntil: null } });
