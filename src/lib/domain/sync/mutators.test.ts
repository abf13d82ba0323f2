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
});
