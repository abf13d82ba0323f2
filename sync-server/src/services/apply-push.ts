// POST /api/sync/push (sync-protocol.md "Push"): exactly-once application of a client's queued
// mutations. One transaction per push: the client's row is locked (pushes of one client run one
// at a time), the facility's version is taken (its row lock orders writers, so pulls never skip a
// version), the shared mutators run in memory over the rows the batch touches, and the effects and
// the new lastMutationId commit together. A domain rejection advances lastMutationId and is stored
// with its reason; a database failure rolls everything back (503) and the retry re-applies nothing
// that had committed.
import { MutationRejection, checkMutation, runCheckedMutation } from '../../../src/lib/domain/sync/mutators.ts';
import type { MutationResult, PushRequest, PushResponse } from '../../../src/lib/domain/sync/protocol.ts';
import type { PackageRow, RecipientRow } from '../../../src/lib/domain/sync/rows.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import {
  loadDepartments,
  loadLocations,
  loadRejections,
  loadRowsAndTakenIds,
  lockSyncClient,
  queueNotifications,
  recordRejections,
  setLastMutationId,
  storedBlobHashes,
  takeVersion,
  writeSyncRows,
} from '../repositories/sync.ts';
import { BatchStore } from './batch-store.ts';
import { deletePackagePhotos } from './delete-package-photos.ts';
import { notificationsFor } from './notifications-for.ts';
import { newId } from './ids.ts';
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
    const runnable = todo.filter((m) => checks.get(m.id)!.ok);
    const version = runnable.length ? await takeVersion(tx, facilityId) : null;
    const refs = referencedIds(runnable);
    const [pk, rc, locations, departments, uploaded] = await Promise.all([
      loadRowsAndTakenIds<PackageRow>(tx, 'packages', facilityId, refs.packages),
      loadRowsAndTakenIds<RecipientRow>(tx, 'recipients', facilityId, refs.recipients),
      loadLocations(tx, facilityId, refs.locations),
      loadDepartments(tx, facilityId, refs.departments),
      storedBlobHashes(tx, facilityId, refs.hashes),
    ]);
    const [packages, recipients, takenPackages, takenRecipients] = [pk.rows, rc.rows, pk.taken, rc.taken];
    const local = new Set([...packages, ...recipients].map((r) => r.id));
    const foreignIds = new Set([...takenPackages, ...takenRecipients].filter((id) => !local.has(id)));
    const store = new BatchStore({ packages, recipients, locations, departments, foreignIds, uploadedHashes: uploaded });

    const rejections: { mutationId: number; name: string; code: string; message: string }[] = [];
    for (const m of todo) {
      try {
        // Checked above, before the lock, for this actor's role: the arguments are parsed once.
        await runCheckedMutation(store, checks.get(m.id)!, {
          actor: { id: actor.user.id, role: actor.role },
          clientId,
          mutationId: m.id,
          clientTime: new Date(m.clientTime).toISOString(),
          now,
          newId,
        });
        store.commit();
        results.set(m.id, { id: m.id, status: 'applied' });
      } catch (e) {
        store.rollback();
        if (!(e instanceof MutationRejection)) throw e;
        rejections.push({ mutationId: m.id, name: m.name, code: e.code, message: e.message });
        results.set(m.id, { id: m.id, status: 'rejected', code: e.code, message: e.message });
      }
    }

    const lastMutationId = todo[todo.length - 1]!.id;
    const writes = store.writes();
    if (version !== null) {
      await writeSyncRows(tx, facilityId, version, writes);
      // Transactional outbox: the notifications commit with the change that causes them and are
      // sent after commit by the notification worker, never for a rolled-back change.
      await queueNotifications(tx, facilityId, version, notificationsFor(writes));
    }
    await recordRejections(tx, facilityId, clientId, rejections, deps.env.QUOTA_REJECTIONS_KEPT_PER_CLIENT);
    await setLastMutationId(tx, facilityId, clientId, lastMutationId);
    deletedPackages = store.deletedPackageIds();
    return { lastMutationId, results: req.mutations.map((m) => results.get(m.id)!) };
  });
  // After commit: photos of deleted packages leave storage (a failure here leaves orphans for a
  // later sweep, never a package pointing at a missing photo).
  await deletePackagePhotos(deps, facilityId, deletedPackages).catch((e: Error) => console.error('[photos] delete failed:', e.message));
  return response;
}

/** The row ids and blob hashes a batch may read, to load them in one query each. */
function referencedIds(mutations: PushRequest['mutations']) {
  const packages = new Set<string>();
  const recipients = new Set<string>();
  const locations = new Set<string>();
  const departments = new Set<string>();
  const hashes = new Set<string>();
  const str = (v: unknown) => (typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v) ? v.toLowerCase() : null);
  for (const m of mutations) {
    const a = (m.args ?? {}) as Record<string, unknown>;
    if (m.name.startsWith('package.')) {
      const id = str(a.id);
      if (id) packages.add(id);
      const patch = (a.patch ?? {}) as Record<string, unknown>;
      const r = str(a.recipientId) ?? str(patch.recipientId);
      if (r) recipients.add(r);
      const l = str(a.locationId) ?? str(patch.locationId);
      if (l) locations.add(l);
      for (const h of [a.hash, a.signatureHash, a.photoHash]) if (typeof h === 'string') hashes.add(h);
    } else if (m.name.startsWith('recipient.')) {
      const id = str(a.id);
      if (id) recipients.add(id);
      const d = str(a.departmentId);
      if (d) departments.add(d);
      const l = str(a.defaultLocationId);
      if (l) locations.add(l);
    }
  }
  return {
    packages: [...packages],
    recipients: [...recipients],
    locations: [...locations],
    departments: [...departments],
    hashes: [...hashes],
  };
}
