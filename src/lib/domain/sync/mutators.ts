// Mutators: the intent of each mutation, written once. The device runs them optimistically on its
// IndexedDB copy; the server re-runs them authoritatively on its own state (Replicache's model).
// A mutator checks everything first and writes only after, so a rejection leaves no trace.
import { checkTransition } from '../package-state';
import { checkUndoReceive } from '../undo-receive';
import { checkProof, checkReopen, holdText, returnText, type HandOffSettings } from '../handoff';
import type { NotificationDefaults } from '../facility-settings';
import { can, type Action, type Role } from '../permissions';
import { isMutationName, mutationArgs, type MutationArgs, type MutationName } from './mutations';
import { boundDeviceTime } from './device-time';
import type { AttachmentRow, DepartmentRow, LocationRow, PackageEventRow, PackageRow, RecipientRow } from './rows';

/** A domain refusal: the mutation is answered `rejected` with this stable code. */
export class MutationRejection extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a mutator reads and writes. Rows include soft-deleted ones (deletedAt set). */
export interface MutationStore {
  getPackage(id: string): Promise<PackageRow | undefined>;
  putPackage(row: PackageRow): Promise<void>;
  getRecipient(id: string): Promise<RecipientRow | undefined>;
  putRecipient(row: RecipientRow): Promise<void>;
  /** Rows the mutators only point at (ids in arguments must name a live row of this facility). */
  getLocation(id: string): Promise<LocationRow | undefined>;
  getDepartment(id: string): Promise<DepartmentRow | undefined>;
  putLocation(row: LocationRow): Promise<void>;
  putDepartment(row: DepartmentRow): Promise<void>;
  /** The live packages of a recipient that are still open (received or held). */
  openPackagesOf(recipientId: string): Promise<PackageRow[]>;
  addEvent(row: PackageEventRow): Promise<void>;
  /** Adds or keeps the attachment with this (packageId, hash, kind). */
  putAttachment(row: AttachmentRow): Promise<void>;
  /** Whether the bytes of this hash are already stored (for the attachment's `uploaded` flag). */
  isBlobUploaded(hash: string): Promise<boolean>;
  /** The facility's hand-off settings (the device holds the copy it last fetched). */
  handOffSettings(): Promise<HandOffSettings>;
  /** The channels a new recipient starts with (the facility's notification defaults; the device's last copy). */
  notificationDefaults(): Promise<NotificationDefaults>;
}

export interface MutationContext {
  actor: { id: string; role: Role };
  clientId: string;
  mutationId: number;
  /** When the person did it, on their device (display only; ordering is by server arrival). */
  clientTime: string;
  /**
   * When the mutation is applied, by the clock of whoever applies it: the server's when it runs
   * there authoritatively. Decides everything acted on later (deletedAt), and bounds device times.
   */
  now: string;
  newId(): string;
}

type Mutator<N extends MutationName> = (store: MutationStore, args: MutationArgs<N>, ctx: MutationContext) => Promise<void>;

const ACTION: Record<MutationName, Action> = {
  'package.receive': 'package.receive',
  'package.receive.v2': 'package.receive.v2',
  'package.undoReceive': 'package.undoReceive',
  'package.update': 'package.update',
  'package.update.v2': 'package.update.v2',
  'package.hold': 'package.hold',
  'package.hold.v2': 'package.hold.v2',
  'package.deliver': 'package.deliver',
  'package.deliver.v2': 'package.deliver.v2',
  'package.return': 'package.return',
  'package.return.v2': 'package.return.v2',
  'package.reopen': 'package.reopen',
  'package.attachPhoto': 'package.attachPhoto',
  'package.delete': 'package.delete',
  'recipient.upsert': 'recipient.upsert',
  'recipient.delete': 'recipient.delete',
  'recipient.merge': 'recipient.merge',
  'department.upsert': 'department.upsert',
  'department.delete': 'department.delete',
  'location.upsert': 'location.upsert',
  'location.delete': 'location.delete',
};

const PENDING_VERSION = 0;

async function livePackage(store: MutationStore, id: string): Promise<PackageRow> {
  const p = await store.getPackage(id);
  if (!p || p.deletedAt) throw new MutationRejection('not_found', 'The package does not exist (or was deleted)');
  return p;
}

async function checkRecipient(store: MutationStore, recipientId: string | null | undefined) {
  if (!recipientId) return;
  const r = await store.getRecipient(recipientId);
  if (!r || r.deletedAt) throw new MutationRejection('unknown_recipient', 'The recipient is not in this facility’s directory');
}

/**
 * An id pointing at a location or department must name a live one of this facility. A reference a
 * row already holds (`kept`) may stay after its target was deleted: deleting a department does not
 * make its people uneditable (docs/sync.md "Directory").
 */
async function checkReference(store: MutationStore, kind: 'location' | 'department', id: string | null | undefined, kept?: string | null) {
  if (!id || id === kept) return;
  const row = kind === 'location' ? await store.getLocation(id) : await store.getDepartment(id);
  if (!row || row.deletedAt) throw new MutationRejection('not_found', `The ${kind} does not exist in this facility (or was deleted)`);
}

/** When the device says the person did it, within a sane window around `ctx.now`. */
const deviceTime = (ctx: MutationContext, at: string = ctx.clientTime) => boundDeviceTime(at, ctx.now);

function event(ctx: MutationContext, packageId: string, type: string, data: Record<string, unknown> = {}): PackageEventRow {
  return {
    id: ctx.newId(),
    packageId,
    type,
    data,
    actorId: ctx.actor.id,
    clientId: ctx.clientId,
    mutationId: ctx.mutationId,
    at: deviceTime(ctx),
    recordedAt: ctx.now,
    version: PENDING_VERSION,
    deletedAt: null,
  };
}

async function attach(store: MutationStore, ctx: MutationContext, packageId: string, hash: string, kind: AttachmentRow['kind']) {
  await store.putAttachment({
    id: ctx.newId(),
    packageId,
    hash,
    kind,
    uploaded: await store.isBlobUploaded(hash),
    version: PENDING_VERSION,
    deletedAt: null,
  });
}

/** Both receive mutations; v1 arguments leave the intake details at their defaults. */
async function receive(
  store: MutationStore,
  a: MutationArgs<'package.receive'> & Partial<MutationArgs<'package.receive.v2'>>,
  ctx: MutationContext,
) {
  if (await store.getPackage(a.id)) throw new MutationRejection('alreadyExists', 'A package with this id already exists');
  await checkRecipient(store, a.recipientId);
  await checkReference(store, 'location', a.locationId);
  await store.putPackage({
    id: a.id,
    trackingNumber: a.trackingNumber,
    carrier: a.carrier,
    recipientId: a.recipientId ?? null,
    recipientName: a.recipientName,
    sender: a.sender ?? null,
    status: 'received',
    locationId: a.locationId ?? null,
    notes: a.notes ?? null,
    holdNote: null,
    returnNote: null,
    receivedAt: deviceTime(ctx, a.receivedAt),
    notifiedAt: null,
    heldAt: null,
    deliveredAt: null,
    returnedAt: null,
    deliveredTo: null,
    signatureHash: null,
    receivedById: ctx.actor.id,
    deliveredById: null,
    shelf: a.shelf ?? null,
    perishable: a.perishable ?? false,
    needsSignature: a.needsSignature ?? false,
    loggedAt: ctx.now,
    holdReason: null,
    proxyReason: null,
    returnReason: null,
    returnCarrier: null,
    returnedById: null,
    closedAt: null,
    version: PENDING_VERSION,
    deletedAt: null,
  });
  await store.addEvent(event(ctx, a.id, 'received', { carrier: a.carrier, trackingNumber: a.trackingNumber }));
}

/** Per-field last write wins by server arrival: only the fields named in the patch change. */
async function update(store: MutationStore, a: MutationArgs<'package.update'> | MutationArgs<'package.update.v2'>, ctx: MutationContext) {
  const p = await livePackage(store, a.id);
  if (a.patch.recipientId !== undefined) await checkRecipient(store, a.patch.recipientId);
  await checkReference(store, 'location', a.patch.locationId);
  const changed: Record<string, unknown> = {};
  const next: PackageRow = { ...p };
  for (const [key, value] of Object.entries(a.patch)) {
    if (value === undefined) continue;
    (next as unknown as Record<string, unknown>)[key] = value ?? null;
    changed[key] = value ?? null;
  }
  if (Object.keys(changed).length === 0) return;
  await store.putPackage(next);
  await store.addEvent(event(ctx, a.id, 'updated', changed));
}

async function hold(store: MutationStore, id: string, h: { note: string; reason: string | null }, ctx: MutationContext) {
  const p = await livePackage(store, id);
  const t = checkTransition(p.status, 'hold');
  if (!t.ok) throw new MutationRejection(t.code, t.message);
  await store.putPackage({ ...p, status: t.to, holdNote: h.note, holdReason: h.reason, heldAt: deviceTime(ctx) });
  await store.addEvent(event(ctx, id, 'held', { note: h.note, ...(h.reason ? { reason: h.reason } : {}) }));
}

async function deliver(
  store: MutationStore,
  a: MutationArgs<'package.deliver'> & { proxyReason?: string | null },
  ctx: MutationContext,
  settings: HandOffSettings,
  opts: { checkProxy: boolean },
) {
  const p = await livePackage(store, a.id);
  const t = checkTransition(p.status, 'deliver');
  if (!t.ok) throw new MutationRejection(t.code, t.message);
  const proof = checkProof(p, a, settings);
  if (!proof.ok && (proof.code === 'signature_required' || opts.checkProxy)) throw new MutationRejection(proof.code, proof.message);
  const proxyReason = proof.ok && proof.proxy ? (a.proxyReason?.trim() ?? null) : null;
  await store.putPackage({
    ...p,
    status: t.to,
    deliveredTo: a.deliveredTo,
    deliveredAt: deviceTime(ctx, a.at),
    deliveredById: ctx.actor.id,
    proxyReason,
    signatureHash: a.signatureHash ?? null,
    closedAt: ctx.now,
  });
  if (a.signatureHash) await attach(store, ctx, a.id, a.signatureHash, 'signature');
  if (a.photoHash) await attach(store, ctx, a.id, a.photoHash, 'delivery');
  await store.addEvent(
    event(ctx, a.id, 'delivered', {
      deliveredTo: a.deliveredTo,
      fromStatus: p.status,
      ...(proxyReason ? { proxyReason } : {}),
      ...(a.signatureHash ? { signatureHash: a.signatureHash } : {}),
      ...(a.photoHash ? { photoHash: a.photoHash } : {}),
    }),
  );
}

async function returnToSender(
  store: MutationStore,
  id: string,
  r: { note: string | null; reason: string | null; carrier: string | null; at: string },
  ctx: MutationContext,
) {
  const p = await livePackage(store, id);
  const t = checkTransition(p.status, 'return');
  if (!t.ok) throw new MutationRejection(t.code, t.message);
  await store.putPackage({
    ...p,
    status: t.to,
    returnNote: r.note,
    returnReason: r.reason,
    returnCarrier: r.carrier,
    returnedAt: deviceTime(ctx, r.at),
    returnedById: ctx.actor.id,
    closedAt: ctx.now,
  });
  await store.addEvent(
    event(ctx, id, 'returned', {
      note: r.note,
      fromStatus: p.status,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.carrier ? { carrier: r.carrier } : {}),
    }),
  );
}

const mutators: { [N in MutationName]: Mutator<N> } = {
  async 'package.receive'(store, a, ctx) {
    await receive(store, a, ctx);
  },

  async 'package.receive.v2'(store, a, ctx) {
    await receive(store, a, ctx);
  },

  async 'package.undoReceive'(store, a, ctx) {
    const p = await livePackage(store, a.id);
    const check = checkUndoReceive(p, ctx.actor.id, ctx.now);
    if (!check.ok) throw new MutationRejection(check.code, check.message);
    await store.putPackage({ ...p, deletedAt: ctx.now });
    await store.addEvent(event(ctx, a.id, 'receive_undone'));
  },

  async 'package.update'(store, a, ctx) {
    await update(store, a, ctx);
  },

  async 'package.update.v2'(store, a, ctx) {
    await update(store, a, ctx);
  },

  async 'package.hold'(store, a, ctx) {
    await hold(store, a.id, { note: a.note, reason: null }, ctx);
  },

  async 'package.hold.v2'(store, a, ctx) {
    await hold(store, a.id, { note: holdText(a.reason, a.note), reason: a.reason }, ctx);
  },

  async 'package.deliver'(store, a, ctx) {
    // The contract's first hand-off: it carries no proxy reason and predates the facility setting,
    // so only the package's own needs-signature applies (docs/sync.md "Hand-off").
    await deliver(store, a, ctx, { signatureRequired: false }, { checkProxy: false });
  },

  async 'package.deliver.v2'(store, a, ctx) {
    await deliver(store, a, ctx, await store.handOffSettings(), { checkProxy: true });
  },

  async 'package.return'(store, a, ctx) {
    await returnToSender(store, a.id, { note: a.note ?? null, reason: null, carrier: null, at: ctx.clientTime }, ctx);
  },

  async 'package.return.v2'(store, a, ctx) {
    await returnToSender(store, a.id, { note: returnText(a.reason, a.note), reason: a.reason, carrier: a.carrier ?? null, at: a.at }, ctx);
  },

  async 'package.reopen'(store, a, ctx) {
    const p = await livePackage(store, a.id);
    const check = checkReopen(p, ctx.actor, ctx.now);
    if (!check.ok) throw new MutationRejection(check.code, check.message);
    await store.putPackage({
      ...p,
      status: check.to,
      deliveredAt: null,
      deliveredTo: null,
      deliveredById: null,
      proxyReason: null,
      signatureHash: null,
      returnedAt: null,
      returnedById: null,
      returnNote: null,
      returnReason: null,
      returnCarrier: null,
      closedAt: null,
    });
    // What was taken back stays in the event: the history is never rewritten.
    await store.addEvent(
      event(ctx, a.id, 'reopened', {
        reason: a.reason,
        from: p.status,
        to: check.to,
        ...(p.status === 'delivered'
          ? { deliveredTo: p.deliveredTo, deliveredAt: p.deliveredAt, signatureHash: p.signatureHash }
          : { returnNote: p.returnNote, returnedAt: p.returnedAt }),
      }),
    );
  },

  async 'package.attachPhoto'(store, a, ctx) {
    await livePackage(store, a.id);
    await attach(store, ctx, a.id, a.hash, a.kind);
    await store.addEvent(event(ctx, a.id, 'photo_attached', { hash: a.hash, kind: a.kind }));
  },

  async 'package.delete'(store, a, ctx) {
    const p = await livePackage(store, a.id);
    // Tombstones are purged by age: the server's clock decides, never the device's.
    await store.putPackage({ ...p, deletedAt: ctx.now });
    await store.addEvent(event(ctx, a.id, 'deleted'));
  },

  async 'recipient.upsert'(store, a, ctx) {
    const existing = await store.getRecipient(a.id);
    if (existing?.deletedAt) throw new MutationRejection('not_found', 'The recipient was deleted');
    const channels = a.notifyEmail !== undefined || a.notifySms !== undefined;
    if (channels && !can({ role: ctx.actor.role }, 'recipient.notifications')) {
      throw new MutationRejection('forbidden', 'Only an admin changes how a recipient is notified');
    }
    await checkReference(store, 'department', a.departmentId, existing?.departmentId);
    await checkReference(store, 'location', a.defaultLocationId, existing?.defaultLocationId);
    // A new recipient starts with the facility's channels; an existing one keeps theirs unless changed.
    const defaults = existing ? null : await store.notificationDefaults();
    await store.putRecipient({
      ...existing,
      notifyEmail: a.notifyEmail ?? existing?.notifyEmail ?? defaults!.email,
      notifySms: a.notifySms ?? existing?.notifySms ?? defaults!.sms,
      id: a.id,
      name: a.name,
      email: a.email ?? null,
      phone: a.phone ?? null,
      employeeId: a.employeeId ?? null,
      departmentId: a.departmentId ?? null,
      defaultLocationId: a.defaultLocationId ?? null,
      notes: a.notes ?? null,
      ...(a.notifyEmail === undefined ? {} : { notifyEmail: a.notifyEmail }),
      ...(a.notifySms === undefined ? {} : { notifySms: a.notifySms }),
      version: PENDING_VERSION,
      deletedAt: null,
    });
  },

  async 'recipient.delete'(store, a, ctx) {
    const r = await store.getRecipient(a.id);
    if (!r || r.deletedAt) throw new MutationRejection('not_found', 'The recipient does not exist (or was deleted)');
    await store.putRecipient({ ...r, deletedAt: ctx.now });
  },

  // A duplicate is folded into the person kept: the kept one's fields win, its empty ones are
  // filled from the duplicate, the duplicate's open packages (received, held) point at the kept
  // one from now on, and the duplicate is soft-deleted. Delivered and returned packages stay as
  // they were handed over (history is not rewritten); they still carry the printed name.
  async 'recipient.merge'(store, a, ctx) {
    if (a.id === a.intoId) throw new MutationRejection('invalid_args', 'A recipient cannot be merged into itself');
    const from = await store.getRecipient(a.id);
    const into = await store.getRecipient(a.intoId);
    if (!from || from.deletedAt) throw new MutationRejection('not_found', 'The duplicate does not exist (or was deleted)');
    if (!into || into.deletedAt) throw new MutationRejection('not_found', 'The recipient to keep does not exist (or was deleted)');
    const open = await store.openPackagesOf(a.id);
    const filled = { ...into };
    for (const k of ['email', 'phone', 'employeeId', 'departmentId', 'defaultLocationId', 'notes'] as const) filled[k] ??= from[k];
    await store.putRecipient({ ...filled, version: PENDING_VERSION });
    await store.putRecipient({ ...from, deletedAt: ctx.now });
    for (const p of open) {
      await store.putPackage({ ...p, recipientId: a.intoId });
      await store.addEvent(event(ctx, p.id, 'updated', { recipientId: a.intoId, mergedFrom: a.id }));
    }
  },

  async 'department.upsert'(store, a) {
    const existing = await store.getDepartment(a.id);
    if (existing?.deletedAt) throw new MutationRejection('not_found', 'The department was deleted');
    await store.putDepartment({ ...existing, id: a.id, name: a.name, version: PENDING_VERSION, deletedAt: null });
  },

  // Deleting a department or location is soft and leaves references alone: its people and
  // packages keep pointing at it and show it as removed; nothing new can point at it.
  async 'department.delete'(store, a, ctx) {
    const d = await store.getDepartment(a.id);
    if (!d || d.deletedAt) throw new MutationRejection('not_found', 'The department does not exist (or was deleted)');
    await store.putDepartment({ ...d, deletedAt: ctx.now });
  },

  async 'location.upsert'(store, a) {
    const existing = await store.getLocation(a.id);
    if (existing?.deletedAt) throw new MutationRejection('not_found', 'The location was deleted');
    await store.putLocation({
      id: a.id,
      name: a.name,
      building: a.building ?? null,
      floor: a.floor ?? null,
      deliveryInstructions: a.deliveryInstructions ?? null,
      version: PENDING_VERSION,
      deletedAt: null,
    });
  },

  async 'location.delete'(store, a, ctx) {
    const l = await store.getLocation(a.id);
    if (!l || l.deletedAt) throw new MutationRejection('not_found', 'The location does not exist (or was deleted)');
    await store.putLocation({ ...l, deletedAt: ctx.now });
  },
};

declare const checkedBrand: unique symbol;
/** Arguments that passed their schema; only checkMutation makes one. */
type CheckedArgs = { readonly [checkedBrand]: true };
export type CheckedMutation = { ok: true; name: MutationName; role: Role; args: CheckedArgs } | { ok: false; rejection: MutationRejection };

/**
 * What can be decided about a mutation without reading any row: a known name, a role that may run
 * it, and valid arguments. The server checks this before it takes the facility's write lock, so a
 * push that can change nothing (a viewer's, or junk) never queues behind or in front of real work.
 */
export function checkMutation(mutation: { name: string; args: unknown }, role: Role): CheckedMutation {
  if (!isMutationName(mutation.name)) {
    return { ok: false, rejection: new MutationRejection('unknown_mutation', `Unknown mutation ${mutation.name}`) };
  }
  const name = mutation.name;
  if (!can({ role }, ACTION[name])) {
    return { ok: false, rejection: new MutationRejection('forbidden', `Your role (${role}) may not ${name}`) };
  }
  const parsed = mutationArgs[name].safeParse(mutation.args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      rejection: new MutationRejection('invalid_args', `${issue?.path.join('.') || 'args'}: ${issue?.message ?? 'invalid'}`),
    };
  }
  return { ok: true, name, role, args: parsed.data as unknown as CheckedArgs };
}

/**
 * Validates and runs one mutation. Throws MutationRejection for every domain refusal: unknown
 * name, invalid arguments, a role that may not, or a rule of the package state machine.
 */
export async function runMutation(store: MutationStore, mutation: { name: string; args: unknown }, ctx: MutationContext): Promise<void> {
  await runCheckedMutation(store, checkMutation(mutation, ctx.actor.role), ctx);
}

/**
 * Runs a mutation checkMutation has already judged (the server checks a whole push before it takes
 * the facility's lock, and need not parse every argument twice). The check must have been made for
 * the role that runs it.
 */
export async function runCheckedMutation(store: MutationStore, checked: CheckedMutation, ctx: MutationContext): Promise<void> {
  if (!checked.ok) throw checked.rejection;
  if (checked.role !== ctx.actor.role) throw new Error('runCheckedMutation: checked for another role');
  await (mutators[checked.name] as Mutator<MutationName>)(store, checked.args as never, ctx);
}
