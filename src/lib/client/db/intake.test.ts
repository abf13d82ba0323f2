// The intake desk's device queries on fake-indexeddb, through the real outbox and rebase.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { findDuplicates, recordShiftEntry, shiftPackages, todayCounts } from './intake';
import { claimDevice, enqueueMutations, type DeviceActor } from './outbox';
import { applyPull } from './rebase';
import { recordRejections } from './rejections';
import { PtpDb } from './schema';

const FACILITY = '00000000-0000-4000-8000-000000000001';
const actor: DeviceActor = { userId: '00000000-0000-4000-8000-000000000002', role: 'operator' };
const pid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const HASH = 'a'.repeat(64);
let db: PtpDb;

beforeEach(async () => {
  db = new PtpDb(FACILITY, { indexedDB: new IDBFactory(), IDBKeyRange });
  await claimDevice(db, actor.userId);
});

const receive = (n: number, trackingNumber: string, receivedAt = new Date().toISOString()) => ({
  name: 'package.receive.v2' as const,
  args: { id: pid(n), trackingNumber, carrier: 'ups', recipientName: `Person ${n}`, receivedAt },
});

describe('findDuplicates', () => {
  it('finds an open package by its number typed with spaces, dashes or lower case', async () => {
    await enqueueMutations(db, actor, [receive(1, '1Z5R89390357567127')]);
    for (const typed of ['1Z5R89390357567127', '1z5r 8939 0357 5671 27', '1Z5R-8939-0357-5671-27']) {
      expect((await findDuplicates(db, typed)).map((d) => d.id)).toEqual([pid(1)]);
    }
    expect(await findDuplicates(db, '1Z5R89390357567128')).toEqual([]);
  });

  it('finds a label’s longer barcode as its tracking number (USPS 420 + ZIP)', async () => {
    await enqueueMutations(db, actor, [receive(1, '9101026837331000039521')]);
    expect((await findDuplicates(db, '420 22153 9101026837331000039521')).map((d) => d.id)).toEqual([pid(1)]);
  });

  it('counts delivered packages only when they left within the recent days, and never a deleted one', async () => {
    const now = new Date('2026-11-29T12:00:00Z');
    await enqueueMutations(db, actor, [receive(1, 'ABC12345'), receive(2, 'ABC12345'), receive(3, 'ABC12345')]);
    await db.packages.update(pid(1), { status: 'delivered', deliveredAt: '2026-11-27T12:00:00.000Z' });
    await db.packages.update(pid(2), { status: 'delivered', deliveredAt: '2026-10-01T12:00:00.000Z' });
    await db.packages.update(pid(3), { deletedAt: '2026-11-29T11:00:00.000Z' });
    expect((await findDuplicates(db, 'abc12345', now)).map((d) => d.id)).toEqual([pid(1)]);
  });
});

describe('todayCounts', () => {
  it('counts received since the day began, waiting and held', async () => {
    await enqueueMutations(db, actor, [
      receive(1, 'AAA11111', '2026-11-29T08:00:00.000Z'),
      receive(2, 'AAA22222', '2026-11-28T08:00:00.000Z'),
      receive(3, 'AAA33333', '2026-11-29T09:00:00.000Z'),
      { name: 'package.hold', args: { id: pid(3), note: 'ID needed' } },
    ]);
    expect(await todayCounts(db, '2026-11-29T00:00:00.000Z')).toEqual({ receivedToday: 2, waiting: 2, held: 1 });
  });

  it('leaves out a package undone on this device before it synced, and only that one', async () => {
    const today = new Date().toISOString();
    await enqueueMutations(db, actor, [receive(1, 'AAA11111', today), receive(2, 'AAA22222', today), receive(3, 'AAA33333', today)]);
    await enqueueMutations(db, actor, [
      { name: 'package.hold', args: { id: pid(2), note: 'ID needed' } },
      { name: 'package.undoReceive', args: { id: pid(1) } },
    ]);
    // The undone row is still in the table (deleted, its confirmed version in `base`) until a pull.
    expect((await db.packages.get(pid(1)))?.deletedAt).not.toBeNull();
    expect(await todayCounts(db, '2026-01-01T00:00:00.000Z')).toEqual({ receivedToday: 2, waiting: 1, held: 1 });
  });
});

describe('shiftPackages', () => {
  const entry = (n: number, savedAt: Date, photoHash: string | null = null) => ({
    id: pid(n),
    trackingNumber: `T${n}`,
    carrier: 'ups',
    recipientName: `Person ${n}`,
    photoHash,
    savedAt: savedAt.toISOString(),
  });

  it('says of each package whether it is saved here, synced, uploading its photo, rejected (with why) or undone', async () => {
    const now = new Date();
    const [r1, , r3] = await enqueueMutations(db, actor, [
      receive(1, 'AAA11111'),
      {
        name: 'package.attachPhoto',
        args: { id: pid(1), hash: HASH, kind: 'intake' },
        blobs: [{ hash: HASH, data: new Blob(['x']), contentType: 'image/jpeg', kind: 'intake' }],
      },
      receive(2, 'AAA22222'),
    ]);
    for (const [n, hash] of [
      [1, HASH],
      [2, null],
    ] as const)
      await recordShiftEntry(db, actor.userId, entry(n, now, hash), now);
    expect((await shiftPackages(db, actor.userId, now)).map((i) => [i.id, i.state])).toEqual([
      [pid(2), 'saved'],
      [pid(1), 'saved'],
    ]);

    // The server applied the first two and refused the third; the pull acknowledges all three.
    const rows = await db.packages.bulkGet([pid(1)]);
    await recordRejections(db, [
      {
        clientId: 'c',
        id: r3!.id,
        name: r3!.name,
        args: r3!.args,
        code: 'unknown_recipient',
        message: 'Not in the directory',
        at: now.toISOString(),
      },
    ]);
    await applyPull(db, actor, {
      patch: [{ op: 'put', table: 'packages', id: pid(1), row: { ...rows[0]!, version: 5 } }],
      lastMutationId: r3!.id,
      cookie: 'c',
      fromScratch: false,
    });
    expect(r1!.id).toBe(1);
    const items = await shiftPackages(db, actor.userId, now);
    expect(items.map((i) => [i.id, i.state, i.reason])).toEqual([
      [pid(2), 'rejected', 'Not in the directory'],
      [pid(1), 'photo_uploading', null],
    ]);
    await db.blobs.update(HASH, { state: 'uploaded', data: null });
    expect((await shiftPackages(db, actor.userId, now))[1]!.state).toBe('synced');
  });

  it('offers undo for the newest package within a minute, and shows it undone', async () => {
    const now = new Date();
    await enqueueMutations(db, actor, [receive(1, 'AAA11111'), receive(2, 'AAA22222')]);
    await recordShiftEntry(db, actor.userId, entry(1, new Date(now.getTime() - 5000)), now);
    await recordShiftEntry(db, actor.userId, entry(2, now), now);
    let items = await shiftPackages(db, actor.userId, now);
    expect(items.map((i) => i.undoable)).toEqual([true, false]);
    expect((await shiftPackages(db, actor.userId, new Date(now.getTime() + 61_000)))[0]!.undoable).toBe(false);

    await enqueueMutations(db, actor, [{ name: 'package.undoReceive', args: { id: pid(2) } }]);
    items = await shiftPackages(db, actor.userId, now);
    expect(items[0]).toMatchObject({ state: 'undo_pending', undoable: false });
    expect((await db.packages.get(pid(2)))?.deletedAt).not.toBeNull();
  });
});
