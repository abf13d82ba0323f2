// The outbox: mutations made on this device and not yet acknowledged by a pull. `enqueueMutation`
// is the one write path of the UI (sync-protocol.md "Push": the next gap-free id is assigned in the
// same IndexedDB transaction as the optimistic write and the outbox insert).
import { runMutation, type MutationContext } from '../../domain/sync/mutators';
import type { MutationInput, MutationName } from '../../domain/sync/mutations';
import type { Role } from '../../domain/permissions';
import type { AttachmentKind } from '../../domain/sync/rows';
import { COOKIE_KEY, STAGED_PULL_KEY, ensureClient, getClient, getMeta, OWNER_KEY, setClient, setMeta, type ClientIdentity } from './meta';
import type { LocalBlob, OutboxEntry, PtpDb } from './schema';
import { DigestCollector } from './search-digest';
import { DexieMutationStore } from './store';

export interface DeviceActor {
  userId: string;
  role: Role;
}

/** A captured photo or signature, hashed before the transaction (hashing is async, not IndexedDB). */
export interface PreparedBlob {
  hash: string;
  data: Blob;
  contentType: string;
  kind: AttachmentKind;
}

/** The device ran out of storage: the action failed and must be shown, never swallowed. */
export class StorageFullError extends Error {
  readonly code = 'storage_full';
  constructor() {
    super('This device is out of storage space: the change was NOT saved. Free up space (or sync and remove old photos) and try again.');
  }
}

/** Another user's unsynced changes are on this device for this facility. */
export class DeviceOwnedError extends Error {
  readonly code = 'device_owned';
  constructor(readonly ownerUserId: string) {
    super('This device holds unsynced changes of another user of this facility. They must sign in and sync first.');
  }
}

export function isQuotaError(e: unknown): boolean {
  for (let err = e as { name?: string; inner?: unknown } | undefined, i = 0; err && i < 4; err = err.inner as typeof err, i++) {
    if (err.name === 'QuotaExceededError') return true;
  }
  return false;
}

export async function guardQuota<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isQuotaError(e)) throw new StorageFullError();
    throw e;
  }
}

/**
 * Makes `userId` the owner of this facility's queue on this device. A different user may take over
 * only an empty queue; taking over resets the pull cookie, so the next pull is a full snapshot for
 * this user's role (the row tables are replaced, never mixed).
 */
export function claimDevice(db: PtpDb, userId: string): Promise<ClientIdentity> {
  return ensureClient(db, userId).then(() =>
    db.transaction('rw', [db.meta, db.outbox], async () => {
      const owner = await getMeta<string>(db, OWNER_KEY);
      if (owner !== userId) {
        if (owner && (await db.outbox.count()) > 0) throw new DeviceOwnedError(owner);
        await setMeta(db, OWNER_KEY, userId);
        await setMeta(db, COOKIE_KEY, null);
        await setMeta(db, STAGED_PULL_KEY, null);
      }
      return (await getClient(db, userId))!;
    }),
  );
}

/** One mutation to queue, with the photos or signature it references. */
export type MutationStep = {
  [N in MutationName]: { name: N; args: MutationInput<N>; blobs?: PreparedBlob[] };
}[MutationName];

/** Runs the mutation optimistically and queues it; a MutationRejection propagates and nothing is queued. */
export async function enqueueMutation<N extends MutationName>(
  db: PtpDb,
  actor: DeviceActor,
  name: N,
  args: MutationInput<N>,
  blobs: PreparedBlob[] = [],
  now: () => Date = () => new Date(),
): Promise<OutboxEntry> {
  const [entry] = await enqueueMutations(db, actor, [{ name, args, blobs } as MutationStep], now);
  return entry!;
}

/**
 * Queues several mutations as one action, in ONE transaction with consecutive ids: either all
 * are saved (with their photos) or none is — a package and its intake photo are never split by a
 * closed tab. A local refusal of any step aborts them all.
 */
export async function enqueueMutations(
  db: PtpDb,
  actor: DeviceActor,
  steps: MutationStep[],
  now: () => Date = () => new Date(),
  /** More writes of the same logical change (this device's own records), in the same transaction. */
  alongside?: () => Promise<void>,
): Promise<OutboxEntry[]> {
  return guardQuota(() =>
    db.transaction('rw', db.allTables, async () => {
      const owner = await getMeta<string>(db, OWNER_KEY);
      if (owner !== actor.userId) throw new DeviceOwnedError(owner ?? '');
      const client = await getClient(db, actor.userId);
      if (!client) throw new Error('No sync client on this device; sign in again');
      const lastQueued = (await db.outbox.orderBy('id').last())?.id ?? 0;
      let nextId = Math.max(lastQueued, client.lastMutationId) + 1;
      const entries: OutboxEntry[] = [];
      const digest = new DigestCollector();
      for (const step of steps) {
        const entry: OutboxEntry = { id: nextId++, name: step.name, args: step.args, clientTime: now().toISOString() };
        await runMutation(new DexieMutationStore(db, digest), entry, mutationContext(actor, client.clientId, entry));
        await db.outbox.add(entry);
        for (const b of step.blobs ?? []) {
          if (await db.blobs.get(b.hash)) continue; // the same bytes again: one upload
          const blob: LocalBlob = {
            hash: b.hash,
            data: b.data,
            contentType: b.contentType || 'application/octet-stream',
            kind: b.kind,
            size: b.data.size,
            state: 'pending',
            attempts: 0,
            nextAttemptAt: 0,
            createdAt: entry.clientTime,
          };
          await db.blobs.add(blob);
        }
        entries.push(entry);
      }
      await digest.flush(db);
      await alongside?.();
      return entries;
    }),
  );
}

export function mutationContext(actor: DeviceActor, clientId: string, entry: OutboxEntry): MutationContext {
  return {
    actor: { id: actor.userId, role: actor.role },
    clientId,
    mutationId: entry.id,
    clientTime: entry.clientTime,
    // On the device the optimistic result is dated by the device; the server re-dates by its clock.
    now: entry.clientTime,
    newId: () => crypto.randomUUID(),
  };
}

/** The queue in id order, from `fromId` on, at most `limit` entries. */
export function readOutbox(db: PtpDb, fromId: number, limit: number): Promise<OutboxEntry[]> {
  return db.outbox.where('id').aboveOrEqual(fromId).limit(limit).toArray();
}

/**
 * The server expects a lower id than the queue's first (its database was restored to before some
 * of our acknowledged mutations): renumber the queue to continue from `expected`, keeping order,
 * so it stays gap-free and nothing queued is lost.
 */
export function renumberOutbox(db: PtpDb, userId: string, expected: number): Promise<void> {
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const entries = await db.outbox.orderBy('id').toArray();
    if (!entries.length || entries[0]!.id <= expected) return;
    await db.outbox.clear();
    await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, id: expected + i })));
    const client = await getClient(db, userId);
    if (client) await setClient(db, { ...client, lastMutationId: expected - 1 });
  });
}
