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

export async function dismissRejection(db: PtpDb, clientId: string, id: number, at = new Date()) {
  await db.rejections.update([clientId, id], { dismissedAt: at.toISOString() });
}
