// Calls to Claude (ai_requests): the facility's daily cap counts them, and each row records what
// was sent by shape only. Facility-scoped: run inside `withFacility`.
import type { Tx } from '../db/index.ts';
import type { Prisma } from '../generated/prisma/client.ts';

/**
 * Takes one call from the facility's cap for the day starting at `since`: false when `cap` calls
 * are already counted. A transaction-scoped advisory lock per facility makes concurrent requests
 * count one after the other, so the cap holds exactly.
 */
export async function takeAiCall(
  tx: Tx,
  facilityId: string,
  row: { id: string; feature: string; requestShape: Prisma.InputJsonValue },
  since: Date,
  cap: number,
): Promise<boolean> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ai_requests:${facilityId}`}, 0))`;
  const used = await tx.aiRequest.count({ where: { facilityId, at: { gte: since } } });
  if (used >= cap) return false;
  await tx.aiRequest.create({ data: { ...row, facilityId, outcome: 'pending' } });
  return true;
}

export const finishAiCall = (tx: Tx, facilityId: string, id: string, outcome: string, latencyMs: number) =>
  tx.aiRequest.updateMany({ where: { id, facilityId }, data: { outcome, latencyMs } });

export const listAiCalls = (tx: Tx, facilityId: string) => tx.aiRequest.findMany({ where: { facilityId }, orderBy: { at: 'asc' } });
