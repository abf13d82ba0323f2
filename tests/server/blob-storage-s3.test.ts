// S3BlobStorage against a local S3 (s3rver on a loopback port, files in a temp dir), configured the
// way Cloudflare R2 is: a custom endpoint, region "auto", path-style addressing. The photo goes in
// through the real route and comes back through the presigned URL with a plain fetch (no cookie).
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { signUp, startTestApp, type TestApp } from './harness.ts';

// s3rver ships no types; the little used here, typed by hand.
interface S3rver {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rver;

const BUCKET = 'ptp-test';
let s3: S3rver;
let dir: string;
let t: TestApp;
let a: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ptp-s3rver-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await s3.run();
  t = await startTestApp({
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_BUCKET: BUCKET,
    S3_ACCESS_KEY_ID: 'S3RVER', // s3rver's fixed development credentials
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  });
  a = await signUp(t);
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('S3 blob storage', () => {
  it('the env selects S3BlobStorage', () => {
    expect(t.deps.blobs).toBeInstanceOf(S3BlobStorage);
  });

  it('stores an uploaded photo under the facility prefix and serves it through a presigned URL', async () => {
    const img = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    const hash = sha(img);
    const up = await a.client.request('PUT', `/api/sync/blobs/${hash}`, new Uint8Array(img), { 'content-type': 'image/jpeg' });
    expect(up.status).toBe(201);
    expect(await t.deps.blobs.has(`${a.facilityId}/${hash}.jpg`)).toBe(true);
    expect((await a.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(200);

    const redirect = await a.client.get(`/api/sync/blobs/${hash}`);
    expect(redirect.status).toBe(302);
    const url = new URL(redirect.headers.get('location')!);
    expect(url.pathname).toBe(`/${BUCKET}/${a.facilityId}/${hash}.jpg`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 120, 80]);

    // Refusing a forged or stripped signature is the object store's job: s3rver checks neither
    // SigV4 signatures nor ACLs, so that half is tested against LocalBlobStorage (blobs.test.ts).
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
