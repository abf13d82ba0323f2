// Tombstones are kept long enough for devices to learn of deletes (TOMBSTONE_RETENTION_DAYS);
// afterwards they are purged and the facility's horizon rises, so a device offline for longer
// takes a full snapshot (sync-protocol.md "Pull").
import type { Deps } from '../context.ts';
import { purgeTombstones as purge } from '../repositories/sync.ts';

export async function purgeTombstones(deps: Deps, facilityId: string, now = new Date()) {
  const before = new Date(now.getTime() - deps.env.TOMBSTONE_RETENTION_DAYS * 24 * 3600 * 1000);
  return deps.db.withFacility(facilityId, (tx) => purge(tx, facilityId, before));
}
