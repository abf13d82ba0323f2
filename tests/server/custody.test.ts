// The custody log (issue "Hand-off on the phone", docs/sync.md "Custody log"): events are sealed in
// a hash chain per package, the chain is served and recomputed, any edit of a stored event shows,
// the app role can neither update nor delete events, a refused hand-off keeps its proof, and the
// package detail serves its photos through presigned links that expire.
import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemo } from '../../prisma/seed-demo.ts';
import { verifyChain } from '../../src/lib/domain/custody.ts';
import { loadPackageEvents } from '../../sync-server/src/repositories/package-history.ts';
import { purgeTombstones } from '../../sync-server/src/services/purge-tombstones.ts';
import { ORIGIN, TestClient, asOwner, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let device: Device;
let next = 1;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  device = new Device(admin.client, admin.facilityId);
});
afterAll(() => t?.close());

/** Pushes mutations on the admin's device, numbering them on; returns the results. */
async function push(...ms: [string, Record<string, unknown>][]) {
  const res = await device.push(ms.map(([name, args]) => mutation(next++, name, args)));
  expect(res.status, res.text).toBe(200);
  return res.json.results as { status: string; code?: string; message?: string }[];
}

const at = () => new Date().toISOString();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function upload(bytes: Buffer, type: string, kind: 'photo' | 'signature') {
  const res = await admin.client.request('PUT', `/api/sync/blobs/${sha256(bytes)}?kind=${kind}`, new Uint8Array(bytes), {
    'content-type': type,
  });
  expect([200, 201], res.text).toContain(res.status);
  return sha256(bytes);
}
const image = (background: string, format: 'png' | 'jpeg') => {
  const s = sharp({ create: { width: 16, height: 12, channels: 3, background } });
  return (format === 'png' ? s.png() : s.jpeg()).toBuffer();
};

/** Runs `sql` as the database owner with the append-only trigger switched off (a tamperer's edit). */
async function tamper(sql: string, params: unknown[]) {
  await asOwner(t, async (c) => {
    await c.query('BEGIN');
    try {
      await c.query('ALTER TABLE package_events DISABLE TRIGGER package_events_append_only');
      await c.query(sql, params);
      await c.query('ALTER TABLE package_events ENABLE TRIGGER package_events_append_only');
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    }
  });
}

async function receivedHeldDelivered() {
  const p = receiveArgs({ recipientName: 'Ada Lovelace' });
  const results = await push(
    ['package.receive', p],
    ['package.hold', { id: p.id, note: 'ID needed' }],
    ['package.deliver', { id: p.id, deliveredTo: 'Ada Lovelace', at: at() }],
  );
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  return p;
}

describe('custody chain', () => {
  it('verifies after receive → hold → deliver, each event linked to the one before', async () => {
    const p = await receivedHeldDelivered();
    const res = await admin.client.get(`/api/packages/${p.id}/custody`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ packageId: p.id, verified: true, unsealed: 0 });
    const ev = res.json.events as Record<string, unknown>[];
    expect(ev.map((e) => [e.seq, e.type])).toEqual([
      [1, 'received'],
      [2, 'held'],
      [3, 'delivered'],
    ]);
    expect(ev[0]!.prevHash).toBeNull();
    expect(ev[1]!.prevHash).toBe(ev[0]!.hash);
    expect(ev[2]!.prevHash).toBe(ev[1]!.hash);
    for (const e of ev) {
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(e).toMatchObject({ actorId: admin.userId, actorName: admin.body.name, clientId: device.clientId, sealed: true });
      expect(Date.parse(e.at as string)).not.toBeNaN();
      expect(Date.parse(e.recordedAt as string)).not.toBeNaN();
    }
    // Later events continue the chain (a second push reads the stored head).
    await push(['package.reopen', { id: p.id, reason: 'Handed to the wrong person' }]);
    const again = await admin.client.get(`/api/packages/${p.id}/custody`);
    expect(again.json.verified).toBe(true);
    expect(again.json.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(again.json.events[3].prevHash).toBe(ev[2]!.hash);
  });

  it('shows an edit of a stored event, a removed event and a reordering (as the owner, triggers off)', async () => {
    const edited = await receivedHeldDelivered();
    await tamper(
      `UPDATE package_events SET data = jsonb_set(data, '{deliveredTo}', '"Mallory"') WHERE "packageId" = $1 AND type = 'delivered'`,
      [edited.id],
    );
    const res = await admin.client.get(`/api/packages/${edited.id}/custody`);
    expect(res.json).toMatchObject({ verified: false, brokenAt: 3 });

    const timeShifted = await receivedHeldDelivered();
    await tamper(`UPDATE package_events SET at = at - interval '1 day' WHERE "packageId" = $1 AND seq = 1`, [timeShifted.id]);
    expect((await admin.client.get(`/api/packages/${timeShifted.id}/custody`)).json).toMatchObject({ verified: false, brokenAt: 1 });

    const removed = await receivedHeldDelivered();
    await tamper(`DELETE FROM package_events WHERE "packageId" = $1 AND seq = 2`, [removed.id]);
    expect((await admin.client.get(`/api/packages/${removed.id}/custody`)).json).toMatchObject({ verified: false, brokenAt: 2 });

    const reordered = await receivedHeldDelivered();
    await tamper(`UPDATE package_events SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END WHERE "packageId" = $1 AND seq IN (2, 3)`, [
      reordered.id,
    ]).catch(async () => {
      // The unique (facility, package, seq) index refuses a direct swap: go through a free place.
      await tamper(`UPDATE package_events SET seq = 99 WHERE "packageId" = $1 AND seq = 2`, [reordered.id]);
      await tamper(`UPDATE package_events SET seq = 2 WHERE "packageId" = $1 AND seq = 3`, [reordered.id]);
      await tamper(`UPDATE package_events SET seq = 3 WHERE "packageId" = $1 AND seq = 99`, [reordered.id]);
    });
    expect((await admin.client.get(`/api/packages/${reordered.id}/custody`)).json.verified).toBe(false);

    const stripped = await receivedHeldDelivered();
    await tamper(`UPDATE package_events SET seq = NULL, hash = NULL, "prevHash" = NULL WHERE "packageId" = $1 AND seq = 3`, [stripped.id]);
    expect((await admin.client.get(`/api/packages/${stripped.id}/custody`)).json.verified).toBe(false);

    // The detail page reads the same verdict.
    expect((await admin.client.get(`/api/packages/${edited.id}`)).json.custody).toMatchObject({ verified: false, brokenAt: 3 });
  });
});

describe('append-only log', () => {
  it('the app role has no UPDATE or DELETE on events (permission error)', async () => {
    const p = await receivedHeldDelivered();
    const c = await t.deps.db.pool.connect();
    try {
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe('ptp_app');
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.facility_id', $1, true)`, [admin.facilityId]);
      // Even the erase setting does not give the app role a privilege it does not have.
      await c.query(`SELECT set_config('app.erase_facility', $1, true)`, [admin.facilityId]);
      await c.query('SAVEPOINT s');
      await expect(c.query(`UPDATE package_events SET type = 'delivered' WHERE "packageId" = $1`, [p.id])).rejects.toThrow(
        /permission denied/,
      );
      await c.query('ROLLBACK TO SAVEPOINT s');
      await expect(c.query(`DELETE FROM package_events WHERE "packageId" = $1`, [p.id])).rejects.toThrow(/permission denied/);
      await c.query('ROLLBACK TO SAVEPOINT s');
      await expect(c.query(`TRUNCATE package_events`)).rejects.toThrow(/permission denied|must be owner/);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
    // Through the app's own Prisma client too.
    await expect(
      t.deps.db.withFacility(admin.facilityId, (tx) => tx.packageEvent.updateMany({ where: { packageId: p.id }, data: { type: 'x' } })),
    ).rejects.toThrow(/permission denied/i);
    await expect(
      t.deps.db.withFacility(admin.facilityId, (tx) => tx.packageEvent.deleteMany({ where: { packageId: p.id } })),
    ).rejects.toThrow(/permission denied/i);
  });

  it('the owner is refused too by the trigger, except when erasing that very facility', async () => {
    const p = await receivedHeldDelivered();
    await asOwner(t, async (c) => {
      await expect(c.query(`UPDATE package_events SET type = 'x' WHERE "packageId" = $1`, [p.id])).rejects.toThrow(/append-only/);
      await expect(c.query(`DELETE FROM package_events WHERE "packageId" = $1`, [p.id])).rejects.toThrow(/append-only/);
      await expect(c.query(`TRUNCATE package_events`)).rejects.toThrow(/append-only/);
      // The escape names one facility: another facility's id opens nothing.
      await c.query('BEGIN');
      await c.query(`SET LOCAL app.erase_facility = '${randomUUID()}'`);
      await expect(c.query(`DELETE FROM package_events WHERE "packageId" = $1`, [p.id])).rejects.toThrow(/append-only/);
      await c.query('ROLLBACK');
      // Still no UPDATE under the escape.
      await c.query('BEGIN');
      await c.query(`SET LOCAL app.erase_facility = '${admin.facilityId}'`);
      await expect(c.query(`UPDATE package_events SET type = 'x' WHERE "packageId" = $1`, [p.id])).rejects.toThrow(/append-only/);
      await c.query('ROLLBACK');
    });
    expect((await admin.client.get(`/api/packages/${p.id}/custody`)).json.events).toHaveLength(3);
  });

  it('erasing a facility deletes its events through the cascade, under the escape only', async () => {
    const other = await signUp(t);
    const d = new Device(other.client, other.facilityId);
    const p = receiveArgs();
    expect((await d.push([mutation(1, 'package.receive', p)])).json.results[0].status).toBe('applied');
    const count = (c: import('pg').PoolClient) =>
      c
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM package_events WHERE "facilityId" = $1`, [other.facilityId])
        .then((r) => r.rows[0]!.n);
    // Memberships, invitations and subscriptions do not cascade: the eraser removes them first.
    const erase = async (c: import('pg').PoolClient) => {
      for (const table of ['memberships', 'invitations', 'subscriptions']) {
        await c.query(`DELETE FROM ${table} WHERE "facilityId" = $1`, [other.facilityId]);
      }
      await c.query(`DELETE FROM facilities WHERE id = $1`, [other.facilityId]);
    };
    await asOwner(t, async (c) => {
      await c.query('BEGIN');
      await expect(erase(c)).rejects.toThrow(/append-only/);
      await c.query('ROLLBACK');
      expect(await count(c)).toBe(1);
      await c.query('BEGIN');
      await c.query(`SET LOCAL app.erase_facility = '${other.facilityId}'`);
      await erase(c);
      await c.query('COMMIT');
      expect(await count(c)).toBe(0);
    });
    // The admin's facility kept every event.
    await asOwner(t, async (c) => {
      const n = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM package_events WHERE "facilityId" = $1`, [admin.facilityId]);
      expect(n.rows[0]!.n).toBeGreaterThan(0);
    });
  });

  it('purging tombstones leaves a deleted package’s events as its history', async () => {
    const p = receiveArgs();
    expect((await push(['package.receive', p], ['package.delete', { id: p.id }])).map((r) => r.status)).toEqual(['applied', 'applied']);
    const purged = await purgeTombstones(t.deps, admin.facilityId, new Date(Date.now() + 365 * 24 * 3600 * 1000));
    expect(purged.removed).toBeGreaterThan(0);
    expect(await t.deps.db.withFacility(admin.facilityId, (tx) => tx.package.count({ where: { id: p.id } }))).toBe(0);
    const res = await admin.client.get(`/api/packages/${p.id}/custody`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ verified: true });
    expect(res.json.events.map((e: { type: string }) => e.type)).toEqual(['received', 'deleted']);
    expect((await admin.client.get(`/api/packages/${p.id}`)).status).toBe(404);
    await t.deps.db.prisma.facility.update({ where: { id: admin.facilityId }, data: { tombstoneHorizon: 0 } });
  });
});

describe('a refused hand-off keeps its evidence', () => {
  it('a delivery of a package another device returned: rejected, with its event, signature and photo kept', async () => {
    const signature = await upload(await image('#fff', 'png'), 'image/png', 'signature');
    const photo = await upload(await image('#a52', 'jpeg'), 'image/jpeg', 'photo');
    const p = receiveArgs({ recipientName: 'Grace Hopper' });
    // The other device returned it first (it synced first).
    const other = new Device(admin.client, admin.facilityId);
    const first = await other.push([
      mutation(1, 'package.receive', p),
      mutation(2, 'package.return', { id: p.id, note: 'Refused by addressee' }),
    ]);
    expect(first.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);

    const handedAt = new Date(Date.now() - 60_000).toISOString();
    const [deliver] = await push([
      'package.deliver.v2',
      { id: p.id, deliveredTo: 'Grace Hopper', signatureHash: signature, photoHash: photo, at: handedAt },
    ]);
    expect(deliver).toMatchObject({ status: 'rejected', code: 'invalid_transition' });

    const detail = await admin.client.get(`/api/packages/${p.id}`);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.json.package.status).toBe('returned');
    const refused = detail.json.events.find((e: { type: string }) => e.type === 'handoff_refused');
    expect(refused).toMatchObject({
      at: handedAt,
      actorId: admin.userId,
      clientId: device.clientId,
      sealed: true,
      data: { deliveredTo: 'Grace Hopper', at: handedAt, signatureHash: signature, photoHash: photo, code: 'invalid_transition' },
    });
    expect(refused.data.message).toEqual(expect.any(String));
    expect(detail.json.custody.verified).toBe(true);
    const kinds = detail.json.attachments.map((a: { kind: string; hash: string }) => [a.kind, a.hash]).sort();
    expect(kinds).toEqual([
      ['delivery', photo],
      ['signature', signature],
    ]);
    // Devices pull the evidence like any event.
    const pulled = await device.pullAll();
    expect(
      pulled.patch.some((o) => o.op === 'put' && o.table === 'packageEvents' && (o.row as { type: string }).type === 'handoff_refused'),
    ).toBe(true);
    expect(
      pulled.patch.filter((o) => o.op === 'put' && o.table === 'attachments' && (o.row as { packageId: string }).packageId === p.id),
    ).toHaveLength(2);

    // Delivering an already delivered package keeps the second hand-off too.
    const q = receiveArgs({ recipientName: 'Grace Hopper' });
    const twice = await push(
      ['package.receive', q],
      ['package.deliver', { id: q.id, deliveredTo: 'Grace Hopper', at: at() }],
      ['package.deliver', { id: q.id, deliveredTo: 'Grace Hopper', signatureHash: signature, at: at() }],
    );
    expect(twice.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    const types = (await admin.client.get(`/api/packages/${q.id}/custody`)).json.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['received', 'delivered', 'handoff_refused']);

    // The very same hand-off sent again (a retry from another tab) is no conflict and leaves nothing.
    const r = receiveArgs({ recipientName: 'Grace Hopper' });
    const same = { id: r.id, deliveredTo: 'Grace Hopper', signatureHash: signature, at: at() };
    const again = await push(['package.receive', r], ['package.deliver.v2', same], ['package.deliver.v2', same]);
    expect(again.map((x) => x.code ?? x.status)).toEqual(['applied', 'applied', 'already_in_state']);
    const once = (await admin.client.get(`/api/packages/${r.id}/custody`)).json.events.map((e: { type: string }) => e.type);
    expect(once).toEqual(['received', 'delivered']);
  });

  it('keeps nothing when no valid hand-off happened (missing signature, unknown package)', async () => {
    const p = receiveArgs({ recipientName: 'Alan Turing' });
    const results = await push(
      ['package.receive', p],
      ['package.deliver.v2', { id: p.id, deliveredTo: 'Alan Turing', at: at() }],
      ['package.deliver.v2', { id: randomUUID(), deliveredTo: 'Alan Turing', signatureHash: 'e'.repeat(64), at: at() }],
    );
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'signature_required'],
      ['rejected', 'not_found'],
    ]);
    const res = await admin.client.get(`/api/packages/${p.id}`);
    expect(res.json.events.map((e: { type: string }) => e.type)).toEqual(['received']);
    expect(res.json.attachments).toEqual([]);
  });
});

describe('package detail', () => {
  it('serves all fields, the timeline with names, devices and both times, and photos through presigned links that expire', async () => {
    const signature = await upload(await image('#eee', 'png'), 'image/png', 'signature');
    const photo = await upload(await image('#25a', 'jpeg'), 'image/jpeg', 'photo');
    const p = receiveArgs({ recipientName: 'Katherine Johnson', sender: 'NASA' });
    const results = await push(
      ['package.receive', p],
      ['package.attachPhoto', { id: p.id, hash: photo, kind: 'intake' }],
      ['package.deliver.v2', { id: p.id, deliveredTo: 'Katherine Johnson', signatureHash: signature, photoHash: photo, at: at() }],
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);

    const res = await admin.client.get(`/api/packages/${p.id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json.package).toMatchObject({
      id: p.id,
      trackingNumber: p.trackingNumber,
      sender: 'NASA',
      status: 'delivered',
      signatureHash: signature,
    });
    expect(res.json.events.map((e: { type: string }) => e.type)).toEqual(['received', 'photo_attached', 'delivered']);
    for (const e of res.json.events) expect(e).toMatchObject({ actorName: admin.body.name, clientId: device.clientId });
    expect(res.json.custody).toMatchObject({ verified: true });

    const attachments = res.json.attachments as { kind: string; hash: string; url: string; expiresAt: string; uploaded: boolean }[];
    expect(attachments.map((a) => a.kind).sort()).toEqual(['delivery', 'intake', 'signature']);
    for (const a of attachments) {
      expect(a.uploaded).toBe(true);
      const exp = Number(new URL(a.url, ORIGIN).searchParams.get('exp'));
      expect(exp - Date.now() / 1000).toBeLessThanOrEqual(300);
      expect(exp - Date.now() / 1000).toBeGreaterThan(60);
      const img = await new TestClient(t, null).get(a.url.replace(ORIGIN, '')); // no session needed
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe(a.kind === 'signature' ? 'image/png' : 'image/jpeg');
    }
    // After 300 s the links are refused.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 301_000);
      const late = await t.app.request(new URL(attachments[0]!.url, ORIGIN).toString());
      expect(late.status).toBe(403);
      expect((await late.json()).error).toBe('url_expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers a photo not uploaded yet without a link', async () => {
    const p = receiveArgs();
    const hash = 'b'.repeat(64);
    await push(['package.receive', p], ['package.attachPhoto', { id: p.id, hash, kind: 'intake' }]);
    const res = await admin.client.get(`/api/packages/${p.id}`);
    expect(res.json.attachments).toEqual([expect.objectContaining({ kind: 'intake', hash, uploaded: false, url: null })]);
  });

  it('any member may read; another facility’s package is not found; junk ids are 400; no session is 401', async () => {
    const p = await receivedHeldDelivered();
    const viewer = await joinAs(t, admin, 'viewer');
    for (const path of [`/api/packages/${p.id}`, `/api/packages/${p.id}/custody`]) {
      expect((await viewer.client.get(path)).status).toBe(200);
      expect((await new TestClient(t).get(path)).status).toBe(401);
    }
    const stranger = await signUp(t);
    for (const path of [`/api/packages/${p.id}`, `/api/packages/${p.id}/custody`, `/api/packages/${randomUUID()}/custody`]) {
      const res = await stranger.client.get(path);
      expect(res.status).toBe(404);
      expect(res.json.error).toBe('not_found');
      expect(res.text).not.toContain(p.trackingNumber);
    }
    for (const junk of ['not-a-uuid', '1%27%20OR%201=1', 'x'.repeat(300), '%00']) {
      for (const path of [`/api/packages/${junk}`, `/api/packages/${junk}/custody`]) {
        const res = await admin.client.get(path);
        expect([400, 404], `${path} → ${res.status}`).toContain(res.status);
      }
    }
  });
});

describe('the demo seed', () => {
  it('seals the events it writes like any other writer', async () => {
    const fresh = await startTestApp();
    try {
      expect(await seedDemo(fresh.deps)).not.toBeNull();
      const facilities = await fresh.deps.db.prisma.facility.findMany({ select: { id: true } });
      expect(facilities.length).toBeGreaterThan(0);
      for (const { id } of facilities) {
        const packageIds = await fresh.deps.db.withFacility(id, (tx) => tx.package.findMany({ select: { id: true } }));
        expect(packageIds.length).toBeGreaterThan(0);
        for (const p of packageIds) {
          const events = await fresh.deps.db.withFacility(id, (tx) => loadPackageEvents(tx, id, p.id));
          expect(events.map((e) => e.seq)).toEqual([1]);
          expect(verifyChain(events)).toEqual({ verified: true, unsealed: 0 });
        }
      }
    } finally {
      await fresh.close();
    }
  });
});
