// The engine's reactions to server answers that the in-process server cannot easily produce
// (read-only, 503, a restored server), on fake-indexeddb with a scripted server.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { guardQuota, isQuotaError, StorageFullError } from '../db/outbox';
import { PtpDb } from '../db/schema';
import { backoffDelay, MAX_BACKOFF_MS } from './backoff';
import { SyncEngine } from './engine';
import { classify } from './http';
import { memoryLocks } from './lock';

const FACILITY = '00000000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-000000000002';

type Handler = (path: string, body: Record<string, unknown>) => Response | Promise<Response>;

async function engineWith(handler: Handler, opts: { online?: () => boolean } = {}) {
  const db = new PtpDb(FACILITY, { indexedDB: new IDBFactory(), IDBKeyRange });
  const seen: { path: string; body: Record<string, unknown> }[] = [];
  const engine = await SyncEngine.open({
    db,
    facilityId: FACILITY,
    actor: { userId: USER, role: 'operator' },
    fetch: async (url, init) => {
      const path = new URL(url).pathname;
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {};
      seen.push({ path, body });
      return handler(path, body);
    },
    baseUrl: 'http://device.test',
    random: () => 0.5,
    online: opts.online,
  });
  return { engine, db, seen };
}

const emptyPull = (lastMutationId = 0) => Response.json({ cookie: 'c1', lastMutationId, more: false, patch: [] });
const receive = (n: number) => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  trackingNumber: `TRK${n}`,
  carrier: 'ups',
  recipientName: 'Ada',
  receivedAt: new Date().toISOString(),
});

describe('sync engine (scripted server)', () => {
  it('403 read_only keeps the queue, still pulls, and says why', async () => {
    const { engine, db, seen } = await engineWith((path) =>
      path.endsWith('/push') ? Response.json({ error: 'read_only', message: 'read only' }, { status: 403 }) : emptyPull(),
    );
    await engine.mutate('package.receive', receive(1));
    const outcome = await engine.sync();
    expect(outcome.state).toBe('read_only');
    expect(engine.status.message).toMatch(/read-only/);
    expect(await db.outbox.count()).toBe(1);
    expect(seen.some((r) => r.path.endsWith('/pull'))).toBe(true);
    // The optimistic row survives the rebase (its mutation is still pending).
    expect((await db.packages.get(receive(1).id))?.status).toBe('received');
  });

  it('503 is an error retried later; the queue is intact', async () => {
    const { engine, db } = await engineWith(() => Response.json({ error: 'unavailable', message: 'db down' }, { status: 503 }));
    await engine.mutate('package.receive', receive(1));
    const outcome = await engine.sync();
    expect(outcome.state).toBe('error');
    expect(engine.status.message).toMatch(/db down/);
    expect(await db.outbox.count()).toBe(1);
  });

  it('a restored server expecting a lower id gets the queue renumbered, gap-free, nothing lost', async () => {
    let serverLast = 0;
    const { engine, db } = await engineWith((path, body) => {
      if (path.endsWith('/pull')) return emptyPull(serverLast);
      const muts = body.mutations as { id: number }[];
      if (muts[0]!.id !== serverLast + 1)
        return Response.json({ error: 'out_of_order', message: 'gap', expected: serverLast + 1 }, { status: 409 });
      serverLast = muts.at(-1)!.id;
      return Response.json({ lastMutationId: serverLast, results: muts.map((m) => ({ id: m.id, status: 'applied' })) });
    });
    // Acknowledged 1..5 before the restore.
    await db.meta.update(`client:${USER}`, { value: { userId: USER, clientId: engine.clientId, lastMutationId: 5 } });
    await engine.mutate('package.receive', receive(6));
    await engine.mutate('package.receive', receive(7));
    expect((await db.outbox.toArray()).map((m) => m.id)).toEqual([6, 7]);
    const outcome = await engine.sync();
    expect(outcome.state).toBe('synced');
    expect(serverLast).toBe(2);
    expect(await db.outbox.count()).toBe(0);
  });

  it('a pull without a cookie replaces the local rows (full snapshot), keeping pending work on top', async () => {
    const other = { ...receive(9), status: 'received', version: 4, deletedAt: null };
    const { engine, db } = await engineWith((path) =>
      path.endsWith('/push')
        ? Response.json({ error: 'unavailable' }, { status: 503 })
        : Response.json({
            cookie: 'c',
            lastMutationId: 0,
            more: false,
            patch: [{ op: 'put', table: 'packages', id: other.id, row: other }],
          }),
    );
    await db.packages.put({ ...other, id: 'stale-row', recipientNameLower: 'x', trackingReversed: 'x' } as never);
    await engine.mutate('package.receive', receive(1));
    const { applyPull } = await import('../db/rebase');
    await applyPull(db, engine.actor, {
      patch: [{ op: 'put', table: 'packages', id: other.id, row: other }],
      lastMutationId: 0,
      cookie: 'c',
      fromScratch: true,
    });
    expect((await db.packages.toCollection().primaryKeys()).sort()).toEqual([receive(1).id, other.id].sort());
    expect(await db.outbox.count()).toBe(1);
  });

  it('sends nothing while the browser is offline, and says offline (not an error)', async () => {
    let online = false;
    const { engine, db, seen } = await engineWith(
      (path, body) => {
        if (path.endsWith('/pull')) return emptyPull(2);
        const muts = body.mutations as { id: number }[];
        return Response.json({ lastMutationId: 2, results: muts.map((m) => ({ id: m.id, status: 'applied' })) });
      },
      { online: () => online },
    );
    await engine.mutate('package.receive', receive(1));
    await engine.mutate('package.hold', { id: receive(1).id, note: 'shelf B' });
    for (let i = 0; i < 3; i++) expect((await engine.sync()).state).toBe('offline');
    expect(seen).toHaveLength(0);
    expect(engine.status).toMatchObject({ state: 'offline', syncing: false });
    expect(engine.status.message).not.toMatch(/fail/i);
    expect(await db.outbox.count()).toBe(2);
    online = true;
    expect((await engine.sync()).state).toBe('synced');
    expect(seen.map((r) => r.path)).toEqual(['/api/sync/push', '/api/sync/pull']);
  });

  it('a request that gets no answer while the browser believes it is online is offline, retried later', async () => {
    const { engine } = await engineWith(() => {
      throw new TypeError('Failed to fetch');
    });
    await engine.mutate('package.receive', receive(1));
    expect((await engine.sync()).state).toBe('offline');
    expect(engine.status.message).not.toMatch(/Failed to fetch/);
  });

  it('ids are gap-free and continue after the acknowledged ones', async () => {
    let last = 0;
    const { engine, db } = await engineWith((path, body) => {
      if (path.endsWith('/pull')) return emptyPull(last);
      const muts = body.mutations as { id: number }[];
      last = muts.at(-1)!.id;
      return Response.json({ lastMutationId: last, results: muts.map((m) => ({ id: m.id, status: 'applied' })) });
    });
    for (const n of [1, 2, 3]) await engine.mutate('package.receive', receive(n));
    await engine.sync();
    expect(await db.outbox.count()).toBe(0);
    const next = await engine.mutate('package.receive', receive(4));
    expect(next.id).toBe(4);
    await engine.sync();
  });
});

describe('helpers', () => {
  it('classifies answers', () => {
    expect(classify(401, 'unauthorized')).toBe('signed_out');
    expect(classify(403, 'read_only')).toBe('read_only');
    expect(classify(409, 'facility_mismatch')).toBe('facility_mismatch');
    expect(classify(409, 'out_of_order')).toBe('out_of_order');
    expect(classify(426, 'version_not_supported')).toBe('update_required');
    expect(classify(503, 'unavailable')).toBe('transient');
    expect(classify(400, 'invalid_input')).toBe('refused');
  });

  it('backs off exponentially with jitter, capped at a minute', () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(500);
    expect(backoffDelay(3, { random: () => 1 })).toBe(8_000);
    for (let i = 0; i < 30; i++) expect(backoffDelay(i)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
  });

  it('turns QuotaExceededError (also wrapped by Dexie) into a loud StorageFullError', async () => {
    const quota = new DOMException('full', 'QuotaExceededError');
    expect(isQuotaError({ name: 'AbortError', inner: quota })).toBe(true);
    await expect(guardQuota(() => Promise.reject(quota))).rejects.toBeInstanceOf(StorageFullError);
    await expect(guardQuota(() => Promise.reject(new Error('other')))).rejects.toThrow('other');
  });

  it('the fallback lock runs one holder at a time, in order', async () => {
    const order: string[] = [];
    const hold = (tag: string) =>
      memoryLocks.request('l', async () => {
        order.push(`${tag}+`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${tag}-`);
      });
    await Promise.all([hold('a'), hold('b'), memoryLocks.request('l', () => Promise.reject(new Error('x'))).catch(() => null), hold('c')]);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });
});
