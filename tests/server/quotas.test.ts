// Quotas on signed-in work (issue: production hardening 3). Anyone can sign up and become an admin,
// so being signed in is no barrier: pushes, stored rejections, uploads and invitations are bounded
// per user and per facility, a push that can change nothing never takes the facility's write lock,
// and one tenant's flood does not slow another tenant down.
import { createHash } from 'node:crypto';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, joinAs, signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    QUOTA_PUSHES_PER_MINUTE_PER_USER: '5',
    QUOTA_PUSHES_PER_MINUTE_PER_FACILITY: '8',
    QUOTA_REJECTIONS_KEPT_PER_CLIENT: '10',
    QUOTA_INVITATIONS_PER_HOUR: '3',
    QUOTA_CONCURRENT_UPLOADS_PER_USER: '2',
    QUOTA_UPLOAD_MB_PER_DAY: '1',
  });
});
afterAll(() => t?.close());

const syncVersion = async (facilityId: string) =>
  (await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: facilityId } })).syncVersion;

describe('pushes', () => {
  it('limits pushes per user per minute with 429 and Retry-After, applying nothing of the refused push', async () => {
    const a = await signUp(t);
    const d = new Device(a.client, a.facilityId);
    for (let i = 1; i <= 5; i++) expect((await d.push([mutation(i, 'package.receive', receiveArgs())])).status).toBe(200);
    const refused = await d.push([mutation(6, 'package.receive', receiveArgs())]);
    expect(refused.status).toBe(429);
    expect(refused.json.error).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const client = await t.deps.db.withFacility(a.facilityId, (tx) => tx.syncClient.findUniqueOrThrow({ where: { id: d.clientId } }));
    expect(client.lastMutationId).toBe(5);
  });

  it('limits pushes per facility across its users, and leaves other facilities alone', async () => {
    const a = await signUp(t);
    const op = await joinAs(t, a, 'operator');
    const mine = new Device(a.client, a.facilityId);
    const theirs = new Device(op.client, a.facilityId);
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) {
      statuses.push((await mine.push([mutation(i, 'package.receive', receiveArgs())])).status);
      statuses.push((await theirs.push([mutation(i, 'package.receive', receiveArgs())])).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    const other = await signUp(t);
    expect((await new Device(other.client, other.facilityId).push([mutation(1, 'package.receive', receiveArgs())])).status).toBe(200);
  });

  it('keeps only the newest rejections of a client', async () => {
    const a = await signUp(t);
    const d = new Device(a.client, a.facilityId);
    const junk = Array.from({ length: 25 }, (_, i) => mutation(i + 1, 'package.hold', { id: crypto.randomUUID(), note: 'x' }));
    const res = await d.push(junk);
    expect(res.status).toBe(200);
    expect(res.json.results.every((r: { status: string }) => r.status === 'rejected')).toBe(true);
    const kept = await t.deps.db.withFacility(a.facilityId, (tx) =>
      tx.syncRejection.findMany({ where: { clientId: d.clientId }, orderBy: { mutationId: 'asc' } }),
    );
    expect(kept.map((r) => r.mutationId)).toEqual(Array.from({ length: 10 }, (_, i) => 16 + i));
    // A replay still learns why the kept ones were refused.
    const replay = await d.push(junk.slice(-2));
    expect(replay.json.results.map((r: { code?: string }) => r.code)).toEqual(['not_found', 'not_found']);
  });

  it('a push that can change nothing never takes the facility version, even while a writer holds it', async () => {
    const a = await signUp(t);
    const viewer = await joinAs(t, a, 'viewer');
    const before = await syncVersion(a.facilityId);
    const d = new Device(viewer.client, a.facilityId);
    const res = await d.push([mutation(1, 'package.receive', receiveArgs()), mutation(2, 'no.such', {})]);
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { code?: string }) => r.code)).toEqual(['forbidden', 'unknown_mutation']);
    expect(res.json.lastMutationId).toBe(2);
    expect(await syncVersion(a.facilityId)).toBe(before);

    if (usingPglite) return; // one shared session there: no second connection can hold the lock
    // A real writer holds the facility's row lock; the viewer's junk neither waits for it nor queues.
    const holder = new pg.Client({ connectionString: t.databaseUrl! });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      // The lock takeVersion takes (an UPDATE of the facility's counter).
      await holder.query('UPDATE facilities SET "syncVersion" = "syncVersion" + 1 WHERE id = $1', [a.facilityId]);
      const started = Date.now();
      const junk = await d.push([mutation(3, 'package.delete', { id: crypto.randomUUID() })]);
      expect(junk.status).toBe(200);
      expect(junk.json.results[0].code).toBe('forbidden');
      expect(Date.now() - started).toBeLessThan(5000); // it would wait for the ROLLBACK below otherwise
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});

describe('invitations', () => {
  it('limits invitations per facility per hour', async () => {
    const a = await signUp(t);
    for (let i = 0; i < 3; i++) {
      expect(
        (await a.client.post('/api/invitations', { email: `p${i}@example.test`, role: 'operator', facilityId: a.facilityId })).status,
      ).toBe(201);
    }
    const refused = await a.client.post('/api/invitations', { email: 'p9@example.test', role: 'operator', facilityId: a.facilityId });
    expect(refused.status).toBe(429);
    expect(refused.json.error).toBe('rate_limited');
    expect(await t.deps.db.prisma.invitation.count({ where: { facilityId: a.facilityId } })).toBe(3);
  });
});

describe('uploads', () => {
  let seq = 0;
  /** A distinct, poorly compressible JPEG of roughly `kib` KiB. */
  async function noise(kib: number) {
    const side = Math.ceil(Math.sqrt((kib * 1024) / 2));
    const raw = Buffer.alloc(side * side * 3);
    let x = 12345 + seq++ * 7919;
    for (let i = 0; i < raw.length; i++) raw[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16;
    return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
  }
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  /** A PUT whose body arrives only when `release` is called, holding an upload slot meanwhile. */
  function slowPut(cookie: string, bytes: Buffer) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        await gate;
        controller.enqueue(new Uint8Array(bytes));
        controller.close();
      },
    });
    const response = t.app.request(`${ORIGIN}/api/sync/blobs/${sha(bytes)}`, {
      method: 'PUT',
      headers: { cookie, origin: ORIGIN, 'content-type': 'image/jpeg' },
      body,
      duplex: 'half',
    } as RequestInit);
    return { release, response: Promise.resolve(response) };
  }

  it('bounds the uploads one user has in flight, and gives the slot back when one ends', async () => {
    const a = await signUp(t);
    const cookie = [...a.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const [i1, i2, i3] = await Promise.all([noise(4), noise(4), noise(4)]);
    const first = slowPut(cookie, i1!);
    const second = slowPut(cookie, i2!);
    await new Promise((r) => setTimeout(r, 300)); // both hold a slot, waiting for their bodies
    const third = await a.client.request('PUT', `/api/sync/blobs/${sha(i3!)}`, new Uint8Array(i3!), { 'content-type': 'image/jpeg' });
    expect(third.status).toBe(429);
    first.release();
    second.release();
    expect((await first.response).status).toBe(201);
    expect((await second.response).status).toBe(201);
    const retry = await a.client.request('PUT', `/api/sync/blobs/${sha(i3!)}`, new Uint8Array(i3!), { 'content-type': 'image/jpeg' });
    expect(retry.status).toBe(201);
  });

  it('bounds the bytes a facility uploads per day; other facilities keep theirs', async () => {
    const a = await signUp(t);
    const big = await Promise.all([noise(900), noise(900), noise(900)]);
    const statuses = [];
    for (const img of big) {
      statuses.push(
        (await a.client.request('PUT', `/api/sync/blobs/${sha(img)}`, new Uint8Array(img), { 'content-type': 'image/jpeg' })).status,
      );
    }
    expect(big.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(1024 * 1024);
    expect(statuses.slice(0, 2)).toEqual([201, 201]);
    expect(statuses[2]).toBe(429);
    const b = await signUp(t);
    const img = await noise(900);
    expect(
      (await b.client.request('PUT', `/api/sync/blobs/${sha(img)}`, new Uint8Array(img), { 'content-type': 'image/jpeg' })).status,
    ).toBe(201);
  });
});

describe('one tenant flooding', () => {
  it("does not measurably slow another tenant's pulls (p95 during the flood against p95 before)", async () => {
    const flood = await startTestApp({ QUOTA_PUSHES_PER_MINUTE_PER_USER: '20', QUOTA_PUSHES_PER_MINUTE_PER_FACILITY: '40' });
    try {
      const attacker = await signUp(flood);
      const victim = await signUp(flood);
      const vd = new Device(victim.client, victim.facilityId);
      const seed = Array.from({ length: 50 }, (_, i) => mutation(i + 1, 'package.receive', receiveArgs()));
      expect((await vd.push(seed)).status).toBe(200);
      const { cookie } = await vd.pullAll();

      const p95 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length * 0.95)]!;
      const timedPulls = async (n: number) => {
        const times: number[] = [];
        for (let i = 0; i < n; i++) {
          const started = performance.now();
          const r = await vd.pull(i % 2 ? cookie : null);
          expect(r.status).toBe(200);
          times.push(performance.now() - started);
        }
        return times;
      };
      await timedPulls(5); // warm up
      const baseline = p95(await timedPulls(60));

      const ad = new Device(attacker.client, attacker.facilityId);
      // The attacker spends the quota on real work first; the flood is what comes after it.
      let next = 1;
      for (let i = 0; i < 20; i++) expect((await ad.push([mutation(next++, 'package.receive', receiveArgs())])).status).toBe(200);
      let stop = false;
      const answered: number[] = [];
      // The attacker's own work (building bodies) happens on its machine, not in this process.
      const batch = Array.from({ length: 50 }, (_, k) => mutation(next + k, 'package.receive', receiveArgs()));
      // A steady flood (some 150 pushes a second over four connections) — one tenant's script gone
      // wrong, not a botnet: saturating the machine's CPU would slow everyone, fairly or not.
      const attack = async () => {
        for (let i = 0; !stop && i < 2000; i++) {
          answered.push((await ad.push(batch)).status);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      const workers = Array.from({ length: 4 }, () => attack());
      const during = p95(await timedPulls(60));
      stop = true;
      await Promise.all(workers);

      expect(answered.length).toBeGreaterThan(20);
      expect(answered.every((s) => s === 429)).toBe(true);
      // Bounded by quotas, the flood costs the victim little: allow the machine's noise, not a queue.
      console.log(
        `[flood] victim pull p95: ${baseline.toFixed(1)} ms before, ${during.toFixed(1)} ms during ${answered.length} refused pushes`,
      );
      expect(during).toBeLessThan(baseline * 2 + 40);
    } finally {
      await flood.close();
    }
  });
});
