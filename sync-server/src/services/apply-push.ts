// POST /api/sync/push (sync-protocol.md "Push"): exactly-once application of a client's queued
// mutations. One transaction per push: the client's row is locked (pushes of one client run one
// at a time), the facility's version is taken (its row lock orders writers, so pulls never skip a
// version), the shared mutators run in memory over the rows the batch touches, and the effects and
// the new lastMutationId commit together. A domain rejection advances lastMutationId and is stored
// with its reason; a database failure rolls everything back (503) and the retry re-applies nothing
// that had committed.
import { checkMutation } from '../../../src/lib/domain/sync/mutators.ts';
import type { MutationResult, PushRequest, PushResponse } from '../../../src/lib/domain/sync/protocol.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { wakeNotifications } from '../notifications/queue.ts';
import { loadRejections, lockSyncClient, recordRejections, setLastMutationId, takeVersion } from '../repositories/sync.ts';
import { deletePackagePhotos } from './delete-package-photos.ts';
import { runMutationBatch } from './run-mutations.ts';
import type { Actor } from './resolve-actor.ts';
import { assertWritable, checkSyncRequest } from './sync-guards.ts';

export async function applyPush(deps: Deps, actor: Actor, req: PushRequest): Promise<PushResponse> {
  checkSyncRequest(actor, req);
  const { facilityId, clientId } = req;
  await assertWritable(deps, actor);
  // What needs no row (name, role, arguments) is decided before the facility's write lock.
  const checks = new Map(req.mutations.map((m) => [m.id, checkMutation(m, actor.role)]));
  const now = new Date().toISOString();

  let deletedPackages: string[] = [];
  let applied = false;
  const response = await deps.db.withFacility(facilityId, async (tx) => {
    const lock = await lockSyncClient(tx, facilityId, clientId, actor.user.id);
    if (lock.kind === 'foreign') throw new AppError(403, 'client_mismatch', 'This clientId belongs to another user or facility');
    const last = lock.lastMutationId;

    const done = req.mutations.filter((m) => m.id <= last);
    const todo = req.mutations.filter((m) => m.id > last);
    // Ids must continue the client's sequence without a gap; otherwise nothing is applied and
    // `expected` is where the client must resend from: the server's lastMutationId + 1.
    todo.forEach((m, i) => {
      if (m.id !== last + 1 + i) {
        throw new AppError(409, 'out_of_order', `Mutation ${m.id} arrived where ${last + 1 + i} was expected; nothing was applied`, {
          expected: last + 1,
        });
      }
    });

    const earlier = await loadRejections(
      tx,
      facilityId,
      clientId,
      done.map((m) => m.id),
    );
    const results = new Map<number, MutationResult>();
    for (const m of done) results.set(m.id, { id: m.id, status: 'alreadyProcessed', ...earlier.get(m.id) });
    if (!todo.length) return { lastMutationId: last, results: req.mutations.map((m) => results.get(m.id)!) };

    // Only a batch that may change something takes the facility's version (its row lock orders
    // every writer of the facility); one refused whole (a viewer's, junk) records why and moves on.
    const version = todo.some((m) => checks.get(m.id)!.ok) ? await takeVersion(tx, facilityId) : null;
    // Checked above, before the lock, for this actor's role: the arguments are parsed once.
    const outcome = await runMutationBatch(tx, facilityId, version, todo, checks, {
      actor: { id: actor.user.id, role: actor.role },
      clientId,
      now,
    });
    for (const r of outcome.results) results.set(r.id, r);
    const rejections = outcome.rejections;
    const lastMutationId = todo[todo.length - 1]!.id;
    await recordRejections(tx, facilityId, clientId, rejections, deps.env.QUOTA_REJECTIONS_KEPT_PER_CLIENT);
    await setLastMutationId(tx, facilityId, clientId, lastMutationId);
    deletedPackages = outcome.deletedPackageIds;
    applied = version !== null;
    return { lastMutationId, results: req.mutations.map((m) => results.get(m.id)!) };
  });
  // After commit: photos of deleted packages leave storage (a failure here leaves orphans for a
  // later sweep, never a package pointing at a missing photo).
  await deletePackagePhotos(deps, facilityId, deletedPackages).catch((e: Error) => console.error('[photos] delete failed:', e.message));
  // The outbox rows this push wrote are committed: the sender may take them now.
  if (applied) wakeNotifications(deps);
  return response;
}
