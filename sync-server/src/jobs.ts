// Periodic maintenance in the server process: tombstone purging (hourly).
import type { Deps } from './context.ts';
import { listFacilityIds } from './repositories/facilities.ts';
import { purgeTombstones } from './services/purge-tombstones.ts';

export function startJobs(deps: Deps): () => void {
  const run = async () => {
    try {
      for (const id of await listFacilityIds(deps.db.prisma)) await purgeTombstones(deps, id);
    } catch (e) {
      console.error('[jobs] tombstone purge failed:', (e as Error).message);
    }
  };
  const timer = setInterval(run, 60 * 60 * 1000);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
