// Scheduled work in the server process: tombstone purging, integration key rotation (hourly). Every job runs under an
// advisory lock, so with several server processes on one database each run happens once.
import type { Deps } from './context.ts';
import { runExclusive } from './db/job-lock.ts';
import { rotateIntegrationKeys } from './notifications/integrations.ts';
import { listFacilityIds } from './repositories/facilities.ts';
import { deleteExpiredRateLimits } from './repositories/rate-limits.ts';
import { purgeTombstones } from './services/purge-tombstones.ts';

/** Runs every job now; answers the jobs this process ran (another process may hold the rest). */
export async function runJobsOnce(deps: Deps, now = new Date()): Promise<string[]> {
  const ran: string[] = [];
  const job = async (name: string, fn: () => Promise<void>) => {
    try {
      if (await runExclusive(deps.db, name, fn)) ran.push(name);
    } catch (e) {
      console.error(`[jobs] ${name} failed:`, (e as Error).message);
    }
  };
  await job('tombstone-purge', async () => {
    for (const id of await listFacilityIds(deps.db.prisma)) await purgeTombstones(deps, id, now);
  });
  await job('rate-limit-sweep', async () => {
    await deleteExpiredRateLimits(deps.db.prisma, new Date(now.getTime() - 3600_000));
  });
  await job('integration-key-rotation', async () => {
    const { resealed, unreadable } = await rotateIntegrationKeys(deps);
    if (resealed) console.log(`[jobs] integration credentials re-encrypted with the current key: ${resealed}`);
    if (unreadable) console.error(`[jobs] integration credentials sealed with a key ENCRYPTION_KEY no longer lists: ${unreadable}`);
  });
  return ran;
}

export function startJobs(deps: Deps): () => void {
  const timer = setInterval(() => void runJobsOnce(deps), 60 * 60 * 1000);
  timer.unref();
  void runJobsOnce(deps);
  return () => clearInterval(timer);
}
