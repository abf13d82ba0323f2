// Scheduled work in the server process: tombstone purging, photo retention, integration key
// rotation, and with billing on the facility deletions and the owners' billing notices (hourly,
// docs/data-lifecycle.md),
// and the notification queue (notifications/queue.ts: sends as soon as a push commits, reminders
// every 15 minutes). Every job runs under an advisory lock or the queue's own locking, so with
// several server processes on one database each run happens once.
import type { Deps } from './context.ts';
import { runExclusive } from './db/job-lock.ts';
import { rotateIntegrationKeys } from './notifications/integrations.ts';
import { queueReminders } from './notifications/pipeline.ts';
import { startNotificationQueue } from './notifications/queue.ts';
import { AI_LOG_DAYS } from '../../src/lib/domain/ai.ts';
import { deleteAiCallsBefore } from './repositories/ai-requests.ts';
import { listFacilityIds } from './repositories/facilities.ts';
import { deleteExpiredRateLimits } from './repositories/rate-limits.ts';
import { purgeTombstones } from './services/purge-tombstones.ts';
import { expirePhotos } from './services/expire-photos.ts';
import { runFacilityDeletions, type DeletionHooks } from './services/delete-facility.ts';
import { sendBillingNotices } from './services/send-billing-notices.ts';

/**
 * Runs every job now, as if it were `now`; answers the jobs this process ran (another process may
 * hold the rest). `notifications`: also reminders and every due notification (the jobs command);
 * a server working its queue in-process leaves them to it.
 */
export async function runJobsOnce(
  deps: Deps,
  now = new Date(),
  o: { notifications?: boolean; deletionHooks?: DeletionHooks } = {},
): Promise<string[]> {
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
  // Photos past their facility's retention period leave storage (a privacy promise, billing on or
  // off). Run with every pass (hourly): it is cheap when nothing expired, and never late by a day.
  await job('photo-retention', async () => {
    for (const id of await listFacilityIds(deps.db.prisma)) {
      // One facility's failure (storage down for a moment) does not hold the others' photos back.
      const r = await expirePhotos(deps, id, now).catch((e: Error) => console.error(`[jobs] photo retention in ${id} failed:`, e.message));
      if (r && (r.expired || r.objectsDeleted))
        console.log(`[jobs] photo retention in ${id}: ${r.expired} photos expired, ${r.objectsDeleted} objects deleted`);
    }
  });
  await job('rate-limit-sweep', async () => {
    await deleteExpiredRateLimits(deps.db.prisma, new Date(now.getTime() - 3600_000));
  });
  await job('ai-log-sweep', async () => {
    await deleteAiCallsBefore(deps.db, new Date(now.getTime() - AI_LOG_DAYS * 24 * 3600_000));
  });
  // Billing's data lifecycle (issue 11), both idle while billing is off: facilities past their
  // grace are deleted first (resuming any deletion a crash interrupted), so a facility deleted in
  // this run gets no last reminder; then the owners' notices due now.
  await job('facility-deletion', async () => {
    const deleted = await runFacilityDeletions(deps, now, o.deletionHooks);
    if (deleted.length) console.log(`[jobs] facilities deleted at the end of their grace: ${deleted.length}`);
  });
  await job('billing-notices', async () => {
    await sendBillingNotices(deps, now);
  });
  await job('integration-key-rotation', async () => {
    const { resealed, unreadable } = await rotateIntegrationKeys(deps);
    if (resealed) console.log(`[jobs] integration credentials re-encrypted with the current key: ${resealed}`);
    if (unreadable) console.error(`[jobs] integration credentials sealed with a key ENCRYPTION_KEY no longer lists: ${unreadable}`);
  });
  if (o.notifications ?? true) {
    await job('notification-reminders', async () => {
      await queueReminders(deps, now);
    });
    // Not exclusive: the queue hands each message to one worker, so processes share the work.
    try {
      const queue = await startNotificationQueue(deps, { work: false });
      try {
        await queue.drain(now);
        ran.push('notifications');
      } finally {
        await queue.stop();
      }
    } catch (e) {
      console.error('[jobs] notifications failed:', (e as Error).message);
    }
  }
  return ran;
}

export async function startJobs(deps: Deps): Promise<() => Promise<void>> {
  // A queue that cannot start (its schema cannot be created, say) must not take the app down:
  // notifications stay queued in the outbox until it can, or until `npm run jobs -- --once`.
  const queue = await startNotificationQueue(deps, { work: true }).catch((e: Error) => {
    console.error('[jobs] the notification queue did not start; notifications stay queued:', e.message);
    return null;
  });
  queue?.wake();
  const timer = setInterval(() => void runJobsOnce(deps, new Date(), { notifications: false }), 60 * 60 * 1000);
  timer.unref();
  void runJobsOnce(deps, new Date(), { notifications: false });
  return async () => {
    clearInterval(timer);
    await queue?.stop();
  };
}
