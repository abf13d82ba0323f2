// Lucia's session storage (lucia v3 Adapter) over the sessions table.
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { PrismaClient } from '../generated/prisma/client.ts';

export class SessionRepository implements Adapter {
  constructor(private readonly prisma: PrismaClient) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.prisma.session.findUnique({
      where: { id: sessionId },
      include: { user: { select: { id: true, name: true, email: true } } },
    });
    if (!row) return [null, null];
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
    await this.prisma.session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  }

  /** The facility a session works in: decided here, on the server, never by the browser. */
  async setActiveFacility(sessionId: string, facilityId: string): Promise<void> {
    await this.prisma.session.update({ where: { id: sessionId }, data: { activeFacilityId: facilityId } });
  }
}
