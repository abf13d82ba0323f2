// S3BlobStorage against a local S3 (s3rver on a loopback port, files in a temp dir), configured
// through the env as a deployment would (a custom endpoint, path-style addressing, as for
// Cloudflare R2 or MinIO). The photo goes in through the real route, comes back through the
// presigned URL with a plain fetch (no cookie), and leaves storage with its package.
//
// What s3rver 3.7.1 checks of a presigned SigV4 URL: the access key exists, the date and expiry
// (X-Amz-Date + X-Amz-Expires, at most a week). It does NOT recompute the HMAC ("Signature version
// 4 calculation is unimplemented", lib/middleware/authentication.js), so a changed X-Amz-Signature
// alone is accepted here; AWS and R2 refuse it. The tampering tested below is what s3rver detects;
// the signature itself is covered against LocalBlobStorage in blobs.test.ts.
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { asOwner, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';
import { startLocalS3, type LocalS3 } from './s3-server.ts';

const BUCKET = 'ptp-test';
let s3: LocalS3;
let t: TestApp;
let a: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  s3 = await startLocalS3(BUCKET);
  t = await startTestApp(s3.env);
  a = await signUp(t);
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let seq = 0;
/** A distinct small JPEG each call (a different stripe pattern, so different bytes). */
async function jpeg() {
  const raw = Buffer.alloc(120 * 80 * 3);
  const k = ++seq;
  for (let i = 0; i < raw.length; i++) raw[i] = (i * k * 7 + (i >> 9) * 31) & 0xff;
  return sharp(raw, { raw: { width: 120, height: 80, channels: 3 } })
    .jpeg()
    .toBuffer();
}
const put = (bytes: Buffer) =>
  a.client.request('PUT', `/api/sync/blobs/${sha(bytes)}`, new Uint8Array(bytes), { 'content-type': 'image/jpeg' });
async function presigned(hash: string): Promise<URL> {
  const redirect = await a.client.get(`/api/sync/blobs/${hash}`);
  expect(redirect.status).toBe(302);
  return new URL(redirect.headers.get('location')!);
}

describe('S3 blob storage', () => {
  it('the env selects S3BlobStorage', () => {
    expect(t.deps.blobs).toBeInstanceOf(S3BlobStorage);
  });

  it('stores an uploaded photo under the facility prefix and serves it through a presigned URL', async () => {
    const img = await jpeg();
    const hash = sha(img);
    expect((await a.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(404);
    const up = await put(img);
    expect(up.status).toBe(201);
    expect(await t.deps.blobs.has(`${a.facilityId}/${hash}.jpg`)).toBe(true);
    expect((await a.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(200);
    // The stored_blobs row names the S3 key, which starts with the facility id.
    const stored = await asOwner(t, (c) =>
      c.query(`SELECT "storageKey" FROM stored_blobs WHERE "facilityId" = $1 AND hash = $2`, [a.facilityId, hash]),
    );
    expect(stored.rows).toEqual([{ storageKey: `${a.facilityId}/${hash}.jpg` }]);

    const url = await presigned(hash);
    expect(url.origin).toBe(new URL(t.deps.env.S3_ENDPOINT!).origin);
    expect(url.pathname).toBe(`/${BUCKET}/${a.facilityId}/${hash}.jpg`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 120, 80]);
  });

  it('refuses a presigned URL whose credential or date was tampered with', async () => {
    const img = await jpeg();
    await put(img);
    const url = await presigned(sha(img));
    expect((await fetch(url)).status).toBe(200);

    const forgedKey = new URL(url);
    forgedKey.searchParams.set('X-Amz-Credential', url.searchParams.get('X-Amz-Credential')!.replace(/^S3RVER\//, 'AKIAFORGED/'));
    const r1 = await fetch(forgedKey);
    expect(r1.status).toBe(403);
    expect(await r1.text()).toContain('InvalidAccessKeyId');

    // Backdated by an hour: the 300-second window is over.
    const backdated = new URL(url);
    const at = url.searchParams.get('X-Amz-Date')!; // 20261126T211500Z
    const iso = `${at.slice(0, 4)}-${at.slice(4, 6)}-${at.slice(6, 8)}T${at.slice(9, 11)}:${at.slice(11, 13)}:${at.slice(13, 15)}Z`;
    backdated.searchParams.set('X-Amz-Date', new Date(Date.parse(iso) - 3_600_000).toISOString().replace(/[-:]|\.\d{3}/g, ''));
    const r2 = await fetch(backdated);
    expect(r2.status).toBe(403);
    expect(await r2.text()).toContain('Request has expired');
  });

  it('package.delete removes the photo from the bucket', async () => {
    const d = new Device(a.client, a.facilityId);
    const p = receiveArgs();
    const img = await jpeg();
    const hash = sha(img);
    await d.push([mutation(1, 'package.receive', p), mutation(2, 'package.attachPhoto', { id: p.id, hash, kind: 'intake' })]);
    expect((await put(img)).status).toBe(201);
    const key = `${a.facilityId}/${hash}.jpg`;
    expect(await t.deps.blobs.has(key)).toBe(true);
    expect(await readdir(path.join(s3.dir, BUCKET), { recursive: true })).toEqual(expect.arrayContaining([expect.stringContaining(hash)]));

    await d.push([mutation(3, 'package.delete', { id: p.id })]);
    expect(await t.deps.blobs.has(key)).toBe(false);
    expect((await a.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(404);
  });

  it('deletes an object', async () => {
    const key = `${a.facilityId}/${'e'.repeat(64)}.png`;
    await t.deps.blobs.put(
      key,
      await sharp({ create: { width: 2, height: 2, channels: 4, background: '#0000' } })
        .png()
        .toBuffer(),
      'image/png',
    );
    expect(await t.deps.blobs.has(key)).toBe(true);
    await t.deps.blobs.delete(key);
    expect(await t.deps.blobs.has(key)).toBe(false);
  });
});
