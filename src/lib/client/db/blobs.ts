// Local state of captured photos and signatures (sync-protocol.md "Blobs"): kept here until the
// server confirmed it holds the bytes, then the bytes are dropped and the attachment marked uploaded.
import type { LocalBlob, PtpDb } from './schema';

/** Blobs waiting for upload whose backoff has passed, oldest first. */
export async function dueBlobs(db: PtpDb, now: number): Promise<LocalBlob[]> {
  const waiting = await db.blobs.where('state').anyOf('pending', 'uploading').toArray();
  return waiting.filter((b) => b.nextAttemptAt <= now && b.data).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function nextBlobAttemptAt(db: PtpDb): Promise<number | null> {
  const waiting = await db.blobs.where('state').anyOf('pending', 'uploading').toArray();
  return waiting.length ? Math.min(...waiting.map((b) => b.nextAttemptAt)) : null;
}

export async function markUploading(db: PtpDb, hash: string) {
  await db.blobs.update(hash, { state: 'uploading' });
}

/** The server confirmed (200/201): drop the bytes, mark every attachment of this hash uploaded. */
export function markUploaded(db: PtpDb, hash: string): Promise<void> {
  return db.transaction('rw', [db.blobs, db.attachments, db.base], async () => {
    const blob = await db.blobs.get(hash);
    if (blob) await db.blobs.put({ ...blob, state: 'uploaded', data: null, bytesSent: blob.size, lastError: undefined });
    await db.attachments.where('hash').equals(hash).modify({ uploaded: true });
    // The confirmed copies too, or the next rebase would put the stale flag back.
    await db.base
      .filter((e) => e.table === 'attachments' && e.row?.hash === hash)
      .modify((e) => {
        if (e.row) e.row = { ...e.row, uploaded: true };
      });
  });
}

/** The attempt failed: the same local record waits for its next try (never a new local write). */
export async function markFailed(db: PtpDb, hash: string, error: string, retryAt: number, networkFailure = false) {
  await db.blobs
    .where('hash')
    .equals(hash)
    .modify((b) => {
      b.state = 'pending';
      b.attempts += 1;
      b.nextAttemptAt = retryAt;
      b.lastError = error;
      b.networkFailure = networkFailure;
    });
}

/** The network is back: uploads that failed only for want of it are due now, not after their backoff. */
export async function retryNetworkFailuresNow(db: PtpDb): Promise<number> {
  return db.blobs
    .where('state')
    .equals('pending')
    .filter((b) => b.networkFailure === true)
    .modify((b) => {
      b.nextAttemptAt = 0;
    });
}

/** The local bytes of a hash, to show a photo before it is uploaded. */
export async function localBlob(db: PtpDb, hash: string): Promise<Blob | null> {
  return (await db.blobs.get(hash))?.data ?? null;
}
