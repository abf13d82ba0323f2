// What the intake desk reads and keeps on the device: possible duplicates of a tracking number,
// today's counts for the operator's home, the directory for the recipient picker, and the running
// list of this shift's packages with the state of each (saved here, synced, photo uploading,
// rejected with the server's reason, undone) read from the outbox, blobs and rejections.
import { liveQuery, type Observable } from 'dexie';
import { cleanTrackingNumber, recogniseTracking } from '../../domain/carriers';
import type { PackageStatus } from '../../domain/package-state';
import type { DepartmentRow, PackageRow, RecipientRow } from '../../domain/sync/rows';
import { UNDO_OFFER_MS } from '../../domain/undo-receive';
import { getMeta, setMeta } from './meta';
import { packagesWithStatus, reverseTracking, type PtpDb } from './schema';
import { baseKey } from './store';

const live = (r: { deletedAt: string | null }) => !r.deletedAt;
const RECEIVE = new Set(['package.receive', 'package.receive.v2']);

// ---- duplicates ------------------------------------------------------------------------------------

export interface PossibleDuplicate {
  id: string;
  trackingNumber: string;
  recipientName: string;
  status: PackageStatus;
  receivedAt: string;
  deliveredAt: string | null;
  returnedAt: string | null;
}

/** Packages that end their life here count as duplicates this long after they left. */
export const DUPLICATE_RECENT_DAYS = 14;

/**
 * Packages of this facility on this device with the same tracking number (spaces, dashes and case
 * aside, and a label's longer barcode reduced to the number): open ones, and those delivered or
 * returned within `recentDays`. An index lookup, so it answers offline as fast as the form types.
 */
export async function findDuplicates(
  db: PtpDb,
  tracking: string,
  now: Date = new Date(),
  recentDays = DUPLICATE_RECENT_DAYS,
): Promise<PossibleDuplicate[]> {
  const cleaned = cleanTrackingNumber(tracking);
  if (cleaned.length < 4) return [];
  const keys = [...new Set([cleaned, recogniseTracking(cleaned)?.trackingNumber ?? cleaned].map(reverseTracking))];
  const since = new Date(now.getTime() - recentDays * 86_400_000).toISOString();
  const rows = await db.packages.where('trackingReversed').anyOf(keys).filter(live).toArray();
  return rows
    .filter((p) => p.status === 'received' || p.status === 'held' || (p.deliveredAt ?? p.returnedAt ?? '') >= since)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
    .map((p) => ({
      id: p.id,
      trackingNumber: p.trackingNumber,
      recipientName: p.recipientName,
      status: p.status,
      receivedAt: p.receivedAt,
      deliveredAt: p.deliveredAt,
      returnedAt: p.returnedAt,
    }));
}

// ---- the operator's home ----------------------------------------------------------------------------

export interface TodayCounts {
  receivedToday: number;
  waiting: number;
  held: number;
}

/**
 * `dayStart`: the start of the operator's day (local midnight) as an ISO instant.
 *
 * Counted on the indexes alone (IDBIndex.count, no row read: the home stays instant on 50,000
 * packages), less the packages deleted on this device and not yet synced. Those are the only
 * deleted rows the table holds: a pulled deletion removes the row (rebase.ts), and a pending one
 * keeps the confirmed row in `base` (schema.ts), so `base` lists every one of them.
 */
export async function todayCounts(db: PtpDb, dayStart: string): Promise<TodayCounts> {
  const [receivedToday, waiting, held, deletedHere] = await Promise.all([
    db.packages.where('receivedAt').aboveOrEqual(dayStart).count(),
    packagesWithStatus(db, 'received').count(),
    packagesWithStatus(db, 'held').count(),
    packagesDeletedHere(db),
  ]);
  const less = (n: number, deleted: (p: PackageRow) => boolean) => n - deletedHere.filter(deleted).length;
  return {
    receivedToday: less(receivedToday, (p) => p.receivedAt >= dayStart),
    waiting: less(waiting, (p) => p.status === 'received'),
    held: less(held, (p) => p.status === 'held'),
  };
}

/** Packages a pending mutation of this device deleted (few: each has its confirmed row in `base`). */
async function packagesDeletedHere(db: PtpDb): Promise<PackageRow[]> {
  const keys = (await db.base.where('key').startsWith(baseKey('packages', '')).primaryKeys()) as string[];
  if (!keys.length) return [];
  const rows = await db.packages.bulkGet(keys.map((k) => k.slice(baseKey('packages', '').length)));
  return rows.filter((p): p is NonNullable<typeof p> => Boolean(p?.deletedAt));
}

export const watchTodayCounts = (db: PtpDb, dayStart: string): Observable<TodayCounts> => liveQuery(() => todayCounts(db, dayStart));

// ---- the directory ------------------------------------------------------------------------------------

export interface Directory {
  recipients: RecipientRow[];
  departments: DepartmentRow[];
}

export async function loadDirectory(db: PtpDb): Promise<Directory> {
  const [recipients, departments] = await Promise.all([db.recipients.filter(live).toArray(), db.departments.filter(live).toArray()]);
  return { recipients, departments };
}

export async function getRecipient(db: PtpDb, id: string): Promise<RecipientRow | undefined> {
  const r = await db.recipients.get(id);
  return r && !r.deletedAt ? r : undefined;
}

/** Re-read when recipients or departments change (a pull, a recipient created on the spot). */
export const watchDirectory = (db: PtpDb): Observable<Directory> => liveQuery(() => loadDirectory(db));

// ---- this shift's packages ------------------------------------------------------------------------------

export interface ShiftEntry {
  id: string;
  trackingNumber: string;
  carrier: string;
  recipientName: string;
  photoHash: string | null;
  savedAt: string;
}

export type ShiftState = 'saved' | 'synced' | 'photo_uploading' | 'rejected' | 'undone' | 'undo_pending';

export interface ShiftItem extends ShiftEntry {
  state: ShiftState;
  /** The server's reason for a rejection (of the package, or of its undo). */
  reason: string | null;
  /** Whether this package may still be undone from this device (the newest, within a minute). */
  undoable: boolean;
}

const SHIFT_HOURS = 14;
const SHIFT_MAX = 300;
const shiftKey = (userId: string) => `shift:${userId}`;

/** Remembers a package this person just saved, for the running list (kept SHIFT_HOURS, newest first). */
export async function recordShiftEntry(db: PtpDb, userId: string, entry: ShiftEntry, now: Date = new Date()): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const since = new Date(now.getTime() - SHIFT_HOURS * 3600_000).toISOString();
    const kept = ((await getMeta<ShiftEntry[]>(db, shiftKey(userId))) ?? []).filter((e) => e.savedAt >= since && e.id !== entry.id);
    await setMeta(db, shiftKey(userId), [entry, ...kept].slice(0, SHIFT_MAX));
  });
}

export async function shiftPackages(db: PtpDb, userId: string, now: Date = new Date()): Promise<ShiftItem[]> {
  const since = new Date(now.getTime() - SHIFT_HOURS * 3600_000).toISOString();
  const entries = ((await getMeta<ShiftEntry[]>(db, shiftKey(userId))) ?? []).filter((e) => e.savedAt >= since);
  if (!entries.length) return [];
  const ids = new Set(entries.map((e) => e.id));
  const [outbox, rejections, packages, blobs] = await Promise.all([
    db.outbox.toArray(),
    db.rejections.toArray(),
    db.packages.bulkGet([...ids]),
    db.blobs.bulkGet(entries.map((e) => e.photoHash ?? '')),
  ]);
  const argId = (args: unknown) => (args as { id?: unknown } | null)?.id as string | undefined;
  const queued = new Set<string>();
  const undoQueued = new Set<string>();
  for (const m of outbox) {
    const id = argId(m.args);
    if (!id || !ids.has(id)) continue;
    if (RECEIVE.has(m.name)) queued.add(id);
    if (m.name === 'package.undoReceive') undoQueued.add(id);
  }
  const refused = new Map<string, string>();
  const undoRefused = new Map<string, string>();
  for (const r of rejections) {
    const id = argId(r.args);
    if (!id || !ids.has(id)) continue;
    if (RECEIVE.has(r.name)) refused.set(id, r.message);
    if (r.name === 'package.undoReceive') undoRefused.set(id, r.message);
  }
  return entries.map((e, i): ShiftItem => {
    const p = packages[i];
    const blob = blobs[i];
    let state: ShiftState;
    let reason: string | null = null;
    if (refused.has(e.id)) [state, reason] = ['rejected', refused.get(e.id)!];
    else if (undoQueued.has(e.id)) state = 'undo_pending';
    else if (!p || p.deletedAt) state = undoRefused.has(e.id) ? 'synced' : 'undone';
    else if (queued.has(e.id)) state = 'saved';
    else if (blob && blob.state !== 'uploaded') state = 'photo_uploading';
    else state = 'synced';
    if (!reason && undoRefused.has(e.id)) reason = `Undo refused: ${undoRefused.get(e.id)}`;
    const fresh = now.getTime() - Date.parse(e.savedAt) <= UNDO_OFFER_MS;
    const undoable = i === 0 && fresh && (state === 'saved' || state === 'synced' || state === 'photo_uploading') && !undoRefused.has(e.id);
    return { ...e, state, reason, undoable };
  });
}

export const watchShiftPackages = (db: PtpDb, userId: string, now: () => Date = () => new Date()): Observable<ShiftItem[]> =>
  liveQuery(() => shiftPackages(db, userId, now()));
