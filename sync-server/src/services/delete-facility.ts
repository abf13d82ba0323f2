// Deleting a facility at the end of its grace (privacy policy §6: day 40 of a trial, 30 days after
// a cancellation took effect): its objects in storage, every row it owns, and the organization and
// its people when it was their last facility. A job that may die at any point: each step is
// recorded in facility_deletions when it is done and is safe to run again, so the next run
// continues where the last one stopped.
//   1. started: the record exists and the facility takes no more writes (inactive);
//   2. objects_deleted: every object under the facility's storage prefix is gone;
//   3. rows_deleted: in one owner transaction, every facility-owned row, the facility, and (its last
//      facility) the organization and the users left with nothing;
//   4. finished: the prefix is listed again and stragglers (an upload that raced step 1) deleted.
// Billing off (no Stripe keys): nothing is ever due, so nothing is deleted.
import { accessMode, type SubscriptionState } from '../../../src/lib/domain/billing.ts';
import type { Deps } from '../context.ts';
import { billingEnabled } from '../env.ts';
import {
  eraseFacilityRows,
  findDeletion,
  listSubscribedFacilities,
  listUnfinishedDeletions,
  lockSubscription,
  ownerTransaction,
  recordDeletionStep,
  startDeletion,
  type DeletionCounts,
  type DeletionReason,
  type DeletionRecord,
} from '../repositories/facility-deletion.ts';
import { newId } from './ids.ts';

/**
 * Points where a test can stop a deletion to kill its process (jobs-cli: PTP_TEST_PAUSE_DELETION_AT):
 * after the first object is deleted, after each recorded step.
 */
export type DeletionPause = 'first_object_deleted' | 'objects_deleted' | 'rows_deleted';
export interface DeletionHooks {
  pause?: (at: DeletionPause, facilityId: string) => Promise<void>;
}

export interface DueDeletion {
  facilityId: string;
  organizationId: string;
  reason: DeletionReason;
}

/** The facilities whose grace has ended at `now` (none with billing off). */
export async function facilitiesDueForDeletion(deps: Deps, now: Date): Promise<DueDeletion[]> {
  if (!billingEnabled(deps.env)) return [];
  const due: DueDeletion[] = [];
  for (const f of await listSubscribedFacilities(deps.db)) {
    if (!f.subscription) continue;
    const sub: SubscriptionState = f.subscription;
    if (accessMode(sub, now) !== 'pending_deletion') continue;
    due.push({ facilityId: f.id, organizationId: f.organizationId, reason: sub.status === 'canceled' ? 'canceled' : 'trial_ended' });
  }
  return due;
}

async function deleteObjects(deps: Deps, facilityId: string, hooks: DeletionHooks): Promise<number> {
  let n = 0;
  for (const key of await deps.blobs.listFacility(facilityId)) {
    await deps.blobs.delete(key);
    if (n++ === 0) await hooks.pause?.('first_object_deleted', facilityId);
  }
  return n;
}

/** Runs (or resumes) one facility's deletion to the end; answers its finished record. */
export async function deleteFacility(
  deps: Deps,
  target: DueDeletion,
  now: Date,
  hooks: DeletionHooks = {},
): Promise<DeletionRecord | null> {
  const started = await ownerTransaction(deps.db, async (tx) => {
    const existing = await findDeletion(tx, target.facilityId);
    if (existing) return existing;
    // Checked again with the subscription locked: a payment recorded since the job listed the
    // facility keeps it. Once started, a deletion runs to its end.
    const sub = await lockSubscription(tx, target.facilityId);
    if (!sub || accessMode(sub, now) !== 'pending_deletion') return null;
    return startDeletion(tx, { id: newId(), ...target }, now);
  });
  if (!started) return null;
  let rec = started;
  const counts: DeletionCounts = { ...rec.counts };
  // Times in the job's clock (`now`, which `--now` sets), like the start: the record reads as one timeline.
  const record = async (step: DeletionRecord['step'], finished = false) => {
    await ownerTransaction(deps.db, (tx) => recordDeletionStep(tx, target.facilityId, step, counts, finished ? now : undefined));
  };

  if (rec.step === 'started') {
    // Counted across reruns: a resumed run adds what it found left to what the first one deleted.
    counts.objects = (counts.objects ?? 0) + (await deleteObjects(deps, target.facilityId, hooks));
    await record('objects_deleted');
    await hooks.pause?.('objects_deleted', target.facilityId);
    rec = { ...rec, step: 'objects_deleted' };
  }
  if (rec.step === 'objects_deleted') {
    const rows = await ownerTransaction(
      deps.db,
      async (tx) => {
        const c = await eraseFacilityRows(tx, rec.facilityId, rec.organizationId);
        await recordDeletionStep(tx, rec.facilityId, 'rows_deleted', { ...counts, ...c });
        return c;
      },
      { eraseFacilityId: rec.facilityId },
    );
    Object.assign(counts, rows);
    await hooks.pause?.('rows_deleted', target.facilityId);
    rec = { ...rec, step: 'rows_deleted' };
  }
  if (rec.step === 'rows_deleted') {
    // With no rows left nothing can add an object; whatever is still there is a straggler.
    const stragglers = await deleteObjects(deps, target.facilityId, {});
    if (stragglers) counts.objects_swept = (counts.objects_swept ?? 0) + stragglers;
    await record('finished', true);
  }
  return (await ownerTransaction(deps.db, (tx) => findDeletion(tx, target.facilityId)))!;
}

/**
 * The deletion job: resumes every deletion a crash left unfinished, then starts those now due.
 * Answers the facilities deleted in this run.
 */
export async function runFacilityDeletions(deps: Deps, now: Date, hooks: DeletionHooks = {}): Promise<string[]> {
  if (!billingEnabled(deps.env)) return [];
  const done: string[] = [];
  const unfinished = await ownerTransaction(deps.db, (tx) => listUnfinishedDeletions(tx));
  for (const r of unfinished) {
    await deleteFacility(
      deps,
      { facilityId: r.facilityId, organizationId: r.organizationId, reason: r.reason as DeletionReason },
      now,
      hooks,
    );
    done.push(r.facilityId);
  }
  for (const d of await facilitiesDueForDeletion(deps, now)) {
    if (done.includes(d.facilityId)) continue;
    await deleteFacility(deps, d, now, hooks);
    done.push(d.facilityId);
  }
  return done;
}
