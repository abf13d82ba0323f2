// What the directory screens read from the device: recipients, departments and locations as
// synced (pending changes included), so an admin manages them offline. Each query has a `watch*`
// twin on Dexie's liveQuery (queries.ts explains the pattern).
import { liveQuery } from 'dexie';
import type { ExistingDirectory } from '../../domain/directory-csv';
import type { DepartmentRow, LocationRow } from '../../domain/sync/rows';
import type { LocalRecipient, PtpDb } from './schema';

const live = (r: { deletedAt: string | null }) => !r.deletedAt;
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Recipients whose name, email, employee id or phone contains `q` (any case), by name. */
export async function listDirectoryRecipients(db: PtpDb, q: string, limit = 200): Promise<{ rows: LocalRecipient[]; total: number }> {
  const needle = q.trim().toLowerCase();
  const matches = (r: LocalRecipient) =>
    live(r) && (!needle || [r.nameLower, r.email, r.employeeId, r.phone].some((v) => v?.toLowerCase().includes(needle)));
  const rows = await db.recipients.orderBy('nameLower').filter(matches).limit(limit).toArray();
  const total = rows.length < limit ? rows.length : await db.recipients.filter(matches).count();
  return { rows, total };
}

/** Every department or location on the device, deleted ones included until the pull drops them (references show "removed"). */
export async function listAll<T extends 'departments' | 'locations'>(db: PtpDb, table: T) {
  const rows = (await db.rowTable(table).toArray()) as (T extends 'departments' ? DepartmentRow : LocationRow)[];
  return rows.sort(byName);
}

/** The directory as the CSV import plan reads it (live rows only). */
export async function directorySnapshot(db: PtpDb): Promise<ExistingDirectory> {
  const [recipients, departments, locations] = await Promise.all([
    db.recipients.filter(live).toArray(),
    db.departments.filter(live).toArray(),
    db.locations.filter(live).toArray(),
  ]);
  return { recipients, departments, locations };
}

export const watchDirectoryRecipients = (db: PtpDb, q: string, limit?: number) => liveQuery(() => listDirectoryRecipients(db, q, limit));
export const watchDepartments = (db: PtpDb) => liveQuery(() => listAll(db, 'departments'));
export const watchAllLocations = (db: PtpDb) => liveQuery(() => listAll(db, 'locations'));
