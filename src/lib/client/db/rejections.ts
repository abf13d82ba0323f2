// The "needs attention" list: mutations the server refused, with its reason (sync-protocol.md
// "Push": a conflict list, never a silent revert).
import type { PtpDb, Rejection } from './schema';

/** Idempotent: the same mutation's result may arrive twice (a re-sent push answers alreadyProcessed). */
export function recordRejections(db: PtpDb, rejections: Rejection[]): Promise<void> {
  if (!rejections.length) return Promise.resolve();
  return db.transaction('rw', db.rejections, async () => {
    for (const r of rejections) {
      if (!(await db.rejections.get([r.clientId, r.id]))) await db.rejections.add(r);
    }
  });
}

/**
 * Takes an entry off the list. Never touches the photos or the signature the change carried: their
 * upload goes on, so a refused hand-off's proof still reaches the server.
 */
export async function dismissRejection(
  db: PtpDb,
  clientId: string,
  id: number,
  at = new Date(),
  resolution: NonNullable<Rejection['resolution']> = 'dismissed',
) {
  await db.rejections.update([clientId, id], { dismissedAt: at.toISOString(), resolution });
}
