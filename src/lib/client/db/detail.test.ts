// What the package detail, the Held tab and Needs attention read from the device (fake-indexeddb):
// held packages oldest hold first, a refused change with the package as it is now, and Dismiss
// keeping the proof's upload.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { enqueueMutation, claimDevice } from './outbox';
import { getMemberNames, setMemberNames } from './meta';
import { listPackages, openRejectionViews } from './queries';
import { dismissRejection, recordRejections } from './rejections';
import { PtpDb } from './schema';

const USER = '00000000-0000-4000-8000-000000000002';
const actor = { userId: USER, role: 'admin' as const };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const hash = 'a'.repeat(64);

async function device() {
  const db = new PtpDb('00000000-0000-4000-8000-000000000001', { indexedDB: new IDBFactory(), IDBKeyRange });
  await claimDevice(db, USER);
  return db;
}

const receive = (n: number, recipientName: string) => ({
  id: id(n),
  trackingNumber: `1Z${n}`,
  carrier: 'ups',
  recipientName,
  receivedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
});

describe('the device side of the package detail', () => {
  it('lists held packages by the age of their hold, oldest first, whatever their receipt order', async () => {
    const db = await device();
    for (const [n, name] of [
      [1, 'Ada'],
      [2, 'Bo'],
      [3, 'Cy'],
    ] as const) {
      await enqueueMutation(db, actor, 'package.receive', receive(n, name));
    }
    // Held in the order Cy, Ada, Bo (the device clock decides heldAt here).
    for (const n of [3, 1, 2]) {
      await enqueueMutation(db, actor, 'package.hold.v2', { id: id(n), reason: 'recipient_away' });
      await new Promise((r) => setTimeout(r, 5));
    }
    const held = await listPackages(db, { status: 'held', oldestHoldFirst: true });
    expect(held.map((p) => p.recipientName)).toEqual(['Cy', 'Ada', 'Bo']);
    expect(held[0]!.holdNote).toBe('Recipient away');
    expect((await listPackages(db, { status: 'held', oldestHoldFirst: true, limit: 2 })).map((p) => p.recipientName)).toEqual([
      'Cy',
      'Ada',
    ]);
  });

  it('shows a refused hand-off with the package as it is now, and Dismiss leaves its signature uploading', async () => {
    const db = await device();
    await enqueueMutation(db, actor, 'package.receive', receive(1, 'Ada'));
    await enqueueMutation(db, actor, 'package.return.v2', { id: id(1), reason: 'refused', at: new Date().toISOString() });
    await db.blobs.put({
      hash,
      data: new Blob(['png']),
      contentType: 'image/png',
      kind: 'signature',
      size: 3,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: new Date().toISOString(),
    });
    await recordRejections(db, [
      {
        clientId: 'c',
        id: 9,
        name: 'package.deliver.v2',
        args: { id: id(1), deliveredTo: 'Ada', signatureHash: hash, at: new Date().toISOString() },
        code: 'invalid_transition',
        message: 'A returned package cannot be delivered',
        at: new Date().toISOString(),
      },
    ]);
    const [view] = await openRejectionViews(db);
    expect(view).toMatchObject({ package: { status: 'returned', returnReason: 'refused' }, proofUploading: true });

    await dismissRejection(db, 'c', 9);
    expect(await openRejectionViews(db)).toEqual([]);
    expect(await db.rejections.get(['c', 9])).toMatchObject({ resolution: 'dismissed' });
    expect(await db.blobs.get(hash)).toMatchObject({ state: 'pending' });
  });

  it('keeps the facility’s member names for offline use', async () => {
    const db = await device();
    expect(await getMemberNames(db)).toEqual([]);
    await setMemberNames(db, [{ userId: USER, name: 'Ada', role: 'admin' }]);
    expect(await getMemberNames(db)).toEqual([{ userId: USER, name: 'Ada', role: 'admin' }]);
  });
});
