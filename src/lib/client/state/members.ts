// The facility's member names on the device: fetched when online, kept in the device's meta, so a
// package's timeline says who did what by name in a dead zone too.
import { api, ApiError } from '../api';
import { setMemberNames } from '../db/meta';
import type { PtpDb } from '../db/schema';

const lastFetch = new WeakMap<PtpDb, number>();
const EVERY_MS = 5 * 60_000;

/** Fetches the member list when online (at most every few minutes); offline, the copy stays. */
export async function refreshMemberNames(db: PtpDb, force = false): Promise<void> {
  if (typeof navigator !== 'undefined' && !navigator.onLine) return;
  const last = lastFetch.get(db) ?? 0;
  if (!force && Date.now() - last < EVERY_MS) return;
  lastFetch.set(db, Date.now());
  try {
    const { members } = await api.members();
    await setMemberNames(db, members);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    lastFetch.delete(db); // offline or refused: try again next time
  }
}
