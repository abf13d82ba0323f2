// The Deliver screen's writes: a hand-off of several packages with one proof, queued as one action,
// and its undo. Both go through the outbox, so they work with no network and sync later.
import { deliverSteps, type ProofDraft } from '../../domain/deliver';
import type { PackageRow } from '../../domain/sync/rows';
import type { MutationStep, PreparedBlob } from '../db/outbox';
import { prepareBlob } from '../sync/hash';
import type { SyncEngine } from '../sync/engine';

export const UNDO_REASON = 'Undone on the device';

/**
 * One `package.deliver.v2` per package, in ONE device transaction (all saved with the signature
 * and photo, or none), all with the same signature and photo hashes; the bytes are stored once and
 * the blob uploader sends them when the network is back.
 */
export async function handOver(
  engine: SyncEngine,
  packages: readonly Pick<PackageRow, 'id' | 'recipientName'>[],
  draft: ProofDraft,
  captures: { signature: Blob | null; photo: Blob | null },
  now: Date = new Date(),
): Promise<void> {
  const signature = captures.signature ? await prepareBlob(captures.signature, 'signature') : null;
  const photo = captures.photo ? await prepareBlob(captures.photo, 'delivery') : null;
  const blobs = [signature, photo].filter((b): b is PreparedBlob => !!b);
  const args = deliverSteps(packages, draft, {
    signatureHash: signature?.hash ?? null,
    photoHash: photo?.hash ?? null,
    at: now.toISOString(),
  });
  const steps: MutationStep[] = args.map((a, i) => ({ name: 'package.deliver.v2', args: a, blobs: i === 0 ? blobs : [] }));
  await engine.mutateAll(steps);
}

/** Takes a hand-off back (within REOPEN_OFFER_MS on the device): the packages are open again. */
export async function undoHandOver(engine: SyncEngine, ids: readonly string[]): Promise<void> {
  await engine.mutateAll(ids.map((id): MutationStep => ({ name: 'package.reopen', args: { id, reason: UNDO_REASON } })));
}
