// The privacy policy's photo promise (§6: photos are deleted after the facility's retention
// period, default 90 days, 7–365) against the real database and object storage: local disk and S3
// (s3rver, as blob-storage-s3.test.ts) on Postgres, local disk on PGlite too (TEST_DB=pglite). The
// clock is the job's `now`, as `npm run jobs -- --once --now <ISO>` sets it.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { expirePhotos } from '../../sync-server/src/services/expire-photos.ts';
import { asOwner, signUp, startTestApp, usingPglite, type TestApp } from './harness.ts';
import { Device, receiveArgs } from './sync-helpers.ts';
import { startLocalS3, type LocalS3 } from './s3-server.ts';

const DAY = 24 * 3600 * 1000;
const daysFromNow = (d: number) => new Date(Date.now() + d * DAY);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let seq = 0;
/** A distinct small JPEG each call. */
async function jpeg() {
  const raw = Buffer.alloc(96 * 64 * 3);
  const k = ++seq + Math.floor(Math.random() * 1e6);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * k * 7 + (i >> 9) * 31) & 0xff;
  return sharp(raw, { raw: { width: 96, height: 64, channels: 3 } })
    .jpeg()
    .toBuffer();
}
async function signaturePng() {
  const y = 20 + (++seq % 60);
  return sharp({ create: { width: 300, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([
      {
        input: Buffer.from(
          `<svg width="300" height="100"><path d="M10 ${y} Q 150 0 290 50" stroke="black" fill="none" stroke-width="4"/></svg>`,
        ),
      },
    ])
    .png()
    .toBuffer();
}

// S3 on Postgres only: object storage behaves the same over either database (vite.config.ts).
const STORAGES = usingPglite ? (['local disk'] as const) : (['local disk', 'S3'] as const);
for (const storage of STORAGES) {
  describe(`photo retention on ${storage}`, () => {
    let t: TestApp;
    let s3: LocalS3 | undefined;

    beforeAll(async () => {
      if (storage === 'S3') {
        s3 = await startLocalS3('ptp-retention');
        t = await startTestApp(s3.env);
      } else t = await startTestApp();
    });
    afterAll(async () => {
      await t?.close();
      await s3?.close();
    });

    /** A facility with its admin's device; mutations numbered in order. */
    async function facility() {
      const a = await signUp(t);
      const device = new Device(a.client, a.facilityId);
      let n = 0;
      const push = async (name: string, args: Record<string, unknown>, clientTime = new Date()) => {
        const r = await device.push([{ id: ++n, name, args, clientTime: clientTime.toISOString() }]);
        expect(r.status, r.text).toBe(200);
        expect(r.json.results[0], JSON.stringify(r.json.results)).toMatchObject({ status: 'applied' });
      };
      const upload = async (bytes: Buffer, kind?: 'signature') => {
        const r = await a.client.request('PUT', `/api/sync/blobs/${sha(bytes)}${kind ? '?kind=signature' : ''}`, new Uint8Array(bytes), {
          'content-type': kind ? 'image/png' : 'image/jpeg',
        });
        expect([200, 201], r.text).toContain(r.status);
        return sha(bytes);
      };
      /** A received package with an intake photo taken at `takenAt` (the device's clock). */
      const intake = async (bytes?: Buffer, takenAt = new Date()) => {
        const p = receiveArgs({ receivedAt: takenAt.toISOString() });
        await push('package.receive', p, takenAt);
        const hash = await upload(bytes ?? (await jpeg()));
        await push('package.attachPhoto', { id: p.id, hash, kind: 'intake' }, takenAt);
        return { id: p.id, hash };
      };
      /** A package delivered with a signature and a delivery photo. */
      const delivered = async () => {
        const p = receiveArgs();
        await push('package.receive', p);
        const signatureHash = await upload(await signaturePng(), 'signature');
        const photoHash = await upload(await jpeg());
        await push('package.deliver', { id: p.id, deliveredTo: 'Ada Lovelace', at: new Date().toISOString(), signatureHash, photoHash });
        return { id: p.id, signatureHash, photoHash };
      };
      const settings = (body: Record<string, unknown>) => a.client.request('PATCH', '/api/facility', body);
      return { ...a, device, push, upload, intake, delivered, settings };
    }

    const keyOf = (facilityId: string, hash: string, ext = 'jpg') => `${facilityId}/${hash}.${ext}`;
    const objects = async (facilityId: string) => new Set(await t.deps.blobs.listFacility(facilityId));
    const attachmentsOf = (facilityId: string) =>
      asOwner(
        t,
        async (c) =>
          (await c.query(`SELECT hash, kind, "deletedAt", "expiredAt", version FROM attachments WHERE "facilityId" = $1`, [facilityId]))
            .rows,
      );

    /**
     * Storage and database agree: every stored_blobs row is live and its object is there, every
     * object under the facility's prefix has a live row, and no live attachment names a hash whose
     * bytes were removed.
     */
    async function expectAgreement(facilityId: string) {
      const keys = await objects(facilityId);
      const { blobs, dangling } = await asOwner(t, async (c) => ({
        blobs: (await c.query(`SELECT "storageKey", "deletedAt" FROM stored_blobs WHERE "facilityId" = $1`, [facilityId])).rows,
        dangling: (
          await c.query(
            `SELECT a.hash FROM attachments a WHERE a."facilityId" = $1 AND a."deletedAt" IS NULL
                AND NOT EXISTS (SELECT 1 FROM stored_blobs b WHERE b."facilityId" = a."facilityId" AND b.hash = a.hash AND b."deletedAt" IS NULL)`,
            [facilityId],
          )
        ).rows,
      }));
      expect(blobs.filter((b) => b.deletedAt !== null)).toEqual([]);
      expect(new Set(blobs.map((b) => b.storageKey))).toEqual(keys);
      expect(dangling).toEqual([]);
    }

    it('default 90 days: a photo 91 days old goes, one 89 days old stays; the package and its signature remain', async () => {
      const f = await facility();
      const intake = await f.intake();
      const d = await f.delivered();
      const before = await f.device.pullAll();
      expect((await objects(f.facilityId)).size).toBe(3);

      // Day 89: nothing expired, nothing deleted.
      expect(await expirePhotos(t.deps, f.facilityId, daysFromNow(89))).toEqual({ expired: 0, objectsDeleted: 0 });
      expect((await objects(f.facilityId)).size).toBe(3);
      expect((await f.device.pullAll(before.cookie)).patch).toEqual([]);

      // Day 91, through the jobs pass as `npm run jobs -- --once --now` runs it.
      expect(await runJobsOnce(t.deps, daysFromNow(91), { notifications: false })).toContain('photo-retention');
      expect(await objects(f.facilityId)).toEqual(new Set([keyOf(f.facilityId, d.signatureHash, 'png')]));
      const rows = await attachmentsOf(f.facilityId);
      const byHash = new Map(rows.map((r) => [r.hash, r]));
      for (const h of [intake.hash, d.photoHash]) {
        expect(byHash.get(h)!.expiredAt).toBeInstanceOf(Date);
        expect(byHash.get(h)!.deletedAt).toEqual(byHash.get(h)!.expiredAt);
      }
      expect(byHash.get(d.signatureHash)).toMatchObject({ kind: 'signature', deletedAt: null, expiredAt: null });
      await expectAgreement(f.facilityId);

      // The photo is no longer served; the signature is.
      expect((await f.client.request('HEAD', `/api/sync/blobs/${d.photoHash}`)).status).toBe(404);
      expect((await f.client.request('HEAD', `/api/sync/blobs/${d.signatureHash}`)).status).toBe(200);

      // The package record stays, with its signature, and its custody log still verifies.
      const pkg = await f.client.get(`/api/packages/${d.id}`);
      expect(pkg.status, pkg.text).toBe(200);
      expect(pkg.json.package).toMatchObject({ id: d.id, status: 'delivered', signatureHash: d.signatureHash });
      expect(pkg.json.attachments.map((a: { kind: string }) => a.kind)).toEqual(['signature']);
      const custody = await f.client.get(`/api/packages/${d.id}/custody`);
      expect(custody.json).toMatchObject({ verified: true });
      expect((await f.client.get(`/api/packages/${intake.id}`)).json.package).toMatchObject({ id: intake.id, status: 'received' });

      // A device pulling after the job receives the photos' tombstones, and only those.
      const after = await f.device.pullAll(before.cookie);
      const attachmentIds = new Map(
        before.patch.flatMap((op) => (op.op === 'put' && op.table === 'attachments' ? [[op.id, op.row.hash as string]] : [])),
      );
      expect(after.patch.map((op) => (op.op === 'del' ? [op.table, attachmentIds.get(op.id)] : op.op)).sort()).toEqual(
        [
          ['attachments', intake.hash],
          ['attachments', d.photoHash],
        ].sort(),
      );

      // Rerun: nothing left to do, no new sync version.
      const version = (await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: f.facilityId } })).syncVersion;
      expect(await expirePhotos(t.deps, f.facilityId, daysFromNow(92))).toEqual({ expired: 0, objectsDeleted: 0 });
      expect((await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: f.facilityId } })).syncVersion).toBe(version);
      await expectAgreement(f.facilityId);
    });

    it('holds to the 7–365 bounds: a setting outside is refused; 7 days deletes an 8-day-old photo and keeps a 6-day-old', async () => {
      const f = await facility();
      for (const days of [6, 366, 0, 7.5]) expect((await f.settings({ photoRetentionDays: days })).status).toBe(400);
      // The database holds the bound too (facility_settings_bounds).
      await expect(
        asOwner(t, (c) => c.query(`UPDATE facilities SET "photoRetentionDays" = 400 WHERE id = $1`, [f.facilityId])),
      ).rejects.toThrow();

      expect((await f.settings({ photoRetentionDays: 365 })).status).toBe(200);
      const year = await f.intake();
      expect((await expirePhotos(t.deps, f.facilityId, daysFromNow(364))).expired).toBe(0);
      expect((await expirePhotos(t.deps, f.facilityId, daysFromNow(366))).expired).toBe(1);
      expect(await objects(f.facilityId)).not.toContain(keyOf(f.facilityId, year.hash));

      expect((await f.settings({ photoRetentionDays: 7 })).status).toBe(200);
      const week = await f.intake();
      expect((await expirePhotos(t.deps, f.facilityId, daysFromNow(6))).expired).toBe(0);
      expect(await objects(f.facilityId)).toContain(keyOf(f.facilityId, week.hash));
      expect((await expirePhotos(t.deps, f.facilityId, daysFromNow(8))).expired).toBe(1);
      expect(await objects(f.facilityId)).not.toContain(keyOf(f.facilityId, week.hash));
      await expectAgreement(f.facilityId);
    });

    it('shortening the retention applies at the next run', async () => {
      const f = await facility();
      const p = await f.intake();
      expect((await expirePhotos(t.deps, f.facilityId, daysFromNow(30))).expired).toBe(0);
      expect((await f.settings({ photoRetentionDays: 14 })).status).toBe(200);
      expect((await expirePhotos(t.deps, f.facilityId, daysFromNow(30))).expired).toBe(1);
      expect(await objects(f.facilityId)).not.toContain(keyOf(f.facilityId, p.hash));
      await expectAgreement(f.facilityId);
    });

    it('counts from when a photo was taken offline, and keeps bytes another unexpired photo still uses', async () => {
      const f = await facility();
      expect((await f.settings({ photoRetentionDays: 30 })).status).toBe(200);
      const bytes = await jpeg();
      // Taken 20 days ago on a device that was offline, synced now.
      const old = await f.intake(bytes, daysFromNow(-20));
      // The same bytes attached to another package today.
      const fresh = await f.intake(bytes);
      expect(fresh.hash).toBe(old.hash);

      // Day 11: the offline photo is 31 days old and goes; the object stays for the other package.
      expect((await expirePhotos(t.deps, f.facilityId, daysFromNow(11))).expired).toBe(1);
      expect(await objects(f.facilityId)).toContain(keyOf(f.facilityId, old.hash));
      expect((await f.client.request('HEAD', `/api/sync/blobs/${old.hash}`)).status).toBe(200);
      expect((await f.client.get(`/api/packages/${fresh.id}`)).json.attachments).toHaveLength(1);
      expect((await f.client.get(`/api/packages/${old.id}`)).json.attachments).toHaveLength(0);
      await expectAgreement(f.facilityId);

      // Day 31: the other one expires too, and the object goes.
      expect((await expirePhotos(t.deps, f.facilityId, daysFromNow(31))).expired).toBe(1);
      expect(await objects(f.facilityId)).not.toContain(keyOf(f.facilityId, old.hash));
      await expectAgreement(f.facilityId);
    });

    it('a crash between the database and storage is finished by the next run', async () => {
      const f = await facility();
      const a = await f.intake();
      const b = await f.intake();
      // As if the job died after its transaction: rows marked, objects still there.
      await asOwner(t, (c) =>
        c.query(`UPDATE attachments SET "expiredAt" = now(), "deletedAt" = now() WHERE "facilityId" = $1`, [f.facilityId]),
      );
      await asOwner(t, (c) => c.query(`UPDATE stored_blobs SET "deletedAt" = now() WHERE "facilityId" = $1`, [f.facilityId]));
      // …and for one of them, after the object went but before its row did.
      await t.deps.blobs.delete(keyOf(f.facilityId, b.hash));
      expect(await objects(f.facilityId)).toEqual(new Set([keyOf(f.facilityId, a.hash)]));

      expect(await expirePhotos(t.deps, f.facilityId)).toEqual({ expired: 0, objectsDeleted: 2 });
      expect((await objects(f.facilityId)).size).toBe(0);
      await expectAgreement(f.facilityId);
      expect(await expirePhotos(t.deps, f.facilityId)).toEqual({ expired: 0, objectsDeleted: 0 });
    });

    it('bytes no attachment ever used (an upload whose push never came) go once older than the retention period', async () => {
      const f = await facility();
      const hash = await f.upload(await jpeg());
      expect(await expirePhotos(t.deps, f.facilityId, daysFromNow(89))).toEqual({ expired: 0, objectsDeleted: 0 });
      expect(await objects(f.facilityId)).toContain(keyOf(f.facilityId, hash));
      expect(await expirePhotos(t.deps, f.facilityId, daysFromNow(91))).toEqual({ expired: 0, objectsDeleted: 1 });
      expect((await objects(f.facilityId)).size).toBe(0);
      await expectAgreement(f.facilityId);
    });

    it('another facility’s photos are untouched', async () => {
      const f = await facility();
      const g = await facility();
      expect((await f.settings({ photoRetentionDays: 7 })).status).toBe(200);
      await f.intake();
      const kept = await g.intake();
      await runJobsOnce(t.deps, daysFromNow(8), { notifications: false });
      expect((await objects(f.facilityId)).size).toBe(0);
      expect(await objects(g.facilityId)).toEqual(new Set([keyOf(g.facilityId, kept.hash)]));
      await expectAgreement(g.facilityId);
    });
  });
}
