// Users (account level: not facility-owned). The only code that touches the users table.
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Tx;

export const findUserByEmail = (db: Db, email: string) => db.user.findUnique({ where: { email } });

export const findUserById = (db: Db, id: string) => db.user.findUnique({ where: { id }, select: { id: true, name: true, email: true } });

export function createUser(db: Db, data: { id: string; email: string; name: string; passwordHash: string }) {
  return db.user.create({ data: { ...data, ageConfirmedAt: new Date() } });
}

/** Counts a failed login; at `max` failures the account locks until `lockUntil`. Atomic in SQL. */
export async function recordFailedLogin(db: Db, userId: string, max: number, lockUntil: Date): Promise<boolean> {
  const rows = await db.$queryRaw<{ locked: boolean }[]>`
    UPDATE users
       SET "failedLoginCount" = CASE WHEN "failedLoginCount" + 1 >= ${max} THEN 0 ELSE "failedLoginCount" + 1 END,
           "lockedUntil"      = CASE WHEN "failedLoginCount" + 1 >= ${max} THEN ${lockUntil} ELSE "lockedUntil" END
     WHERE id = ${userId}::uuid
 RETURNING ("lockedUntil" IS NOT NULL AND "lockedUntil" > now()) AS locked`;
  return rows[0]?.locked ?? false;
}

export const clearFailedLogins = (db: Db, userId: string) =>
  db.user.update({ where: { id: userId }, data: { failedLoginCount: 0, lockedUntil: null } });
