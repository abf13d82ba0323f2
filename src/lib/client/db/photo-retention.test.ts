// A device drops expired photos on its next sync (docs/photo-retention.md): when the pull brings the
// tombstone of a photo's attachment, the bytes leave IndexedDB unless another live attachment shows
// the same bytes, the engine is told which to remove from the service worker's cache, and the
// package detail says the photo was deleted after the retention period (fake-indexeddb).
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { claimDevice, enqueueMutation } from './outbox';
import { packageDetail } from './queries';
import { applyPull } from './rebase';
import { PtpDb } from './schema';

const USER = '00000000-0000-4000-8000-000000000002';
const actor = { userId: USER, role: 'admin' as const };
const pid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PHOTO = 'a'.repeat(64);
const SIGNATURE = 'b'.repeat(64);

async function device() {
  const db = new PtpDb('00000000-0000-4000-8000-000000000001', { indexedDB: new IDBFactory(), IDBKeyRange });
  await claimDevice(db, USER);
  return db;
}

const receive = (n: number) => ({
  id: pid(n),
  trackingNumber: `1Z${n}`,
  carrier: 'ups',
  recipientName: 'Ada',
  receivedAt: new Date().toISOString(),
});
const photo = (hash: string) => ({ hash, data: new Blob(['jpeg bytes']), contentType: 'image/jpeg', kind: 'intake' as const });

/** Packages 1..n received with the intake photo PHOTO, package 1 delivered with a signature; the server confirms it all. */
async function confirmedPackages(db: PtpDb, n: number) {
  for (let i = 1; i <= n; i++) {
    await enqueueMutation(db, actor, 'package.receive', receive(i));
    await enqueueMutation(db, actor, 'package.attachPhoto', { id: pid(i), hash: PHOTO, kind: 'intake' }, [photo(PHOTO)]);
  }
  const last = await enqueueMutation(
    db,
    actor,
    'package.deliver',
    { id: pid(1), deliveredTo: 'Ada', at: new Date().toISOString(), signatureHash: SIGNATURE },
    [{ ...photo(SIGNATURE), contentType: 'image/png', kind: 'signature' }],
  );
  // The pull confirms every row as the device wrote it, and acknowledges every mutation.
  const patch = [];
  for (const table of ['packages', 'packageEvents', 'attachments'] as const) {
    for (const row of await db.rowTable(table).toArray())
      patch.push({ op: 'put' as const, table, id: row.id, row: { ...row, version: 1 } });
  }
  await applyPull(db, actor, { patch, lastMutationId: last.id, cookie: 'c1', fromScratch: false });
  expect(await db.outbox.count()).toBe(0);
}

const attachmentOf = async (db: PtpDb, n: number, hash: string) =>
  (await db.attachments.where('packageId').equals(pid(n)).toArray()).find((a) => a.hash === hash)!;

describe('a device drops expired photos on its next sync', () => {
  it('the tombstone takes the bytes away; the signature and the package stay; the detail says why', async () => {
    const db = await device();
    await confirmedPackages(db, 1);
    expect(await db.blobs.get(PHOTO)).toBeDefined();
    expect((await packageDetail(db, pid(1)))!.expiredPhotos).toEqual([]);

    const tomb = await attachmentOf(db, 1, PHOTO);
    const outcome = await applyPull(db, actor, {
      patch: [{ op: 'del', table: 'attachments', id: tomb.id }],
      lastMutationId: 0,
      cookie: 'c2',
      fromScratch: false,
    });
    expect(outcome.droppedPhotos).toEqual([PHOTO]);
    expect(await db.blobs.get(PHOTO)).toBeUndefined();
    expect(await db.blobs.get(SIGNATURE)).toBeDefined();

    const detail = (await packageDetail(db, pid(1)))!;
    expect(detail.package.status).toBe('delivered');
    expect(detail.attachments.map((a) => a.kind)).toEqual(['signature']);
    expect(detail.expiredPhotos).toEqual([{ hash: PHOTO, kind: 'intake' }]);
  });

  it('keeps the bytes while another live attachment on this device shows them', async () => {
    const db = await device();
    await confirmedPackages(db, 2);
    const outcome = await applyPull(db, actor, {
      patch: [{ op: 'del', table: 'attachments', id: (await attachmentOf(db, 1, PHOTO)).id }],
      lastMutationId: 0,
      cookie: 'c2',
      fromScratch: false,
    });
    expect(outcome.droppedPhotos).toEqual([]);
    expect(await db.blobs.get(PHOTO)).toBeDefined();
    expect((await packageDetail(db, pid(2)))!.attachments.map((a) => a.hash)).toEqual([PHOTO]);

    // The second one expires too: now the bytes go.
    const second = await applyPull(db, actor, {
      patch: [{ op: 'del', table: 'attachments', id: (await attachmentOf(db, 2, PHOTO)).id }],
      lastMutationId: 0,
      cookie: 'c3',
      fromScratch: false,
    });
    expect(second.droppedPhotos).toEqual([PHOTO]);
    expect(await db.blobs.get(PHOTO)).toBeUndefined();
  });

  it('a pull without attachment tombstones drops nothing', async () => {
    const db = await device();
    await confirmedPackages(db, 1);
    const p = await db.packages.get(pid(1));
    const outcome = await applyPull(db, actor, {
      patch: [{ op: 'put', table: 'packages', id: pid(1), row: { ...p!, notes: 'x', version: 2 } }],
      lastMutationId: 0,
      cookie: 'c2',
      fromScratch: false,
    });
    expect(outcome.droppedPhotos).toEqual([]);
    expect(await db.blobs.get(PHOTO)).toBeDefined();
  });
});
