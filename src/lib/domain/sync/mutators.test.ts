import { describe, expect, it } from 'vitest';
import type { Role } from '../permissions';
import { MutationRejection, checkMutation, runCheckedMutation, runMutation, type MutationStore } from './mutators';
import type { AttachmentRow, DepartmentRow, LocationRow, PackageEventRow, PackageRow, RecipientRow } from './rows';

class MemoryStore implements MutationStore {
  packages = new Map<string, PackageRow>();
  recipients = new Map<string, RecipientRow>();
  events: PackageEventRow[] = [];
  attachments: AttachmentRow[] = [];
  uploaded = new Set<string>();
  locations = new Map<string, LocationRow>();
  departments = new Map<string, DepartmentRow>();
  async getLocation(id: string) {
    return this.locations.get(id);
  }
  async getDepartment(id: string) {
    return this.departments.get(id);
  }
  async putLocation(r: LocationRow) {
    this.locations.set(r.id, r);
  }
  async putDepartment(r: DepartmentRow) {
    this.departments.set(r.id, r);
  }
  async openPackagesOf(recipientId: string) {
    return [...this.packages.values()].filter(
      (p) => p.recipientId === recipientId && !p.deletedAt && (p.status === 'received' || p.status === 'held'),
    );
  }
  async getPackage(id: string) {
    return this.packages.get(id);
  }
  async putPackage(r: PackageRow) {
    this.packages.set(r.id, r);
  }
  async getRecipient(id: string) {
    return this.recipients.get(id);
  }
  async putRecipient(r: RecipientRow) {
    this.recipients.set(r.id, r);
  }
  async addEvent(e: PackageEventRow) {
    this.events.push(e);
  }
  async putAttachment(a: AttachmentRow) {
    this.attachments.push(a);
  }
  async isBlobUploaded(hash: string) {
    return this.uploaded.has(hash);
  }
  settings = { signatureRequired: true };
  async handOffSettings() {
    return this.settings;
  }
  defaults = { email: true, sms: false };
  async notificationDefaults() {
    return this.defaults;
  }
}

let n = 0;
const ctx = (role: Role = 'operator') => ({
  actor: { id: '00000000-0000-4000-8000-00000000000a', role },
  clientId: '00000000-0000-4000-8000-00000000000c',
  mutationId: ++n,
  clientTime: '2026-11-26T10:00:00.000Z',
  now: '2026-11-26T10:00:05.000Z',
  newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
});
const P = '11111111-1111-4111-8111-111111111111';
const receive = { id: P, trackingNumber: '1Z999', carrier: 'ups', recipientName: 'Ada', receivedAt: '2026-11-26T09:00:00+01:00' };

async function rejection(p: Promise<void>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof MutationRejection) return e.code;
    throw e;
  }
  return null;
}

const SIG = 'a'.repeat(64);
const PHOTO = 'b'.repeat(64);
const deliverV2 = (extra: Record<string, unknown> = {}) => ({
  name: 'package.deliver.v2',
  args: { id: P, deliveredTo: 'Ada', signatureHash: SIG, at: '2026-11-26T10:03:00Z', ...extra },
});

describe('hand-off mutators', () => {
  it('deliver.v2 asks for a signature while the facility does, and not once it stops', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: receive }, ctx());
    expect(await rejection(runMutation(s, deliverV2({ signatureHash: null, photoHash: PHOTO }), ctx('courier')))).toBe(
      'signature_required',
    );
    expect(s.packages.get(P)?.status).toBe('received');
    s.settings = { signatureRequired: false };
    await runMutation(s, deliverV2({ signatureHash: null }), ctx('courier'));
    expect(s.packages.get(P)).toMatchObject({ status: 'delivered', signatureHash: null, closedAt: '2026-11-26T10:00:05.000Z' });
  });

  it('a package that needs a signature cannot go without one, through either deliver', async () => {
    const s = new MemoryStore();
    s.settings = { signatureRequired: false };
    await runMutation(
      s,
      { name: 'package.receive.v2', args: { ...receive, trackingNumber: '1Z999AA10123456784', needsSignature: true } },
      ctx(),
    );
    const v1 = { name: 'package.deliver', args: { id: P, deliveredTo: 'Ada', at: '2026-11-26T10:03:00Z' } };
    expect(await rejection(runMutation(s, v1, ctx()))).toBe('signature_required');
    expect(await rejection(runMutation(s, deliverV2({ signatureHash: null }), ctx()))).toBe('signature_required');
    await runMutation(s, deliverV2(), ctx());
    expect(s.packages.get(P)?.status).toBe('delivered');
  });

  it('a proxy pickup needs a reason and is recorded with it; the recipient themselves needs none', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: receive }, ctx());
    expect(await rejection(runMutation(s, deliverV2({ deliveredTo: 'Charles Babbage' }), ctx()))).toBe('proxy_reason_required');
    await runMutation(s, deliverV2({ deliveredTo: 'Charles Babbage', proxyReason: 'Colleague collecting', photoHash: PHOTO }), ctx());
    expect(s.packages.get(P)).toMatchObject({ deliveredTo: 'Charles Babbage', proxyReason: 'Colleague collecting' });
    expect(s.events.at(-1)).toMatchObject({
      type: 'delivered',
      data: { proxyReason: 'Colleague collecting', signatureHash: SIG, photoHash: PHOTO },
    });
    expect(s.attachments.map((a) => a.kind).sort()).toEqual(['delivery', 'signature']);

    const s2 = new MemoryStore();
    await runMutation(s2, { name: 'package.receive', args: receive }, ctx());
    await runMutation(s2, deliverV2({ deliveredTo: '  ada ', proxyReason: 'ignored' }), ctx());
    expect(s2.packages.get(P)?.proxyReason).toBeNull();
  });

  it('hold.v2 needs a reason from the list, and words for "other"', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: receive }, ctx());
    const hold = (args: Record<string, unknown>) => runMutation(s, { name: 'package.hold.v2', args: { id: P, ...args } }, ctx());
    expect(await rejection(hold({}))).toBe('invalid_args');
    expect(await rejection(hold({ reason: 'bored' }))).toBe('invalid_args');
    expect(await rejection(hold({ reason: 'other', note: '  ' }))).toBe('invalid_args');
    await hold({ reason: 'id_required', note: 'passport' });
    expect(s.packages.get(P)).toMatchObject({ status: 'held', holdReason: 'id_required', holdNote: 'Photo ID required: passport' });
    // Releasing a hold is delivering normally; the note stays in history.
    await runMutation(s, deliverV2(), ctx());
    expect(s.packages.get(P)).toMatchObject({ status: 'delivered', holdNote: 'Photo ID required: passport' });
    expect(s.events.map((e) => e.type)).toEqual(['received', 'held', 'delivered']);
  });

  it('return.v2 records the reason and the carrier; a returned package cannot be delivered', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: receive }, ctx());
    await runMutation(
      s,
      { name: 'package.return.v2', args: { id: P, reason: 'refused', carrier: 'UPS', at: '2026-11-26T10:01:00Z' } },
      ctx(),
    );
    expect(s.packages.get(P)).toMatchObject({
      status: 'returned',
      returnReason: 'refused',
      returnCarrier: 'UPS',
      returnNote: 'Refused by recipient',
    });
    expect(await rejection(runMutation(s, deliverV2(), ctx()))).toBe('invalid_transition');
    expect(
      await rejection(runMutation(s, { name: 'package.return.v2', args: { id: P, reason: 'other', at: '2026-11-26T10:01:00Z' } }, ctx())),
    ).toBe('invalid_args');
  });

  it('reopen: the person who closed it within the window, an admin any time; back to held when it was held', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: receive }, ctx());
    await runMutation(s, { name: 'package.hold.v2', args: { id: P, reason: 'recipient_away' } }, ctx());
    await runMutation(s, deliverV2(), ctx('courier'));
    const reopen = { name: 'package.reopen', args: { id: P, reason: 'Wrong person' } };
    // Another operator may not; the courier who delivered may, within ten minutes of the server's record.
    const other = { ...ctx(), actor: { id: '00000000-0000-4000-8000-0000000000ff', role: 'operator' as Role } };
    expect(await rejection(runMutation(s, reopen, other))).toBe('forbidden');
    const late = { ...ctx('courier'), now: '2026-11-26T10:30:00.000Z' };
    expect(await rejection(runMutation(s, reopen, late))).toBe('undo_expired');
    await runMutation(s, reopen, ctx('courier'));
    expect(s.packages.get(P)).toMatchObject({ status: 'held', deliveredTo: null, signatureHash: null, closedAt: null });
    expect(s.events.at(-1)).toMatchObject({
      type: 'reopened',
      data: { from: 'delivered', to: 'held', deliveredTo: 'Ada', signatureHash: SIG },
    });
    expect(await rejection(runMutation(s, reopen, ctx('admin')))).toBe('invalid_transition');
    // An admin corrects a return long after.
    await runMutation(s, { name: 'package.return.v2', args: { id: P, reason: 'unclaimed', at: '2026-11-26T10:01:00Z' } }, ctx());
    await runMutation(s, reopen, { ...ctx('admin'), now: '2026-12-20T10:00:00.000Z' });
    expect(s.packages.get(P)).toMatchObject({ status: 'held', returnReason: null, returnedAt: null });
  });

  it('update.v2 reaches the intake details; every change is an event', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: receive }, ctx());
    await runMutation(s, { name: 'package.update.v2', args: { id: P, patch: { shelf: 'B4', needsSignature: true } } }, ctx());
    expect(s.packages.get(P)).toMatchObject({ shelf: 'B4', needsSignature: true });
    expect(s.events.at(-1)).toMatchObject({ type: 'updated', data: { shelf: 'B4', needsSignature: true } });
  });
});

describe('shared mutators', () => {
  it('receive creates a received package with an event, normalising the time to UTC', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: receive }, ctx());
    expect(s.packages.get(P)).toMatchObject({ status: 'received', receivedAt: '2026-11-26T08:00:00.000Z', recipientName: 'Ada' });
    expect(s.events.map((e) => e.type)).toEqual(['received']);
    expect(await rejection(runMutation(s, { name: 'package.receive', args: receive }, ctx()))).toBe('alreadyExists');
  });

  it('deliver records who, when and the signature attachment with its upload state', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: receive }, ctx());
    s.uploaded.add('a'.repeat(64));
    await runMutation(
      s,
      { name: 'package.deliver', args: { id: P, deliveredTo: 'Ada', signatureHash: 'a'.repeat(64), at: '2026-11-26T10:03:00Z' } },
      ctx('courier'),
    );
    expect(s.packages.get(P)).toMatchObject({
      status: 'delivered',
      deliveredTo: 'Ada',
      deliveredAt: '2026-11-26T10:03:00.000Z',
      signatureHash: 'a'.repeat(64),
    });
    expect(s.attachments).toEqual([expect.objectContaining({ kind: 'signature', uploaded: true, packageId: P })]);
  });

  it('refuses by role, by arguments, by name and by state, writing nothing', async () => {
    const s = new MemoryStore();
    expect(await rejection(runMutation(s, { name: 'package.receive', args: receive }, ctx('courier')))).toBe('forbidden');
    expect(await rejection(runMutation(s, { name: 'package.receive', args: { ...receive, id: 'x' } }, ctx()))).toBe('invalid_args');
    expect(await rejection(runMutation(s, { name: 'package.receive', args: { ...receive, extra: 1 } }, ctx()))).toBe('invalid_args');
    expect(await rejection(runMutation(s, { name: 'package.fly', args: {} }, ctx()))).toBe('unknown_mutation');
    expect(await rejection(runMutation(s, { name: 'package.hold', args: { id: P, note: 'x' } }, ctx()))).toBe('not_found');
    expect(await rejection(runMutation(s, { name: 'package.hold', args: { id: P, note: '   ' } }, ctx()))).toBe('invalid_args');
    expect(s.packages.size + s.events.length).toBe(0);
  });

  it('update changes only the named fields and null clears one', async () => {
    const s = new MemoryStore();
    await runMutation(s, { name: 'package.receive', args: { ...receive, sender: 'Books & Co.', notes: 'fragile' } }, ctx());
    await runMutation(s, { name: 'package.update', args: { id: P, patch: { notes: null } } }, ctx());
    expect(s.packages.get(P)).toMatchObject({ sender: 'Books & Co.', notes: null });
    expect(s.events.at(-1)).toMatchObject({ type: 'updated', data: { notes: null } });
  });

  it('recipient.upsert sets the notification switches when an admin gives them, and an edit without them keeps them', async () => {
    const s = new MemoryStore();
    const R = '22222222-2222-4222-8222-222222222223';
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Ada', email: 'ada@example.test' } }, ctx());
    expect(s.recipients.get(R)).toMatchObject({ notifyEmail: true, notifySms: false });
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Ada', notifyEmail: false, notifySms: true } }, ctx('admin'));
    expect(s.recipients.get(R)).toMatchObject({ notifyEmail: false, notifySms: true });
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Ada L.' } }, ctx());
    expect(s.recipients.get(R)).toMatchObject({ name: 'Ada L.', notifyEmail: false, notifySms: true });
    expect(
      await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Ada', notifyEmail: 'no' } }, ctx('admin'))),
    ).toBe('invalid_args');
  });

  it('recipient.upsert creates then updates; delete is soft and final', async () => {
    const s = new MemoryStore();
    const R = '22222222-2222-4222-8222-222222222222';
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Grace', email: '' } }, ctx());
    expect(s.recipients.get(R)).toMatchObject({ name: 'Grace', email: null, notifyEmail: true });
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Grace Hopper' } }, ctx());
    expect(s.recipients.get(R)?.name).toBe('Grace Hopper');
    expect(await rejection(runMutation(s, { name: 'recipient.delete', args: { id: R } }, ctx()))).toBe('forbidden');
    await runMutation(s, { name: 'recipient.delete', args: { id: R } }, ctx('admin'));
    // The applier's clock dates the tombstone, not the device's.
    expect(s.recipients.get(R)?.deletedAt).toBe('2026-11-26T10:00:05.000Z');
    expect(await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Back' } }, ctx()))).toBe('not_found');
  });

  it('a new recipient starts with the facility’s notification defaults; an existing one keeps their channels', async () => {
    const s = new MemoryStore();
    s.defaults = { email: false, sms: true };
    const R = '22222222-2222-4222-8222-222222222223';
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Grace' } }, ctx());
    expect(s.recipients.get(R)).toMatchObject({ notifyEmail: false, notifySms: true });
    // The facility's defaults change later: people already in the directory keep what they had.
    s.defaults = { email: true, sms: false };
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Grace Hopper' } }, ctx());
    expect(s.recipients.get(R)).toMatchObject({ name: 'Grace Hopper', notifyEmail: false, notifySms: true });
  });

  it('only an admin sets a recipient’s channels, on a new recipient or an existing one', async () => {
    const s = new MemoryStore();
    const R = '22222222-2222-4222-8222-222222222224';
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Ada', notifySms: true } }, ctx('admin'));
    expect(s.recipients.get(R)).toMatchObject({ notifyEmail: true, notifySms: true });
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Ada', notifyEmail: false } }, ctx('admin'));
    expect(s.recipients.get(R)).toMatchObject({ notifyEmail: false, notifySms: true });
    for (const args of [{ notifyEmail: true }, { notifySms: false }]) {
      expect(await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Ada L.', ...args } }, ctx('operator')))).toBe(
        'forbidden',
      );
    }
    expect(s.recipients.get(R)).toMatchObject({ name: 'Ada', notifyEmail: false, notifySms: true });
    const fresh = '22222222-2222-4222-8222-222222222225';
    expect(await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: fresh, name: 'Bo', notifySms: true } }, ctx()))).toBe(
      'forbidden',
    );
    expect(s.recipients.has(fresh)).toBe(false);
    // An operator adding someone at intake sends no channels: the facility's defaults apply.
    await runMutation(s, { name: 'recipient.upsert', args: { id: fresh, name: 'Bo' } }, ctx());
    expect(s.recipients.get(fresh)).toMatchObject({ notifyEmail: true, notifySms: false });
  });

  it('dates deletions by the applier and keeps device times only within a sane window', async () => {
    const s = new MemoryStore();
    const skewed = { ...ctx(), clientTime: '2001-01-01T00:00:00.000Z' };
    await runMutation(s, { name: 'package.receive', args: { ...receive, receivedAt: '2001-01-01T00:00:00Z' } }, skewed);
    expect(s.packages.get(P)?.receivedAt).toBe('2026-10-27T10:00:05.000Z');
    expect(s.events[0]?.at).toBe('2026-10-27T10:00:05.000Z');
    await runMutation(s, { name: 'package.deliver', args: { id: P, deliveredTo: 'Ada', at: '2099-01-01T00:00:00Z' } }, skewed);
    expect(s.packages.get(P)?.deliveredAt).toBe('2026-11-26T10:10:05.000Z');
    await runMutation(s, { name: 'package.delete', args: { id: P } }, { ...skewed, actor: { ...skewed.actor, role: 'admin' as Role } });
    expect(s.packages.get(P)?.deletedAt).toBe('2026-11-26T10:00:05.000Z');
  });

  it('refuses a location or department id that is not a live row of this facility', async () => {
    const s = new MemoryStore();
    const L = '33333333-3333-4333-8333-333333333333';
    const D = '44444444-4444-4444-8444-444444444444';
    const R = '22222222-2222-4222-8222-222222222222';
    expect(await rejection(runMutation(s, { name: 'package.receive', args: { ...receive, locationId: L } }, ctx()))).toBe('not_found');
    expect(await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'G', departmentId: D } }, ctx()))).toBe(
      'not_found',
    );
    expect(await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'G', defaultLocationId: L } }, ctx()))).toBe(
      'not_found',
    );
    expect(s.packages.size + s.recipients.size + s.events.length).toBe(0);
    s.locations.set(L, { id: L, name: 'Shelf A', building: null, floor: null, deliveryInstructions: null, version: 1, deletedAt: null });
    s.departments.set(D, { id: D, name: 'Eng', version: 1, deletedAt: null });
    await runMutation(s, { name: 'package.receive', args: { ...receive, locationId: L } }, ctx());
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'G', departmentId: D, defaultLocationId: L } }, ctx());
    s.locations.set(L, { ...s.locations.get(L)!, deletedAt: '2026-11-01T00:00:00.000Z' });
    expect(await rejection(runMutation(s, { name: 'package.update', args: { id: P, patch: { locationId: L } } }, ctx()))).toBe('not_found');
    await runMutation(s, { name: 'package.update', args: { id: P, patch: { locationId: null } } }, ctx());
    expect(s.packages.get(P)?.locationId).toBeNull();
  });

  it('a mutation checked once runs as runMutation would, and only for the role it was checked for', async () => {
    const s = new MemoryStore();
    await runCheckedMutation(s, checkMutation({ name: 'package.receive', args: receive }, 'operator'), ctx('operator'));
    expect(s.packages.get(P)?.status).toBe('received');
    expect(await rejection(runCheckedMutation(s, checkMutation({ name: 'package.receive', args: {} }, 'operator'), ctx()))).toBe(
      'invalid_args',
    );
    const forAdmin = checkMutation({ name: 'package.delete', args: { id: P } }, 'admin');
    await expect(runCheckedMutation(s, forAdmin, ctx('operator'))).rejects.toThrow(/another role/);
    expect(s.packages.get(P)?.deletedAt).toBeNull();
  });

  it('departments and locations: admins create, update and soft-delete them; operators may not', async () => {
    const s = new MemoryStore();
    const D = '44444444-4444-4444-8444-444444444444';
    const L = '33333333-3333-4333-8333-333333333333';
    for (const m of [
      { name: 'department.upsert', args: { id: D, name: 'Eng' } },
      { name: 'location.upsert', args: { id: L, name: 'Shelf A' } },
      { name: 'department.delete', args: { id: D } },
      { name: 'location.delete', args: { id: L } },
    ]) {
      expect(await rejection(runMutation(s, m, ctx('operator'))), m.name).toBe('forbidden');
      expect(await rejection(runMutation(s, m, ctx('courier'))), m.name).toBe('forbidden');
    }
    expect(s.departments.size + s.locations.size).toBe(0);

    await runMutation(s, { name: 'department.upsert', args: { id: D, name: ' Engineering ' } }, ctx('admin'));
    await runMutation(s, { name: 'location.upsert', args: { id: L, name: 'Shelf A', building: 'HQ', floor: '2' } }, ctx('admin'));
    expect(s.departments.get(D)).toEqual({ id: D, name: 'Engineering', version: 0, deletedAt: null });
    expect(s.locations.get(L)).toMatchObject({ name: 'Shelf A', building: 'HQ', floor: '2', deliveryInstructions: null });
    await runMutation(s, { name: 'location.upsert', args: { id: L, name: 'Shelf B', deliveryInstructions: 'Ring' } }, ctx('admin'));
    expect(s.locations.get(L)).toMatchObject({ name: 'Shelf B', building: null, deliveryInstructions: 'Ring' });
    expect(await rejection(runMutation(s, { name: 'location.upsert', args: { id: L, name: '' } }, ctx('admin')))).toBe('invalid_args');
    expect(await rejection(runMutation(s, { name: 'department.upsert', args: { id: D, name: 'x'.repeat(121) } }, ctx('admin')))).toBe(
      'invalid_args',
    );

    await runMutation(s, { name: 'department.delete', args: { id: D } }, ctx('admin'));
    await runMutation(s, { name: 'location.delete', args: { id: L } }, ctx('admin'));
    expect(s.departments.get(D)?.deletedAt).toBe('2026-11-26T10:00:05.000Z');
    expect(s.locations.get(L)?.deletedAt).toBe('2026-11-26T10:00:05.000Z');
    // Deleted is final: no second delete, no revival by an upsert.
    expect(await rejection(runMutation(s, { name: 'department.delete', args: { id: D } }, ctx('admin')))).toBe('not_found');
    expect(await rejection(runMutation(s, { name: 'location.upsert', args: { id: L, name: 'Back' } }, ctx('admin')))).toBe('not_found');
    expect(await rejection(runMutation(s, { name: 'location.delete', args: { id: L } }, ctx('admin')))).toBe('not_found');
  });

  it('deleting a department or location in use keeps the references; nothing new may point at it', async () => {
    const s = new MemoryStore();
    const D = '44444444-4444-4444-8444-444444444444';
    const L = '33333333-3333-4333-8333-333333333333';
    const R = '22222222-2222-4222-8222-222222222222';
    const R2 = '55555555-5555-4555-8555-555555555555';
    await runMutation(s, { name: 'department.upsert', args: { id: D, name: 'Eng' } }, ctx('admin'));
    await runMutation(s, { name: 'location.upsert', args: { id: L, name: 'Desk' } }, ctx('admin'));
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Grace', departmentId: D, defaultLocationId: L } }, ctx());
    await runMutation(s, { name: 'package.receive', args: { ...receive, locationId: L, recipientId: R } }, ctx());
    await runMutation(s, { name: 'department.delete', args: { id: D } }, ctx('admin'));
    await runMutation(s, { name: 'location.delete', args: { id: L } }, ctx('admin'));
    expect(s.recipients.get(R)).toMatchObject({ departmentId: D, defaultLocationId: L });
    expect(s.packages.get(P)?.locationId).toBe(L);
    // The person stays editable with the reference they hold…
    await runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Grace H.', departmentId: D, defaultLocationId: L } }, ctx());
    expect(s.recipients.get(R)).toMatchObject({ name: 'Grace H.', departmentId: D });
    // …but nobody new can be put there.
    expect(await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: R2, name: 'New', departmentId: D } }, ctx()))).toBe(
      'not_found',
    );
    expect(await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: R2, name: 'New', defaultLocationId: L } }, ctx()))).toBe(
      'not_found',
    );
  });

  it('recipient.merge re-points open packages to the kept recipient, fills its gaps and soft-deletes the duplicate', async () => {
    const s = new MemoryStore();
    const KEEP = '22222222-2222-4222-8222-222222222222';
    const DUP = '55555555-5555-4555-8555-555555555555';
    const [P1, P2, P3] = [
      '61111111-1111-4111-8111-111111111111',
      '62111111-1111-4111-8111-111111111111',
      '63111111-1111-4111-8111-111111111111',
    ];
    await runMutation(s, { name: 'recipient.upsert', args: { id: KEEP, name: 'Ada Lovelace', email: 'ada@example.test' } }, ctx());
    await runMutation(s, { name: 'recipient.upsert', args: { id: DUP, name: 'Ada L.', email: 'ada2@example.test', phone: '555' } }, ctx());
    for (const id of [P1, P2, P3]) await runMutation(s, { name: 'package.receive', args: { ...receive, id, recipientId: DUP } }, ctx());
    await runMutation(s, { name: 'package.hold', args: { id: P2, note: 'ID needed' } }, ctx());
    await runMutation(s, { name: 'package.deliver', args: { id: P3, deliveredTo: 'Ada', at: '2026-11-26T10:00:00Z' } }, ctx());

    expect(await rejection(runMutation(s, { name: 'recipient.merge', args: { id: DUP, intoId: KEEP } }, ctx('operator')))).toBe(
      'forbidden',
    );
    expect(await rejection(runMutation(s, { name: 'recipient.merge', args: { id: DUP, intoId: DUP } }, ctx('admin')))).toBe('invalid_args');
    const events = s.events.length;
    await runMutation(s, { name: 'recipient.merge', args: { id: DUP, intoId: KEEP } }, ctx('admin'));
    expect(s.packages.get(P1)?.recipientId).toBe(KEEP);
    expect(s.packages.get(P2)).toMatchObject({ recipientId: KEEP, status: 'held' });
    expect(s.packages.get(P3)?.recipientId).toBe(DUP); // delivered: history stays as handed over
    expect(s.events.slice(events).map((e) => [e.packageId, e.type, e.data])).toEqual([
      [P1, 'updated', { recipientId: KEEP, mergedFrom: DUP }],
      [P2, 'updated', { recipientId: KEEP, mergedFrom: DUP }],
    ]);
    expect(s.recipients.get(KEEP)).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.test', phone: '555', deletedAt: null });
    expect(s.recipients.get(DUP)?.deletedAt).toBe('2026-11-26T10:00:05.000Z');
    // Merging again, or into the removed duplicate, is refused.
    expect(await rejection(runMutation(s, { name: 'recipient.merge', args: { id: DUP, intoId: KEEP } }, ctx('admin')))).toBe('not_found');
    expect(await rejection(runMutation(s, { name: 'recipient.merge', args: { id: KEEP, intoId: DUP } }, ctx('admin')))).toBe('not_found');
  });
});
