// Applying a pull (sync-protocol.md "Pull": pages applied atomically once `more` is false, or
// staged; then — in the same IndexedDB transaction — acknowledged outbox entries removed and the
// still-pending ones re-applied on top). See schema.ts for the two layers this works on, and
// docs/sync.md "First sync" for why a first sync writes its pages as they arrive.
import { MutationRejection, runMutation } from '../../domain/sync/mutators';
import type { PatchOp } from '../../domain/sync/protocol';
import { SYNCED_TABLES, type PackageRow, type SyncedTable } from '../../domain/sync/rows';
import {
  COOKIE_KEY,
  getClient,
  getMeta,
  LAST_SYNCED_KEY,
  OWNER_KEY,
  setClient,
  setMeta,
  STAGED_PULL_KEY,
  type ClientIdentity,
  type StagedPull,
} from './meta';
import { mutationContext, type DeviceActor } from './outbox';
import { toLocal, type PtpDb } from './schema';
import { compactDigest, DigestCollector } from './search-digest';
import { baseKey, DexieMutationStore } from './store';

export interface CompletedPull {
  /** Every op of every page not staged before, in order. */
  patch: PatchOp[];
  /** From the last page: read by the server in the same snapshot as the patch. */
  lastMutationId: number;
  cookie: string;
  /** The pull started without a cookie: the server sends a full snapshot and no `clear` op. */
  fromScratch: boolean;
}

export interface RebaseOutcome {
  acknowledged: number;
  pending: number;
  /** Pending mutations that no longer apply locally (the server will decide; usually a rejection). */
  skipped: number;
  /**
   * Photos whose attachments the server tombstoned (photo retention, docs/photo-retention.md) and
   * that no live attachment on this device still shows: their bytes left IndexedDB; the caller
   * also empties them from the service worker's photo cache (outside this transaction).
   */
  droppedPhotos: string[];
}

async function ownClient(db: PtpDb, actor: DeviceActor): Promise<ClientIdentity> {
  const owner = await getMeta<string>(db, OWNER_KEY);
  const client = await getClient(db, actor.userId);
  // Another tab signed in as someone else took the device over meanwhile: this pull is not ours.
  if (owner !== actor.userId || !client) throw new Error('The device changed hands during the pull');
  return client;
}

/**
 * Writes ops into the confirmed layer: into `base` for a row a pending mutation holds there, else
 * straight into the row table. `clear` (or `clearFirst`) empties every row table, `base` and the
 * search digest first. Returns whether it cleared.
 */
async function patchConfirmed(
  db: PtpDb,
  patch: PatchOp[],
  clearFirst: boolean,
  digest: DigestCollector,
  tombstonedHashes?: Set<string>,
): Promise<boolean> {
  // Collapse the patch to the final state per row first.
  let cleared = clearFirst;
  const finals = new Map<SyncedTable, Map<string, Record<string, unknown> | null>>();
  for (const op of patch) {
    if (op.op === 'clear') {
      cleared = true;
      finals.clear();
      continue;
    }
    if (!finals.has(op.table)) finals.set(op.table, new Map());
    finals.get(op.table)!.set(op.id, op.op === 'put' ? (toLocal(op.table, op.row) as unknown as Record<string, unknown>) : null);
  }
  if (cleared) {
    // Confirmed state starts empty: every row and every saved confirmed version goes.
    await Promise.all([...SYNCED_TABLES.map((t) => db.rowTable(t).clear()), db.base.clear(), db.searchDigest.clear()]);
    digest.reset();
  }
  const baseKeys = new Set((await db.base.toCollection().primaryKeys()) as string[]);
  for (const [table, rows] of finals) {
    const puts: Record<string, unknown>[] = [];
    const dels: string[] = [];
    for (const [id, row] of rows) {
      const key = baseKey(table, id);
      if (baseKeys.has(key)) await db.base.put({ key, table, id, row });
      else if (row) puts.push(row);
      else dels.push(id);
    }
    const t = db.rowTable(table);
    if (tombstonedHashes && table === 'attachments') {
      // The hashes of attachments about to go, read while the rows are still here.
      const gone = [...rows].flatMap(([id, row]) => (row ? [] : [id]));
      for (const a of await db.attachments.bulkGet(gone)) if (a) tombstonedHashes.add(a.hash);
    }
    if (puts.length) await t.bulkPut(puts as never[]);
    if (dels.length) await t.bulkDelete(dels);
    if (table === 'packages') digest.addAll(puts as unknown as PackageRow[]);
  }
  return cleared;
}

/** Re-runs the queue, in order, on top of the row tables (this records `base` entries afresh). */
async function runPending(db: PtpDb, actor: DeviceActor, client: ClientIdentity, digest: DigestCollector) {
  const store = new DexieMutationStore(db, digest);
  const pending = await db.outbox.orderBy('id').toArray();
  let skipped = 0;
  for (const entry of pending) {
    try {
      await runMutation(store, entry, mutationContext(actor, client.clientId, entry));
    } catch (e) {
      // Mutators check before they write, so a refusal leaves nothing behind.
      if (!(e instanceof MutationRejection)) throw e;
      skipped++;
    }
  }
  return { pending: pending.length, skipped };
}

/** The completed pull, with the rebase, in ONE rw transaction. */
export function applyPull(db: PtpDb, actor: DeviceActor, pull: CompletedPull, now: () => Date = () => new Date()): Promise<RebaseOutcome> {
  return db.transaction('rw', db.allTables, async () => {
    const client = await ownClient(db, actor);
    const digest = new DigestCollector();

    // 1. The patch goes to the confirmed layer.
    const tombstoned = new Set<string>();
    await patchConfirmed(db, pull.patch, pull.fromScratch, digest, tombstoned);

    // 2. Back to confirmed state: restore every row a pending mutation had overwritten.
    for (const entry of await db.base.toArray()) {
      const t = db.rowTable(entry.table);
      if (entry.row) {
        await t.put(entry.row as never);
        if (entry.table === 'packages') digest.add(entry.row as unknown as PackageRow);
      } else await t.delete(entry.id);
    }
    await db.base.clear();

    // 3. Drop what the server has acknowledged (applied or rejected alike).
    const acknowledged = await db.outbox.where('id').belowOrEqual(pull.lastMutationId).delete();
    const confirmed = { ...client, lastMutationId: Math.max(client.lastMutationId, pull.lastMutationId) };
    await setClient(db, confirmed);

    // 4. Re-run what is still pending, in order, on top.
    const { pending, skipped } = await runPending(db, actor, confirmed, digest);

    // 5. Expired photos leave the device: their bytes (still waiting for upload, or the record of
    // one), unless another live attachment here shows the same bytes.
    const droppedPhotos = await dropUnusedBlobs(db, tombstoned);

    await digest.flush(db);
    await compactDigest(db);
    await setMeta(db, COOKIE_KEY, pull.cookie);
    await setMeta(db, STAGED_PULL_KEY, null);
    await setMeta(db, LAST_SYNCED_KEY, now().toISOString());
    return { acknowledged, pending, skipped, droppedPhotos };
  });
}

/** Of `hashes`, those no live attachment uses any more: their local blob records go. */
async function dropUnusedBlobs(db: PtpDb, hashes: Set<string>): Promise<string[]> {
  const dropped: string[] = [];
  for (const hash of hashes) {
    const used = await db.attachments
      .where('hash')
      .equals(hash)
      .filter((a) => !a.deletedAt)
      .count();
    if (used) continue;
    await db.blobs.delete(hash);
    dropped.push(hash);
  }
  return dropped;
}

/**
 * One page of a first sync (a full snapshot), written to the row tables as it arrives, in its own
 * transaction; the last page goes through `applyPull` (with `fromScratch: false`), which confirms
 * the snapshot: cookie, acknowledged mutations, rebase, last sync time. Until then the cookie stays
 * unset and `stagedPull` records how far it got, so an interrupted first sync goes on from there
 * (or starts over when the server no longer knows that position). `restart` (the first page of a
 * fresh snapshot) empties the row tables first; pending mutations are re-run on top at once, so the
 * device's own work stays visible while the rest arrives.
 */
export function stagePullPage(db: PtpDb, actor: DeviceActor, patch: PatchOp[], staged: StagedPull, restart: boolean): Promise<void> {
  return db.transaction('rw', db.allTables, async () => {
    const client = await ownClient(db, actor);
    const digest = new DigestCollector();
    const cleared = await patchConfirmed(db, patch, restart, digest);
    // The row tables were emptied and hold this page's rows: the queue goes back on top of them.
    if (cleared) await runPending(db, actor, client, digest);
    await digest.flush(db);
    await setMeta(db, COOKIE_KEY, null);
    await setMeta(db, STAGED_PULL_KEY, staged);
  });
}
