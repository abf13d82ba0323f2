// The packages list's search over the search digest (schema.ts), on fake-indexeddb: it follows
// local changes, checks every hit against the row, and survives compaction.
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { enqueueMutation, claimDevice } from './outbox';
import { listPackages, pendingPackageIds } from './queries';
import { dbName, PtpDb } from './schema';
import { compactDigest } from './search-digest';

const USER = '00000000-0000-4000-8000-000000000002';
const actor = { userId: USER, role: 'admin' as const };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function device() {
  const db = new PtpDb('00000000-0000-4000-8000-000000000001', { indexedDB: new IDBFactory(), IDBKeyRange });
  await claimDevice(db, USER);
  return db;
}

const receive = (n: number, recipientName: string, trackingNumber: string, more: Record<string, unknown> = {}) => ({
  id: id(n),
  trackingNumber,
  carrier: 'ups',
  recipientName,
  receivedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  ...more,
});

const found = async (db: PtpDb, search: string, status: 'received' | 'held' | null = null) =>
  (await listPackages(db, { search, status })).map((p) => p.recipientName);

describe('package search on the device', () => {
  it('finds any word, any part of a tracking number, sender and notes; follows changes; survives compaction', async () => {
    const db = await device();
    await enqueueMutation(db, actor, 'package.receive', receive(1, 'Ada Lovelace', '1Z999AA10123456784', { sender: 'Babbage & Co' }));
    await enqueueMutation(db, actor, 'package.receive', receive(2, 'Grace Hopper', '9400111899223197428490', { notes: 'Cold chain' }));
    await enqueueMutation(db, actor, 'package.receive', receive(3, 'Ada Byron', 'TBA123456789000'));

    expect(await found(db, 'Lovelace')).toEqual(['Ada Lovelace']);
    expect(await found(db, 'ada')).toEqual(['Ada Byron', 'Ada Lovelace']); // newest first
    expect(await found(db, '1z999')).toEqual(['Ada Lovelace']);
    expect(await found(db, '456784')).toEqual(['Ada Lovelace']);
    expect(await found(db, '1118992231')).toEqual(['Grace Hopper']);
    expect(await found(db, 'babbage')).toEqual(['Ada Lovelace']);
    expect(await found(db, 'cold')).toEqual(['Grace Hopper']);
    expect(await found(db, 'nobody')).toEqual([]);

    await enqueueMutation(db, actor, 'package.update', { id: id(1), patch: { recipientName: 'Mary Somerville' } });
    await enqueueMutation(db, actor, 'package.hold', { id: id(3), note: 'shelf 4' });
    expect(await found(db, 'lovelace')).toEqual([]);
    expect(await found(db, 'somerville')).toEqual(['Mary Somerville']);
    expect(await found(db, 'ada', 'held')).toEqual(['Ada Byron']);
    expect(await found(db, 'ada', 'received')).toEqual([]);
    expect([...(await pendingPackageIds(db))].sort()).toEqual([id(1), id(2), id(3)]);

    expect(await db.searchDigest.count()).toBe(5);
    await db.transaction('rw', db.allTables, () => compactDigest(db, true));
    expect(await db.searchDigest.count()).toBe(1);
    expect((await db.searchDigest.toArray())[0]!.ids).toHaveLength(3);
    expect(await found(db, 'somerville')).toEqual(['Mary Somerville']);
    expect(await found(db, 'lovelace')).toEqual([]);
    expect(await found(db, '456784')).toEqual(['Mary Somerville']);
  });

  it('a limit stops at that many matches, newest first', async () => {
    const db = await device();
    for (let n = 1; n <= 30; n++) await enqueueMutation(db, actor, 'package.receive', receive(n, `Person ${n}`, `TRK${1000 + n}`));
    const rows = await listPackages(db, { search: 'person', limit: 5 });
    expect(rows.map((p) => p.recipientName)).toEqual(['Person 30', 'Person 29', 'Person 28', 'Person 27', 'Person 26']);
  });

  it('the list leaves out packages deleted here and still fills its screen', async () => {
    const db = await device();
    for (let n = 1; n <= 8; n++) await enqueueMutation(db, actor, 'package.receive', receive(n, `Person ${n}`, `TRK${2000 + n}`));
    for (const n of [8, 7, 6, 5, 4]) await enqueueMutation(db, actor, 'package.delete', { id: id(n) });
    expect((await listPackages(db, { limit: 2 })).map((p) => p.recipientName)).toEqual(['Person 3', 'Person 2']);
    expect((await listPackages(db, { limit: 10 })).map((p) => p.recipientName)).toEqual(['Person 3', 'Person 2', 'Person 1']);
    expect((await listPackages(db, { limit: 2, status: 'received' })).map((p) => p.recipientName)).toEqual(['Person 3', 'Person 2']);
    expect(await found(db, 'person')).toEqual(['Person 3', 'Person 2', 'Person 1']);
  });

  it('filters by carrier and location, with or without a search', async () => {
    const db = await device();
    const shelf = '00000000-0000-4000-8000-0000000000aa';
    await db.locations.put({
      id: shelf,
      name: 'Shelf A',
      building: null,
      floor: null,
      deliveryInstructions: null,
      version: 1,
      deletedAt: null,
    });
    await enqueueMutation(
      db,
      actor,
      'package.receive',
      receive(1, 'Ada Lovelace', '1Z999AA10123456784', { carrier: 'ups', locationId: shelf }),
    );
    await enqueueMutation(db, actor, 'package.receive', receive(2, 'Ada Byron', '9400111899223197428490', { carrier: 'usps' }));
    await enqueueMutation(db, actor, 'package.receive', receive(3, 'Grace Hopper', '1Z999AA10123456785', { carrier: 'ups' }));
    const names = async (f: Parameters<typeof listPackages>[1]) => (await listPackages(db, f)).map((p) => p.recipientName);
    expect(await names({ carrier: 'ups' })).toEqual(['Grace Hopper', 'Ada Lovelace']);
    expect(await names({ carrier: 'usps', search: 'ada' })).toEqual(['Ada Byron']);
    expect(await names({ locationId: shelf })).toEqual(['Ada Lovelace']);
    expect(await names({ locationId: shelf, carrier: 'usps' })).toEqual([]);
    expect(await names({ carrier: 'ups', status: 'received', search: '1z999' })).toEqual(['Grace Hopper', 'Ada Lovelace']);
  });

  it('a device upgraded from schema v2 finds its packages (the digest is built on upgrade)', async () => {
    const indexedDB = new IDBFactory();
    const facility = '00000000-0000-4000-8000-000000000001';
    const v2 = new Dexie(dbName(facility), { indexedDB, IDBKeyRange });
    v2.version(2).stores({
      packages: 'id, status, recipientNameLower, trackingReversed, receivedAt, [status+receivedAt], [status+recipientNameLower]',
      recipients: 'id, nameLower',
      departments: 'id',
      locations: 'id',
      packageEvents: 'id, packageId',
      attachments: 'id, packageId, hash, [packageId+hash+kind]',
      base: 'key',
      outbox: 'id',
      blobs: 'hash, state',
      meta: 'key',
      rejections: '[clientId+id], at',
    });
    const row = {
      ...receive(1, 'Ada Lovelace', '1Z999AA10123456784'),
      status: 'received',
      version: 3,
      deletedAt: null,
      sender: null,
      notes: null,
    };
    await v2.table('packages').put({ ...row, recipientNameLower: 'ada lovelace', trackingReversed: '48765432101aa999z1' });
    v2.close();
    const db = new PtpDb(facility, { indexedDB, IDBKeyRange });
    expect((await listPackages(db, { search: 'lovelace' })).map((p) => p.id)).toEqual([row.id]);
    expect((await listPackages(db, { search: 'AA1012' })).map((p) => p.id)).toEqual([row.id]);
  });
});
