// The server side of the shared mutators: runs a batch of checked mutations over one facility's
// rows inside the caller's transaction, after the caller took the facility's version (its row lock
// orders every writer, so pulls never skip a version). Pushes (apply-push.ts) and the directory
// import (import-directory.ts) both write through here, so devices pull either the same way.
import { directoryAuditType } from '../../../src/lib/domain/activity.ts';
import { refusedHandOffEvidence } from '../../../src/lib/domain/custody.ts';
import { MutationRejection, runCheckedMutation, type CheckedMutation } from '../../../src/lib/domain/sync/mutators.ts';
import type { MutationResult } from '../../../src/lib/domain/sync/protocol.ts';
import type { DepartmentRow, LocationRow, PackageRow, RecipientRow } from '../../../src/lib/domain/sync/rows.ts';
import type { Role } from '../../../src/lib/domain/permissions.ts';
import type { Tx } from '../db/index.ts';
import {
  loadHandOffSettings,
  loadNotificationDefaults,
  loadOpenPackagesOf,
  loadRowsAndTakenIds,
  queueNotifications,
  storedBlobHashes,
  writeSyncRows,
} from '../repositories/sync.ts';
import { recordAudit, type AuditEntry } from '../repositories/audit.ts';
import { BatchStore } from './batch-store.ts';
import { newId } from './ids.ts';
import { notificationsFor } from './notifications-for.ts';

export interface BatchMutation {
  id: number;
  name: string;
  args: unknown;
  clientTime: string;
}

export interface BatchOutcome {
  results: MutationResult[];
  rejections: { mutationId: number; name: string; code: string; message: string }[];
  /** Packages whose deletion this batch committed (their photos leave storage after commit). */
  deletedPackageIds: string[];
}

/**
 * Runs `mutations` in order; each is applied or rejected on its own (a rejection's staged writes are
 * dropped). With a version, the effects are written stamped with it, with the notifications they
 * cause (a transactional outbox); without one (nothing runnable) nothing is written.
 */
export async function runMutationBatch(
  tx: Tx,
  facilityId: string,
  version: number | null,
  mutations: BatchMutation[],
  checks: Map<number, CheckedMutation>,
  ctx: { actor: { id: string; role: Role }; clientId: string; now: string },
): Promise<BatchOutcome> {
  const refs = referencedIds(mutations.filter((m) => checks.get(m.id)?.ok));
  const [pk, rc, lc, dp, open, uploaded] = await Promise.all([
    loadRowsAndTakenIds<PackageRow>(tx, 'packages', facilityId, refs.packages),
    loadRowsAndTakenIds<RecipientRow>(tx, 'recipients', facilityId, refs.recipients),
    loadRowsAndTakenIds<LocationRow>(tx, 'locations', facilityId, refs.locations),
    loadRowsAndTakenIds<DepartmentRow>(tx, 'departments', facilityId, refs.departments),
    loadOpenPackagesOf(tx, facilityId, refs.mergedRecipients),
    storedBlobHashes(tx, facilityId, refs.hashes),
  ]);
  const loaded = [pk, rc, lc, dp];
  const local = new Set(loaded.flatMap((l) => l.rows.map((r) => (r as { id: string }).id)));
  const foreignIds = new Set(loaded.flatMap((l) => [...l.taken]).filter((id) => !local.has(id)));
  const packages = new Map([...pk.rows, ...open].map((p) => [p.id, p]));
  const store = new BatchStore({
    packages: [...packages.values()],
    recipients: rc.rows,
    locations: lc.rows,
    departments: dp.rows,
    foreignIds,
    uploadedHashes: uploaded,
    handOffSettings: () => loadHandOffSettings(tx, facilityId),
    notificationDefaults: () => loadNotificationDefaults(tx, facilityId),
  });

  const results: MutationResult[] = [];
  const rejections: BatchOutcome['rejections'] = [];
  const audit: AuditEntry[] = [];
  for (const m of mutations) {
    try {
      const directory = await directoryChangeBefore(store, checks.get(m.id)!);
      await runCheckedMutation(store, checks.get(m.id)!, {
        actor: ctx.actor,
        clientId: ctx.clientId,
        mutationId: m.id,
        clientTime: new Date(m.clientTime).toISOString(),
        now: ctx.now,
        newId,
      });
      if (directory) audit.push(await directoryChangeAfter(store, directory, ctx));
      store.commit();
      results.push({ id: m.id, status: 'applied' });
    } catch (e) {
      store.rollback();
      if (!(e instanceof MutationRejection)) throw e;
      await keepRefusedHandOff(store, m, checks.get(m.id)!, e, ctx);
      rejections.push({ mutationId: m.id, name: m.name, code: e.code, message: e.message });
      results.push({ id: m.id, status: 'rejected', code: e.code, message: e.message });
    }
  }

  const writes = store.writes();
  if (version !== null) {
    await writeSyncRows(tx, facilityId, version, writes);
    // Transactional outbox: the notifications commit with the change that causes them and are
    // sent after commit by the notification worker, never for a rolled-back change.
    await queueNotifications(tx, facilityId, version, notificationsFor(writes));
    // The activity log's directory entries commit with the changes they record.
    await recordAudit(tx, facilityId, audit);
  }
  return { results, rejections, deletedPackageIds: store.deletedPackageIds() };
}

type DirectoryRow = Record<string, unknown> & { id: string };
interface DirectoryChange {
  mutation: string;
  subject: 'recipient' | 'department' | 'location';
  id: string;
  before: DirectoryRow | undefined;
  args: Record<string, unknown>;
}

const directoryRow = (store: BatchStore, subject: DirectoryChange['subject'], id: string) =>
  (subject === 'recipient'
    ? store.getRecipient(id)
    : subject === 'department'
      ? store.getDepartment(id)
      : store.getLocation(id)) as Promise<DirectoryRow | undefined>;

/** For a directory mutation about to run: what it acts on, as it is now (null: not a directory mutation). */
async function directoryChangeBefore(store: BatchStore, checked: CheckedMutation): Promise<DirectoryChange | null> {
  if (!checked.ok) return null;
  const subject = /^(recipient|department|location)\./.exec(checked.name)?.[1] as DirectoryChange['subject'] | undefined;
  if (!subject) return null;
  const args = checked.args as unknown as Record<string, unknown> & { id: string; intoId?: string };
  // A merge is recorded on the recipient kept.
  const id = checked.name === 'recipient.merge' ? args.intoId! : args.id;
  return { mutation: checked.name, subject, id, before: await directoryRow(store, subject, id), args };
}

/** The audit entry of a directory mutation that applied: what it was, and which fields it changed. */
async function directoryChangeAfter(
  store: BatchStore,
  c: DirectoryChange,
  ctx: { actor: { id: string }; clientId: string },
): Promise<AuditEntry> {
  const kind = directoryAuditType(c.mutation, !!c.before && !c.before.deletedAt)!;
  const after = await directoryRow(store, c.subject, c.id);
  const fields =
    kind.type.endsWith('_changed') && after
      ? Object.keys(after)
          .filter((k) => k !== 'version' && JSON.stringify(after[k]) !== JSON.stringify(c.before?.[k]))
          .sort()
      : undefined;
  return {
    type: kind.type,
    subjectType: kind.subject,
    subjectId: c.id,
    actorId: ctx.actor.id,
    clientId: ctx.clientId,
    data: {
      ...(fields ? { fields } : {}),
      ...(c.mutation === 'recipient.merge' ? { mergedId: c.args.id } : {}),
    },
  };
}

/**
 * A delivery refused because another device had already closed the package still happened: its
 * proof (a `handoff_refused` event, the signature and the photo as the package's attachments) is
 * kept, so nothing of it is lost and an admin can reopen the package and record it. The mutation
 * stays rejected with its code.
 */
async function keepRefusedHandOff(
  store: BatchStore,
  m: BatchMutation,
  checked: CheckedMutation,
  refusal: MutationRejection,
  ctx: { actor: { id: string }; clientId: string; now: string },
) {
  if (!checked.ok) return;
  const evidence = refusedHandOffEvidence({ name: checked.name, args: checked.args }, refusal, {
    actorId: ctx.actor.id,
    clientId: ctx.clientId,
    mutationId: m.id,
    now: ctx.now,
    newId,
  });
  if (!evidence) return;
  const p = await store.getPackage(evidence.event.packageId);
  if (!p?.id || p.deletedAt) return;
  // The same hand-off sent again (a retry from another tab, a package picked twice) is no conflict:
  // the package already records it.
  const d = evidence.event.data;
  if (p.status === 'delivered' && p.deliveredTo === d.deliveredTo && (p.signatureHash ?? undefined) === d.signatureHash) return;
  for (const a of evidence.attachments) await store.putAttachment({ ...a, uploaded: await store.isBlobUploaded(a.hash) });
  await store.addEvent(evidence.event);
  store.commit();
}

/** The row ids and blob hashes a batch may read, to load them in one query each. */
function referencedIds(mutations: BatchMutation[]) {
  const ids = {
    packages: new Set<string>(),
    recipients: new Set<string>(),
    locations: new Set<string>(),
    departments: new Set<string>(),
    mergedRecipients: new Set<string>(),
    hashes: new Set<string>(),
  };
  const str = (v: unknown) => (typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v) ? v.toLowerCase() : null);
  const add = (set: Set<string>, v: unknown) => {
    const id = str(v);
    if (id) set.add(id);
  };
  for (const m of mutations) {
    const a = (m.args ?? {}) as Record<string, unknown>;
    const [kind] = m.name.split('.');
    if (kind === 'package') {
      add(ids.packages, a.id);
      const patch = (a.patch ?? {}) as Record<string, unknown>;
      add(ids.recipients, a.recipientId ?? patch.recipientId);
      add(ids.locations, a.locationId ?? patch.locationId);
      for (const h of [a.hash, a.signatureHash, a.photoHash]) if (typeof h === 'string') ids.hashes.add(h);
    } else if (kind === 'recipient') {
      add(ids.recipients, a.id);
      add(ids.recipients, a.intoId);
      add(ids.departments, a.departmentId);
      add(ids.locations, a.defaultLocationId);
      if (m.name === 'recipient.merge') add(ids.mergedRecipients, a.id);
    } else if (kind === 'department') add(ids.departments, a.id);
    else if (kind === 'location') add(ids.locations, a.id);
  }
  const list = (s: Set<string>) => [...s];
  return {
    packages: list(ids.packages),
    recipients: list(ids.recipients),
    locations: list(ids.locations),
    departments: list(ids.departments),
    mergedRecipients: list(ids.mergedRecipients),
    hashes: list(ids.hashes),
  };
}
