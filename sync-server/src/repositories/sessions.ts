// Lucia's session storage (lucia v3 Adapter) over the sessions table.
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import { SESSION_ABSOLUTE_LIFETIME_DAYS, sessionOutlived } from '../../../src/lib/domain/account.ts';
import type { Tx } from '../db/index.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** Every session of the user but `keepSessionId` (a password change keeps the device that made it). */
export const deleteOtherSessions = (db: PrismaClient | Tx, userId: string, keepSessionId: string) =>
  db.session.deleteMany({ where: { userId, id: { not: keepSessionId } } });

export const deleteAllSessions = (db: PrismaClient | Tx, userId: string) => db.session.deleteMany({ where: { userId } });

export class SessionRepository implements Adapter {
  constructor(private readonly prisma: PrismaClient) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.prisma.session.findUnique({
      where: { id: sessionId },
      include: { user: { select: { id: true, name: true, email: true } } },
    });
    if (!row) return [null, null];
    // Lucia knows only the sliding expiry; past the absolute lifetime the session is gone however
    // recently it was used (account.ts SESSION_ABSOLUTE_LIFETIME_DAYS).
    if (sessionOutlived(row.createdAt)) {
      await this.deleteSession(row.id);
      return [null, null];
    }
    return [
      { id: row.id, userId: row.userId, expiresAt: row.expiresAt, attributes: { activeFacilityId: row.activeFacilityId } },
      { id: row.user.id, attributes: { name: row.user.name, email: row.user.email } },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.prisma.session.findMany({ where: { userId } });
    return rows.map((r) => ({ id: r.id, userId: r.userId, expiresAt: r.expiresAt, attributes: { activeFacilityId: r.activeFacilityId } }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.prisma.session.create({
      data: {
        id: session.id,
        userId: session.userId,
        expiresAt: session.expiresAt,
        activeFacilityId: (session.attributes as { activeFacilityId?: string | null }).activeFacilityId ?? null,
      },
    });
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.prisma.session.updateMany({ where: { id: sessionId }, data: { expiresAt } });
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id: sessionId } });
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { userId } });
  }

  async deleteExpiredSessions(): Promise<void> {
    const born = new Date(Date.now() - SESSION_ABSOLUTE_LIFETIME_DAYS * 24 * 3600 * 1000);
    await this.prisma.session.deleteMany({ where: { OR: [{ expiresAt: { lte: new Date() } }, { createdAt: { lte: born } }] } });
  }

  /** The facility a session works in: decided here, on the server, never by the browser. */
  async setActiveFacility(sessionId: string, facilityId: string): Promise<void> {
    await this.prisma.session.update({ where: { id: sessionId }, data: { activeFacilityId: facilityId } });
  }
}

/** Ends every session of the user that works in `facilityId` (they lost their membership there). */
export const deleteSessionsInFacility = (db: PrismaClient | Tx, userId: string, facilityId: string) =>
  db.session.deleteMany({ where: { userId, activeFacilityId: facilityId } });
