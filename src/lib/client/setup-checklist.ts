// What the home page's setup checklist reads on this device: live locations and recipients from
// the facility's synced tables (the same on every desk once synced). The team and the settings
// steps come from the server; only dismissing the checklist is this device's own choice.
import { liveQuery, type Observable } from 'dexie';
import type { PtpDb } from './db/schema';

const live = (r: { deletedAt: string | null }) => !r.deletedAt;

export const watchDirectoryCounts = (db: PtpDb): Observable<{ locations: number; recipients: number }> =>
  liveQuery(async () => ({
    locations: await db.locations.filter(live).count(),
    recipients: await db.recipients.filter(live).count(),
  }));

const key = (what: 'setup-dismissed', facilityId: string) => `ptp:${what}:${facilityId}`;

function read(k: string): boolean {
  try {
    return localStorage.getItem(k) === '1';
  } catch {
    return false;
  }
}
function write(k: string) {
  try {
    localStorage.setItem(k, '1');
  } catch {
    // Private mode without storage: the checklist simply shows again next time.
  }
}

export const setupDismissed = (facilityId: string) => read(key('setup-dismissed', facilityId));
export const dismissSetup = (facilityId: string) => write(key('setup-dismissed', facilityId));
