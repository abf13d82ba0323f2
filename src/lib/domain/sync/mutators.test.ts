import { describe, expect, it } from 'vitest';
import type { Role } from '../permissions';
import { MutationRejection, runMutation, type MutationStore } from './mutators';
import type { AttachmentRow, PackageEventRow, PackageRow, RecipientRow } from './rows';

class MemoryStore implements MutationStore {
  packages = new Map<string, PackageRow>();
  recipients = new Map<string, RecipientRow>();
  events: PackageEventRow[] = [];
  attachments: AttachmentRow[] = [];
  uploaded = new Set<string>();
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
      { name: 'package.deliver', args: { id: P, deliveredTo: 'Ada', signatureHash: 'a'.repeat(64), at: '2026-11-26T12:00:00Z' } },
      ctx('courier'),
    );
    expect(s.packages.get(P)).toMatchObject({
      status: 'delivered',
      deliveredTo: 'Ada',
      deliveredAt: '2026-11-26T12:00:00.000Z',
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
    expect(s.recipients.get(R)?.deletedAt).toBe('2026-11-26T10:00:00.000Z');
    expect(await rejection(runMutation(s, { name: 'recipient.upsert', args: { id: R, name: 'Back' } }, ctx()))).toBe('not_found');
  });
});
