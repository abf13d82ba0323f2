// The device's sync engine (src/lib/client) against the real server in-process: Dexie on
// fake-indexeddb, the engine's fetch going to app.request. sync-protocol.md end to end: an offline
// queue lands exactly once, a rebase keeps pending work on top of others' changes, a rejection is
// shown and its optimistic effect disappears, 409 out_of_order recovers, uploads retry without a
// new local write, and two tabs syncing at once apply nothing twice.
import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPull } from '../../src/lib/client/db/rebase.ts';
import { dismissRejection } from '../../src/lib/client/db/rejections.ts';
import { listPackages, openRejections, packageDetail, syncCounts } from '../../src/lib/client/db/queries.ts';
import { PtpDb } from '../../src/lib/client/db/schema.ts';
import { SyncEngine } from '../../src/lib/client/sync/engine.ts';
import { prepareBlob } from '../../src/lib/client/sync/hash.ts';
import type { LockLike } from '../../src/lib/client/sync/lock.ts';
import { MutationRejection } from '../../src/lib/domain/sync/mutators.ts';
import { ORIGIN, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let account: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  // Small pages, so every pull here spans several pages and is staged before it is applied.
  t = await startTestApp({ SYNC_PULL_PAGE_SIZE: '3' });
  account = await signUp(t);
});
afterAll(() => t?.close());

/** A fake blob endpoint (the engine's side of sync-protocol.md "Blobs"), with failures on demand. */
class FakeBlobServer {
  stored = new Map<string, Uint8Array>();
  puts = 0;
  heads = 0;
  failPuts = 0;
  async handle(url: string, init: RequestInit): Promise<Response> {
    const hash = url.split('/').pop()!;
    if (init.method === 'HEAD') {
      this.heads++;
      return new Response(null, { status: this.stored.has(hash) ? 200 : 404 });
    }
    this.puts++;
    if (this.failPuts > 0) {
      this.failPuts--;
      return Response.json({ error: 'unavailable', message: 'storage down' }, { status: 503 });
    }
    const had = this.stored.has(hash);
    this.stored.set(hash, new Uint8Array(await (init.body as Blob).arrayBuffer()));
    return new Response(null, { status: had ? 200 : 201 });
  }
}

/** One device: its own IndexedDB, a network switch, and a hook to tamper with requests. */
class TestDevice {
  online = true;
  idb: IDBFactory;
  blobs = new FakeBlobServer();
  tamper: ((path: string, body: unknown) => unknown) | null = null;
  requests: string[] = [];
  clock = Date.now();

  constructor(
    readonly session: Awaited<ReturnType<typeof signUp>>,
    idb?: IDBFactory,
  ) {
    this.idb = idb ?? new IDBFactory();
  }

  fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const path = new URL(url).pathname;
    this.requests.push(`${init.method} ${path}`);
    if (!this.online) throw new TypeError('Failed to fetch');
    if (path.startsWith('/api/sync/blobs/')) return this.blobs.handle(url, init);
    let body = init.body;
    if (this.tamper && typeof body === 'string') body = JSON.stringify(this.tamper(path, JSON.parse(body)));
    return t.app.request(url, { ...init, body });
  };

  async engine(opts: { locks?: LockLike; idb?: IDBFactory } = {}) {
    const db = new PtpDb(this.session.facilityId, { indexedDB: opts.idb ?? this.idb, IDBKeyRange });
    return SyncEngine.open({
      db,
      facilityId: this.session.facilityId,
      actor: { userId: this.session.userId, role: 'admin' },
      fetch: this.fetch,
      baseUrl: ORIGIN,
      headers: () => ({
        origin: ORIGIN,
        cookie: [...this.session.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      }),
      locks: opts.locks,
      now: () => this.clock,
      random: () => 0.5,
    });
  }
}

/** What the server holds for the facility, seen through a fresh full pull. */
async function serverRows(table: string) {
  const { patch } = await new Device(account.client, account.facilityId).pullAll();
  const rows = new Map<string, Record<string, unknown>>();
  for (const op of patch) if (op.op === 'put' && op.table === table) rows.set(op.id, op.row);
  return rows;
}

const receive = (over: Record<string, unknown> = {}) => receiveArgs({ recipientName: 'Grace Hopper', ...over });

describe('client sync engine against the server', () => {
  it('queues offline, then syncs: the server has exactly the N packages, the queue is empty', async () => {
    const dev = new TestDevice(account);
    dev.online = false;
    const engine = await dev.engine();
    const args = Array.from({ length: 7 }, () => receive());
    for (const a of args) await engine.mutate('package.receive', a);
    const offline = await engine.sync();
    expect(offline.state).toBe('offline');
    expect((await syncCounts(engine.db)).pendingMutations).toBe(7);
    expect((await engine.db.outbox.toArray()).map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await engine.hasUnsyncedChanges()).toBe(true);
    // Shown optimistically while offline.
    expect((await listPackages(engine.db, { search: 'grace' })).length).toBeGreaterThanOrEqual(7);

    dev.online = true;
    const outcome = await engine.sync();
    expect(outcome.state).toBe('synced');
    expect(outcome.pushed).toBe(7);
    const server = await serverRows('packages');
    for (const a of args) expect(server.get(a.id)?.trackingNumber).toBe(a.trackingNumber);
    const counts = await syncCounts(engine.db);
    expect(counts.pendingMutations).toBe(0);
    expect(counts.lastSyncedAt).not.toBeNull();
    expect(await engine.hasUnsyncedChanges()).toBe(false);
    // Displayed rows are now the server's (its versions, not the pending placeholder 0).
    const local = await engine.db.packages.get(args[0]!.id);
    expect(local?.version).toBeGreaterThan(0);
    expect(await engine.db.base.count()).toBe(0);

    // A second sync sends nothing and changes nothing.
    const again = await engine.sync();
    expect(again.pushed).toBe(0);
    expect((await serverRows('packages')).size).toBe(server.size);
  });

  it('rebases pending work on top of another device’s change (exact, no lost fields)', async () => {
    const a = new TestDevice(account);
    const b = new TestDevice(account);
    const ea = await a.engine();
    const eb = await b.engine();
    const pkg = receive({ notes: 'original' });
    await ea.mutate('package.receive', pkg);
    await ea.sync();
    await eb.sync();
    expect((await eb.db.packages.get(pkg.id))?.notes).toBe('original');

    // A, offline, holds the package; B changes its notes and syncs.
    a.online = false;
    await ea.mutate('package.hold', { id: pkg.id, note: 'Damaged box' });
    await ea.sync(); // settles the sync the mutation started (offline)
    expect((await ea.db.packages.get(pkg.id))?.status).toBe('held');
    await eb.mutate('package.update', { id: pkg.id, patch: { notes: 'from B', sender: 'ACME' } });
    expect((await eb.sync()).state).toBe('synced');

    // A pulls only (its push still queued): B's change shows, A's pending hold stays on top.
    const pulled = await new Device(account.client, account.facilityId, ea.clientId).pullAll();
    const rebase = await applyPull(ea.db, ea.actor, { ...pulled, fromScratch: true });
    expect(rebase).toMatchObject({ acknowledged: 0, pending: 1, skipped: 0 });
    const mid = await ea.db.packages.get(pkg.id);
    expect(mid).toMatchObject({ status: 'held', holdNote: 'Damaged box', notes: 'from B', sender: 'ACME' });
    expect(await ea.db.outbox.count()).toBe(1);

    a.online = true;
    expect((await ea.sync()).state).toBe('synced');
    const after = await ea.db.packages.get(pkg.id);
    expect(after).toMatchObject({ status: 'held', holdNote: 'Damaged box', notes: 'from B', sender: 'ACME' });
    expect(after!.version).toBeGreaterThan(0);
    expect((await serverRows('packages')).get(pkg.id)).toMatchObject({ status: 'held', notes: 'from B' });
    // Exactly one 'held' event: the optimistic one was replaced by the server's.
    const detail = await packageDetail(ea.db, pkg.id);
    expect(detail!.events.filter((e) => e.type === 'held')).toHaveLength(1);
    expect(detail!.events.every((e) => e.version > 0)).toBe(true);
  });

  it('a rejected mutation lands in rejections and its optimistic effect is gone after the pull', async () => {
    const a = new TestDevice(account);
    const b = new TestDevice(account);
    const ea = await a.engine();
    const eb = await b.engine();
    const pkg = receive();
    await ea.mutate('package.receive', pkg);
    await ea.sync();
    await eb.sync();

    a.online = false;
    await ea.mutate('package.deliver', { id: pkg.id, deliveredTo: 'Front desk', at: new Date().toISOString() });
    await ea.sync();
    expect((await ea.db.packages.get(pkg.id))?.status).toBe('delivered');
    await eb.mutate('package.return', { id: pkg.id, note: 'Refused' });
    await eb.sync();

    a.online = true;
    const outcome = await ea.sync();
    expect(outcome.rejected).toBe(1);
    expect((await ea.db.packages.get(pkg.id))?.status).toBe('returned');
    const detail = await packageDetail(ea.db, pkg.id);
    expect(detail!.events.map((e) => e.type)).not.toContain('delivered');
    const rejections = await openRejections(ea.db);
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ name: 'package.deliver', code: 'invalid_transition' });
    expect(rejections[0]!.message).toMatch(/returned/);
    expect((await syncCounts(ea.db)).rejections).toBe(1);

    await dismissRejection(ea.db, ea.clientId, rejections[0]!.id);
    expect(await openRejections(ea.db)).toHaveLength(0);
  });

  it('a mutation the device itself refuses throws and queues nothing', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    const pkg = receive();
    await engine.mutate('package.receive', pkg);
    await engine.mutate('package.deliver', { id: pkg.id, deliveredTo: 'Ada', at: new Date().toISOString() });
    const before = await engine.db.outbox.count();
    await expect(engine.mutate('package.hold', { id: pkg.id, note: 'late' })).rejects.toBeInstanceOf(MutationRejection);
    await expect(engine.mutate('package.hold', { id: pkg.id, note: '' })).rejects.toMatchObject({ code: 'invalid_args' });
    expect(await engine.db.outbox.count()).toBe(before);
    expect((await engine.db.packages.get(pkg.id))?.status).toBe('delivered');
    await engine.sync();
  });

  it('queues a package and its photo as one action: both or neither', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    dev.online = false;
    const photo = await prepareBlob(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 9, 8, 7, 6])], { type: 'image/jpeg' }), 'intake');
    const before = await engine.db.outbox.count();
    const pkg = receive();
    // The second step is refused on the device (bad hash): the first is not kept either.
    await expect(
      engine.mutateAll([
        { name: 'package.receive', args: pkg },
        { name: 'package.attachPhoto', args: { id: pkg.id, hash: 'not-a-hash', kind: 'intake' }, blobs: [photo] },
      ]),
    ).rejects.toMatchObject({ code: 'invalid_args' });
    expect(await engine.db.outbox.count()).toBe(before);
    expect(await engine.db.packages.get(pkg.id)).toBeUndefined();
    expect(await engine.db.blobs.get(photo.hash)).toBeUndefined();

    const entries = await engine.mutateAll([
      { name: 'package.receive', args: pkg },
      { name: 'package.attachPhoto', args: { id: pkg.id, hash: photo.hash, kind: 'intake' }, blobs: [photo] },
    ]);
    expect(entries.map((e) => e.id)).toEqual([entries[0]!.id, entries[0]!.id + 1]);
    expect((await engine.db.blobs.get(photo.hash))?.state).toBe('pending');
    expect((await packageDetail(engine.db, pkg.id))!.attachments).toHaveLength(1);
    dev.online = true;
    await engine.sync();
    expect(await engine.db.outbox.count()).toBe(0);
  });

  it('recovers from 409 out_of_order by re-sending from the expected id', async () => {
    const dev = new TestDevice(account);
    dev.online = false;
    const engine = await dev.engine();
    const args = [receive(), receive(), receive()];
    for (const a of args) await engine.mutate('package.receive', a);
    await engine.sync();
    // The first push loses its first mutation on the way: the server expects 1 and says so.
    let tampered = 0;
    dev.tamper = (path, body) => {
      const b = body as { mutations?: unknown[] };
      if (path === '/api/sync/push' && tampered++ === 0) return { ...b, mutations: b.mutations!.slice(1) };
      return body;
    };
    dev.online = true;
    const outcome = await engine.sync();
    expect(outcome.state).toBe('synced');
    expect(tampered).toBe(2);
    const server = await serverRows('packages');
    for (const a of args) expect(server.has(a.id)).toBe(true);
    expect(await engine.db.outbox.count()).toBe(0);
  });

  it('a push whose answer is lost is re-sent and applied once', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    dev.online = false;
    const pkg = receive();
    await engine.mutate('package.receive', pkg);
    await engine.sync(); // settles the sync the mutation started (offline)
    dev.online = true;
    const realFetch = dev.fetch;
    let dropped = false;
    dev.fetch = async (url, init) => {
      const res = await realFetch(url, init);
      if (!dropped && url.endsWith('/api/sync/push')) {
        dropped = true;
        throw new TypeError('connection reset');
      }
      return res;
    };
    // The engine captured dev.fetch at open: reopen on the same database.
    const reopened = await dev.engine();
    expect((await reopened.sync()).state).not.toBe('synced');
    expect(await reopened.db.outbox.count()).toBe(1);
    expect((await reopened.sync()).state).toBe('synced');
    const events = [...(await serverRows('packageEvents')).values()].filter((e) => e.packageId === pkg.id);
    expect(events).toHaveLength(1);
    await engine.sync();
  });

  it('when the network returns, a photo that failed for want of it uploads at once, not after its backoff', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    const pkg = receive();
    const photo = await prepareBlob(
      new Blob([new Uint8Array([0xff, 0xd8, 0xff, 4, 4, 4, Math.random() * 255])], { type: 'image/jpeg' }),
      'intake',
    );
    await engine.mutateAll([
      { name: 'package.receive', args: pkg },
      { name: 'package.attachPhoto', args: { id: pkg.id, hash: photo.hash, kind: 'intake' }, blobs: [photo] },
    ]);
    // The push gets through, then the connection drops during the photo's upload.
    const handle = dev.blobs.handle.bind(dev.blobs);
    dev.blobs.handle = async () => {
      throw new TypeError('Failed to fetch');
    };
    await engine.sync();
    const waiting = await engine.db.blobs.get(photo.hash);
    expect(waiting).toMatchObject({ state: 'pending', networkFailure: true });
    expect(waiting!.nextAttemptAt).toBeGreaterThan(dev.clock);

    dev.blobs.handle = handle;
    await engine.sync(); // a plain sync still respects the backoff
    expect((await engine.db.blobs.get(photo.hash))!.state).toBe('pending');
    await engine.networkReturned(); // what the browser's online event does
    expect((await engine.db.blobs.get(photo.hash))!.state).toBe('uploaded');
  });

  it('a failed upload is retried later without a new local write, and the bytes go only after the server confirmed', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    const pkg = receive();
    const photo = await prepareBlob(
      new Blob([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3, Math.random() * 255])], { type: 'image/jpeg' }),
      'intake',
    );
    dev.online = false;
    await engine.mutate('package.receive', pkg);
    await engine.mutate('package.attachPhoto', { id: pkg.id, hash: photo.hash, kind: 'intake' }, [photo]);
    await engine.sync();
    let detail = await packageDetail(engine.db, pkg.id);
    expect(detail!.attachments).toHaveLength(1);
    expect(detail!.attachments[0]).toMatchObject({ hash: photo.hash, pendingUpload: true });
    expect(detail!.attachments[0]!.localData).not.toBeNull();

    dev.online = true;
    dev.blobs.failPuts = 1;
    const first = await engine.sync();
    expect(first.state).toBe('synced'); // mutations never wait for uploads
    expect(first.uploads).toMatchObject({ uploaded: 0, failed: 1 });
    const failed = await engine.db.blobs.get(photo.hash);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1 });
    expect(failed!.data).not.toBeNull();
    expect(failed!.nextAttemptAt).toBeGreaterThan(dev.clock);
    expect((await syncCounts(engine.db)).pendingUploads).toBe(1);

    // Before its backoff has passed nothing is tried.
    const early = await engine.sync();
    expect(early.uploads).toMatchObject({ uploaded: 0, failed: 0 });

    dev.clock += 61_000;
    const second = await engine.sync();
    expect(second.uploads).toMatchObject({ uploaded: 1, failed: 0 });
    expect(dev.blobs.puts).toBe(2);
    expect(dev.blobs.stored.has(photo.hash)).toBe(true);
    expect(await engine.db.blobs.count()).toBe(1);
    expect(await engine.db.outbox.count()).toBe(0);
    const done = await engine.db.blobs.get(photo.hash);
    expect(done).toMatchObject({ state: 'uploaded', data: null });
    detail = await packageDetail(engine.db, pkg.id);
    expect(detail!.attachments[0]).toMatchObject({ pendingUpload: false, uploaded: true });
    expect(await engine.hasUnsyncedChanges()).toBe(false);
    // The server holds exactly one attachment for it.
    const atts = [...(await serverRows('attachments')).values()].filter((r) => r.packageId === pkg.id);
    expect(atts).toHaveLength(1);
  });

  it('skips the upload when the server already has the bytes (HEAD first)', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    const sig = await prepareBlob(
      new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, Math.random() * 255])], { type: 'image/png' }),
      'signature',
    );
    dev.blobs.stored.set(sig.hash, new Uint8Array());
    const pkg = receive();
    dev.online = false;
    await engine.mutate('package.receive', pkg);
    await engine.mutate('package.deliver', { id: pkg.id, deliveredTo: 'Ada', signatureHash: sig.hash, at: new Date().toISOString() }, [
      sig,
    ]);
    await engine.sync();
    dev.online = true;
    const outcome = await engine.sync();
    expect(outcome.uploads).toMatchObject({ uploaded: 1 });
    expect(dev.blobs.puts).toBe(0);
    expect(dev.blobs.heads).toBe(1);
  });

  it('two tabs (same database and clientId) syncing at once apply nothing twice', async () => {
    const dev = new TestDevice(account);
    const noLock: LockLike = { request: (_name, cb) => cb() };
    for (const locks of [undefined, noLock]) {
      const tab1 = await dev.engine({ locks });
      const tab2 = await dev.engine({ locks });
      expect(tab2.clientId).toBe(tab1.clientId);
      dev.online = false;
      const args = Array.from({ length: 5 }, () => receive());
      for (const [i, a] of args.entries()) await (i % 2 ? tab1 : tab2).mutate('package.receive', a);
      expect((await tab1.db.outbox.toArray()).map((m) => m.id)).toEqual([1, 2, 3, 4, 5].map((n) => n + (locks ? 5 : 0)));
      await Promise.all([tab1.sync(), tab2.sync()]);
      dev.online = true;
      await Promise.all([tab1.sync(), tab2.sync(), tab1.sync(), tab2.sync()]);
      await Promise.all([tab1.sync(), tab2.sync()]);
      expect(await tab1.db.outbox.count()).toBe(0);
      const events = [...(await serverRows('packageEvents')).values()];
      for (const a of args) expect(events.filter((e) => e.packageId === a.id)).toHaveLength(1);
      const pkgs = await serverRows('packages');
      for (const a of args) expect(pkgs.has(a.id)).toBe(true);
      // And the device shows each once.
      for (const a of args) expect(await tab1.db.packages.where('id').equals(a.id).count()).toBe(1);
    }
  });

  it('keeps the queue on 409 facility_mismatch, 426 and 401, and says why', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    dev.online = false;
    await engine.mutate('package.receive', receive());
    await engine.sync();
    dev.online = true;

    const other = await signUp(t);
    // The same device's session now has another facility active: the server refuses the push.
    const wrong = new TestDevice(other, dev.idb);
    const mismatch = await SyncEngine.open({
      db: engine.db,
      facilityId: account.facilityId,
      actor: engine.actor,
      fetch: wrong.fetch,
      baseUrl: ORIGIN,
      headers: () => ({ origin: ORIGIN, cookie: [...other.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }),
    });
    expect((await mismatch.sync()).state).toBe('facility_mismatch');
    expect(mismatch.status.message).toMatch(/another facility/);
    expect(await engine.db.outbox.count()).toBe(1);
    // Halted: no more requests until resumed.
    const before = wrong.requests.length;
    await mismatch.sync();
    expect(wrong.requests.length).toBe(before);

    const cookie = [...account.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const old = await SyncEngine.open({
      db: engine.db,
      facilityId: account.facilityId,
      actor: engine.actor,
      fetch: dev.fetch,
      baseUrl: ORIGIN,
      headers: () => ({ origin: ORIGIN, cookie }),
      schemaVersion: 999,
    });
    expect((await old.sync()).state).toBe('update_required');
    expect(old.status.message).toMatch(/reload/i);
    const signedOut = await SyncEngine.open({
      db: engine.db,
      facilityId: account.facilityId,
      actor: engine.actor,
      fetch: dev.fetch,
      baseUrl: ORIGIN,
      headers: () => ({ origin: ORIGIN }),
    });
    expect((await signedOut.sync()).state).toBe('signed_out');
    expect(signedOut.status.message).toMatch(/sign in/i);
    expect(await engine.db.outbox.count()).toBe(1);

    expect((await engine.sync()).state).toBe('synced');
    expect(await engine.db.outbox.count()).toBe(0);
  });

  it('a first sync on a fresh device pulls everything (several pages) and reports progress', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    const progress: number[] = [];
    engine.onStatus((s) => s.firstSyncProgress !== null && progress.push(s.firstSyncProgress));
    expect((await engine.sync()).state).toBe('synced');
    const server = await serverRows('packages');
    expect(await engine.db.packages.count()).toBe(server.size);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((p) => p >= 0 && p <= 1)).toBe(true);
    // Searches: recipient-name prefix (any case) and tracking-number suffix.
    const one = [...server.values()][0]!;
    const suffix = String(one.trackingNumber).slice(-6).toLowerCase();
    expect((await listPackages(engine.db, { search: suffix })).map((p) => p.id)).toContain(one.id);
    expect((await listPackages(engine.db, { search: 'GRACE h' })).length).toBeGreaterThan(0);
    expect((await listPackages(engine.db, { status: 'returned' })).every((p) => p.status === 'returned')).toBe(true);
    // A status and a name prefix together: exactly the packages matching both.
    const both = await listPackages(engine.db, { status: 'received', search: 'grace' });
    const expected = [...server.values()].filter(
      (p) => p.status === 'received' && !p.deletedAt && String(p.recipientName).toLowerCase().startsWith('grace'),
    );
    expect(both.length).toBeGreaterThan(0);
    expect(new Set(both.map((p) => p.id))).toEqual(new Set(expected.map((p) => p.id)));
  });

  it('an interrupted first sync shows what arrived, confirms nothing, and goes on from where it stopped', async () => {
    // Enough rows for many pages of 3, one of them deleted while the device is away.
    const seed = await new TestDevice(account).engine();
    const extra = Array.from({ length: 8 }, () => receive({ recipientName: 'Interrupted Person' }));
    for (const a of extra) await seed.mutate('package.receive', a);
    expect((await seed.sync()).state).toBe('synced');

    const dev = new TestDevice(account);
    const pullCookies: (string | null)[] = [];
    const realFetch = dev.fetch;
    dev.fetch = async (url, init) => {
      if (new URL(url).pathname === '/api/sync/pull') {
        pullCookies.push((JSON.parse(String(init.body)) as { cookie: string | null }).cookie);
        // The network goes after the third page (the fourth is asked for ahead while the third is written).
        if (pullCookies.length === 4) dev.online = false;
      }
      return realFetch(url, init);
    };
    const engine = await dev.engine();
    expect((await engine.sync()).state).toBe('offline');
    const partial = await engine.db.packages.count();
    const server = await serverRows('packages');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(server.size);
    // Nothing is confirmed: no cookie, no last sync time, the position is kept.
    expect((await syncCounts(engine.db)).lastSyncedAt).toBeNull();
    expect((await engine.db.meta.get('cookie'))?.value ?? null).toBeNull();
    const staged = (await engine.db.meta.get('stagedPull'))?.value as { cookie: string; rows: number };
    expect(staged.rows).toBeGreaterThanOrEqual(partial);
    expect(engine.status.state).not.toBe('synced');

    // Meanwhile a row the device already has is deleted, one it has is held.
    const local = await engine.db.packages.toCollection().primaryKeys();
    await seed.mutate('package.delete', { id: String(local[0]) });
    await seed.mutate('package.hold', { id: String(local[1]), note: 'while away' });
    expect((await seed.sync()).state).toBe('synced');

    dev.online = true;
    const requestsBefore = pullCookies.length;
    expect((await engine.sync()).state).toBe('synced');
    // It went on from the staged position, not from the start.
    expect(pullCookies[requestsBefore]).toBe(staged.cookie);
    const now = await serverRows('packages');
    const mine = await engine.db.packages.toArray();
    expect(new Map(mine.map((p) => [p.id, `${p.status}@${p.version}`]))).toEqual(
      new Map([...now.values()].map((p) => [String(p.id), `${String(p.status)}@${Number(p.version)}`])),
    );
    expect(await engine.db.meta.get('stagedPull').then((m) => m?.value ?? null)).toBeNull();
    expect((await syncCounts(engine.db)).lastSyncedAt).not.toBeNull();
    // The search digest describes the rows as stored.
    const named = [...now.values()].filter((p) => p.recipientName === 'Interrupted Person').map((p) => p.id);
    expect(named.length).toBeGreaterThan(0);
    expect(new Set((await listPackages(engine.db, { search: 'interrupted person' })).map((p) => p.id))).toEqual(new Set(named));
  });

  it('a change made during a first sync stays on top, is pushed once, and the rebase is exact', async () => {
    const dev = new TestDevice(account);
    const device: { engine?: SyncEngine } = {};
    let pulls = 0;
    let held: string | null = null;
    const realFetch = dev.fetch;
    dev.fetch = async (url, init) => {
      if (new URL(url).pathname === '/api/sync/pull' && ++pulls === 3) {
        // The operator holds a package already shown while the rest is still downloading.
        const engine = device.engine!;
        held = String((await engine.db.packages.toCollection().primaryKeys())[0]);
        await engine.mutate('package.hold', { id: held, note: 'mid first sync' });
        expect((await engine.db.packages.get(held))?.status).toBe('held');
      }
      return realFetch(url, init);
    };
    const engine = (device.engine = await dev.engine());
    expect((await engine.sync()).state).toBe('synced');
    await engine.idle();
    expect(held).not.toBeNull();
    expect(await engine.db.outbox.count()).toBe(0);
    expect(await engine.db.base.count()).toBe(0);
    const server = await serverRows('packages');
    expect(server.get(held!)?.status).toBe('held');
    const mine = await engine.db.packages.toArray();
    expect(new Map(mine.map((p) => [p.id, `${p.status}@${p.version}`]))).toEqual(
      new Map([...server.values()].map((p) => [String(p.id), `${String(p.status)}@${Number(p.version)}`])),
    );
  });

  it('a staged first sync whose position the server no longer knows starts over from a full snapshot', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    await engine.db.packages.put({ ...receive(), id: randomUUID(), status: 'received', version: 1, deletedAt: null } as never);
    await engine.db.meta.put({ key: 'stagedPull', value: { cookie: 'not-a-cookie', rows: 1 } });
    expect((await engine.sync()).state).toBe('synced');
    const server = await serverRows('packages');
    expect(new Set(await engine.db.packages.toCollection().primaryKeys())).toEqual(new Set(server.keys()));
  });

  it('another user of the facility cannot take over a device holding unsynced changes', async () => {
    const dev = new TestDevice(account);
    const engine = await dev.engine();
    dev.online = false;
    await engine.mutate('package.receive', receive());
    const db = new PtpDb(account.facilityId, { indexedDB: dev.idb, IDBKeyRange });
    await expect(
      SyncEngine.open({ db, facilityId: account.facilityId, actor: { userId: randomUUID(), role: 'operator' } }),
    ).rejects.toMatchObject({ code: 'device_owned' });
    dev.online = true;
    await engine.sync();
  });
});
