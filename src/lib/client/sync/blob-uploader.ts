// Uploads captured photos and signatures (sync-protocol.md "Blobs"). Mutations never wait for
// this: it works through the `blobs` table on its own schedule. HEAD first skips bytes the server
// already has; a failed attempt keeps the same local record (attempts + backoff, no new local
// write); the bytes are dropped only after the server confirmed it stores them.
import { dueBlobs, markFailed, markUploaded, markUploading } from '../db/blobs';
import type { PtpDb } from '../db/schema';
import { backoffDelay } from './backoff';
import { failure, send, SyncHttpError, type Transport } from './http';
import type { LockLike } from './lock';

export interface UploadRun {
  uploaded: number;
  failed: number;
  /** Set when uploads cannot go on at all (signed out, another facility active). */
  stoppedBy?: SyncHttpError;
}

export class BlobUploader {
  private running: Promise<UploadRun> | null = null;

  constructor(
    private readonly db: PtpDb,
    private readonly transport: Transport,
    private readonly locks: LockLike,
    private readonly lockName: string,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Uploads every due blob; concurrent calls share one run. */
  run(): Promise<UploadRun> {
    this.running ??= this.locks.request(this.lockName, () => this.uploadDue()).finally(() => (this.running = null));
    return this.running;
  }

  private async uploadDue(): Promise<UploadRun> {
    const result: UploadRun = { uploaded: 0, failed: 0 };
    for (const blob of await dueBlobs(this.db, this.now())) {
      await markUploading(this.db, blob.hash);
      try {
        await this.uploadOne(blob.hash, blob.data!, blob.contentType, blob.kind === 'signature');
        await markUploaded(this.db, blob.hash);
        result.uploaded++;
      } catch (e) {
        const err = e instanceof SyncHttpError ? e : new SyncHttpError('network', 0, 'network', String(e));
        // A permanent refusal (400 hash mismatch, 413, 415) is retried rarely, not dropped: the
        // photo stays on the device and its error is visible.
        const permanent = err.kind === 'refused';
        const delay = backoffDelay(blob.attempts + 1, { baseMs: 2_000, maxMs: permanent ? 600_000 : 60_000, random: this.random });
        await markFailed(this.db, blob.hash, `${err.status || ''} ${err.message}`.trim(), this.now() + delay, err.kind === 'network');
        result.failed++;
        if (err.kind === 'signed_out' || err.kind === 'facility_mismatch' || err.kind === 'update_required') {
          result.stoppedBy = err;
          break;
        }
      }
    }
    return result;
  }

  private async uploadOne(hash: string, data: Blob, contentType: string, signature: boolean) {
    const path = `/api/sync/blobs/${hash}`;
    const head = await send(this.transport, 'HEAD', path);
    if (head.status === 200) return;
    if (head.status !== 404) throw await failure(head);
    // Signatures stay lossless PNG on the server (docs/sync.md "Blobs"); photos are re-encoded.
    const put = await send(this.transport, 'PUT', signature ? `${path}?kind=signature` : path, data, { 'content-type': contentType });
    if (put.status !== 200 && put.status !== 201) throw await failure(put);
  }
}
