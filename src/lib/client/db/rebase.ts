// Applying a completed pull (sync-protocol.md "Pull": pages applied atomically once `more` is
// false, then — in the same IndexedDB transaction — acknowledged outbox entries removed and the
// still-pending ones re-applied on top). See schema.ts for the two layers this works on.
import { MutationRejection, runMutation } from '../../domain/sync/mutators';
import type { PatchOp } from '../../domain/sync/protocol';
import { SYNCED_TABLES, type SyncedTable } from '../../domain/sync/rows';
import { COOKIE_KEY, getClient, getMeta, LAST_SYNCED_KEY, OWNER_KEY, setClient, setMeta } from './meta';
import { mutationContext, type DeviceActor } from './outbox';
import { toLocal, type PtpDb } from './schema';
import { baseKey, DexieMutationStore } from './store';

export interface CompletedPull {
  /** Every op of every page, in order. */
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
}

export function applyPull(db: PtpDb, actor: DeviceActor, pull: CompletedPull, now: () => Date = () => new Date()): Promise<RebaseOutcome> {
  return db.transaction('rw', db.allTables, async () => {
    const owner = await getMeta<string>(db, OWNER_KEY);
    const client = await getClient(db, actor.userId);
    // Another tab signed in as someone else took the device over meanwhile: this pull is not ours.
    if (owner !== actor.userId || !client) throw new Error('The device changed hands during the pull');

    // 1. The patch goes to the confirmed layer. Collapse it to the final state per row first.
    let cleared = pull.fromScratch;
    const finals = new Map<SyncedTable, Map<string, Record<string, unknown> | null>>();
    for (const op of pull.patch) {
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
      await Promise.all([...SYNCED_TABLES.map((t) => db.rowTable(t).clear()), db.base.clear()]);
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
      if (puts.length) await t.bulkPut(puts as never[]);
      if (dels.length) await t.bulkDelete(dels);
    }

    // 2. Back to confirmed state: restore every row a pending mutation had overwritten.
    for (const entry of await db.base.toArray()) {
      const t = db.rowTable(entry.table);
      if (entry.row) await t.put(entry.row as never);
      else await t.delete(entry.id);
    }
    await db.base.clear();

    // 3. Drop what the server has acknowledged (applied or rejected alike).
    const acknowledged = await db.outbox.where('id').belowOrEqual(pull.lastMutationId).delete();
    await setClient(db, { ...client, lastMutationId: Math.max(client.lastMutationId, pull.lastMutationId) });

    // 4. Re-run what is still pending, in order, on top (this records `base` entries afresh).
    const store = new DexieMutationStore(db);
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

    await setMeta(db, COOKIE_KEY, pull.cookie);
    await setMeta(db, LAST_SYNCED_KEY, now().toISOString());
    return { acknowledged, pending: pending.length, skipped };
  });
}
