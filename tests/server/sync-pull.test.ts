// sync-protocol.md "Pull": consistent snapshots, paging, tombstones, epochs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeTombstones } from '../../sync-server/src/services/purge-tombstones.ts';
import { asOwner, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, applyPatch, mutation, receiveArgs, rowsOf, type State } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await startTestApp({ SYNC_PULL_PAGE_SIZE: '7' });
  admin = await signUp(t);
});
afterAll(() => t?.close());

const device = () => new Device(admin.client, admin.facilityId);

async function serverPackages(): Promise<Map<string, string>> {
  const rows = await t.deps.db.withFacility(admin.facilityId, (tx) => tx.package.findMany({ where: { deletedAt: null } }));
  return new Map(rows.map((r) => [r.id, r.status]));
}

const packageStatuses = (s: State) => new Map([...rowsOf(s, 'packages')].map(([id, r]) => [id, r.status as string]));

describe('pull', () => {
  it('returns package rows with the contract fields, in pages, each row once', async () => {
    const d = device();
    const muts = Array.from({ length: 20 }, (_, i) => mutation(i + 1, 'package.receive', receiveArgs()));
    await d.push(muts);
    const { patch, pages, lastMutationId } = await d.pullAll();
    expect(pages).toBeGreaterThan(2); // 20 packages + 20 events over pages of 7
    expect(lastMutationId).toBe(20);
    const puts = patch.filter((op) => op.op === 'put' && op.table === 'packages');
    const ids = puts.map((op) => (op as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    const row = (puts[0] as { row: Record<string, unknown> }).row;
    for (const f of [
      'id',
      'trackingNumber',
      'carrier',
      'recipientId',
      'recipientName',
      'sender',
      'status',
      'locationId',
      'notes',
      'receivedAt',
      'heldAt',
      'deliveredAt',
      'returnedAt',
      'deliveredTo',
      'version',
    ]) {
      expect(row).toHaveProperty(f);
    }
    expect(row.facilityId).toBeUndefined();
    expect(String(row.receivedAt)).toMatch(/Z$/);
    expect(patch.filter((op) => op.op === 'put' && op.table === 'packageEvents')).toHaveLength(20);
  });

  it('(8) a pull concurrent with pushes never returns a lastMutationId without its effects', async () => {
    const writer = device();
    const big = await startTestApp({ SYNC_PULL_PAGE_SIZE: '5000' });
    try {
      const owner = await signUp(big);
      const w = new Device(owner.client, owner.facilityId, writer.clientId);
      const ids: string[] = [];
      const pushes = (async () => {
        for (let i = 1; i <= 30; i++) {
          const args = receiveArgs();
          ids.push(args.id);
          const r = await w.push([mutation(i, 'package.receive', args)]);
          expect(r.status).toBe(200);
        }
      })();
      const checks: Promise<void>[] = [];
      for (let k = 0; k < 25; k++) {
        checks.push(
          (async () => {
            const r = await w.pull(null);
            expect(r.status).toBe(200);
            const have = new Set(
              r.json.patch.filter((op: { table?: string }) => op.table === 'packages').map((op: { id: string }) => op.id),
            );
            // Every mutation up to lastMutationId has its package in the same answer.
            for (let i = 0; i < r.json.lastMutationId; i++) expect(have.has(ids[i]!)).toBe(true);
          })(),
        );
        await new Promise((res) => setTimeout(res, 3));
      }
      await Promise.all([pushes, ...checks]);
    } finally {
      await big.close();
    }
  });

  it('sends deletes as tombstones to devices that had the row; a fresh snapshot leaves them out', async () => {
    const d = device();
    const keep = receiveArgs();
    const gone = receiveArgs();
    await d.push([mutation(1, 'package.receive', keep), mutation(2, 'package.receive', gone)]);
    const before = await d.pullAll();
    const state = applyPatch(new Map(), before.patch);
    expect(rowsOf(state, 'packages').has(gone.id)).toBe(true);

    await d.push([mutation(3, 'package.delete', { id: gone.id })]);
    const inc = await d.pullAll(before.cookie);
    expect(inc.patch).toContainEqual({ op: 'del', table: 'packages', id: gone.id });
    applyPatch(state, inc.patch);
    expect(rowsOf(state, 'packages').has(gone.id)).toBe(false);

    const fresh = applyPatch(new Map(), (await device().pullAll()).patch);
    expect(rowsOf(fresh, 'packages').has(gone.id)).toBe(false);
    expect(rowsOf(fresh, 'packages').has(keep.id)).toBe(true);
  });

  it('a row deleted while a device pages through its first snapshot reaches it as a delete', async () => {
    const d = device();
    const muts = Array.from({ length: 12 }, (_, i) => mutation(i + 1, 'package.receive', receiveArgs()));
    await d.push(muts);
    const first = await d.pull(null);
    expect(first.json.more).toBe(true);
    const state = applyPatch(new Map(), first.json.patch);
    const delivered = first.json.patch.find((op: { op: string; table?: string }) => op.op === 'put' && op.table === 'packages');
    expect(delivered).toBeDefined();
    // Deleted by an admin after the device received it on the first page, before the walk ends.
    await d.push([mutation(13, 'package.delete', { id: delivered.id })]);
    let cookie: string = first.json.cookie;
    for (;;) {
      const r = await d.pull(cookie);
      applyPatch(state, r.json.patch);
      cookie = r.json.cookie;
      if (!r.json.more) break;
    }
    expect(rowsOf(state, 'packages').has(delivered.id)).toBe(false);
    expect(packageStatuses(state)).toEqual(await serverPackages());
  });

  it('(9) a restored database (new epoch) answers clear + full snapshot; deleted rows stay deleted', async () => {
    const d = device();
    const a = receiveArgs();
    const b = receiveArgs();
    await d.push([mutation(1, 'package.receive', a), mutation(2, 'package.receive', b), mutation(3, 'package.delete', { id: b.id })]);
    const first = await d.pullAll();
    // A restore brings the data back under a new epoch.
    // The app itself may not change the epoch; the operator's restore step (npm run db:new-epoch) does.
    await expect(t.deps.db.prisma.$executeRawUnsafe(`UPDATE database_meta SET epoch = gen_random_uuid()`)).rejects.toThrow();
    await asOwner(t, (c) => c.query('UPDATE database_meta SET epoch = gen_random_uuid()'));
    const after = await d.pullAll(first.cookie);
    expect(after.patch[0]).toEqual({ op: 'clear' });
    const state = applyPatch(new Map(), after.patch);
    expect(packageStatuses(state)).toEqual(await serverPackages());
    expect(rowsOf(state, 'packages').has(b.id)).toBe(false);
  });

  it('(9) a cookie behind the tombstone horizon answers clear + full snapshot', async () => {
    const d = device();
    const a = receiveArgs();
    await d.push([mutation(1, 'package.receive', a)]);
    const first = await d.pullAll();
    await d.push([mutation(2, 'package.delete', { id: a.id })]);
    // The tombstone is purged (as after the retention period), so an incremental pull would miss it.
    const purged = await purgeTombstones(t.deps, admin.facilityId, new Date(Date.now() + 365 * 24 * 3600 * 1000));
    expect(purged.removed).toBeGreaterThan(0);
    const fac = await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: admin.facilityId } });
    expect(fac.tombstoneHorizon).toBe(purged.horizon);
    expect(await t.deps.db.withFacility(admin.facilityId, (tx) => tx.package.count({ where: { id: a.id } }))).toBe(0);
    const after = await d.pullAll(first.cookie);
    expect(after.patch[0]).toEqual({ op: 'clear' });
    const state = applyPatch(applyPatch(new Map(), first.patch), after.patch);
    expect(rowsOf(state, 'packages').has(a.id)).toBe(false);
    expect(packageStatuses(state)).toEqual(await serverPackages());
    // The finished snapshot's cookie is current: the next pull is incremental and empty.
    const next = await d.pullAll(after.cookie);
    expect(next.patch).toEqual([]);
    await t.deps.db.prisma.facility.update({ where: { id: admin.facilityId }, data: { tombstoneHorizon: 0 } });
  });

  it('a cookie from the future (database went back in time) answers clear + full snapshot', async () => {
    const d = device();
    const { cookie } = await d.pullAll();
    const raw = JSON.parse(Buffer.from(cookie, 'base64url').toString());
    const future = Buffer.from(JSON.stringify({ ...raw, v: raw.v + 1000 })).toString('base64url');
    const r = await d.pull(future);
    expect(r.status).toBe(200);
    expect(r.json.patch[0]).toEqual({ op: 'clear' });
  });

  it('refuses a cookie it did not issue with 400', async () => {
    const r = await device().pull('not a cookie');
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_cursor');
  });

  it('answers every malformed cursor field with 400 invalid_cursor, never 500', async () => {
    const d = device();
    const { cookie } = await d.pullAll();
    const good = JSON.parse(Buffer.from(cookie, 'base64url').toString());
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad: unknown[] = [
      { ...good, i: 'not-a-uuid' },
      { ...good, i: "'; DROP TABLE packages; --" },
      { ...good, e: 'epoch' },
      { ...good, v: -1 },
      { ...good, v: 1.5 },
      { ...good, v: 2 ** 40 },
      { ...good, t: 99 },
      { ...good, t: -1 },
      { ...good, s: 2 },
      { ...good, extra: true },
      { e: good.e },
      [],
      null,
      'text',
    ];
    for (const b of bad) {
      const r = await d.pull(enc(b));
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(r.json.error).toBe('invalid_cursor');
    }
    expect((await d.pull(enc(good))).status).toBe(200);
  });

  it('(10) rows changed while a device is paging are delivered once, and the device converges', async () => {
    const d = device();
    const muts = Array.from({ length: 15 }, (_, i) => mutation(i + 1, 'package.receive', receiveArgs()));
    await d.push(muts);
    const other = device();
    const state: State = new Map();
    const seen = new Map<string, number>();
    let cookie: string | null = null;
    let page = 0;
    let mid = 1;
    for (;;) {
      const r = await d.pull(cookie);
      applyPatch(state, r.json.patch);
      for (const op of r.json.patch)
        if (op.op === 'put' && op.table === 'packages')
          seen.set(`${op.id}@${op.row.version}`, (seen.get(`${op.id}@${op.row.version}`) ?? 0) + 1);
      cookie = r.json.cookie;
      page++;
      if (page <= 3) {
        // Another device changes rows already delivered and rows not yet delivered.
        const target = muts[(page * 5) % muts.length]!.args.id;
        await other.push([mutation(mid++, 'package.hold', { id: target, note: `held on page ${page}` })]);
      }
      if (!r.json.more) break;
    }
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(packageStatuses(state)).toEqual(await serverPackages());
  });
});
