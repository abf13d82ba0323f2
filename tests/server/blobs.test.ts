// sync-protocol.md "Blobs": upload by hash, server-side processing, facility-scoped storage,
// presigned reads. Images are made with sharp in the test.
import { createHash } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSrgbProfile, processImage } from '../../sync-server/src/blobs/process-image.ts';
import { LocalBlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { loadEnv } from '../../sync-server/src/env.ts';
import { ORIGIN, TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, applyPatch, mutation, receiveArgs, rowsOf } from './sync-helpers.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  t = await startTestApp({ BLOB_MAX_BYTES: String(3 * 1024 * 1024) });
  a = await signUp(t);
});
afterAll(() => t?.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const put = (c: TestClient, bytes: Buffer, hash = sha(bytes), query = '') =>
  c.request('PUT', `/api/sync/blobs/${hash}${query}`, new Uint8Array(bytes), { 'content-type': 'image/jpeg' });

let seq = 0;
/** A unique JPEG (noise, so each is distinct and not trivially compressible). */
async function jpeg(width = 64, height = 48, extra: (s: Sharp) => Sharp = (s) => s) {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 31 + seq * 97 + ((i >> 7) & 0xff)) & 0xff;
  seq++;
  return extra(sharp(raw, { raw: { width, height, channels: 3 } }))
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function fetchRedirect(c: TestClient, hash: string) {
  const res = await c.get(`/api/sync/blobs/${hash}`);
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

describe('blob upload and read', () => {
  it('stores a photo once, answers HEAD, and redirects GET to a short-lived signed URL that needs no cookie', async () => {
    const img = await jpeg();
    const hash = sha(img);
    expect((await a.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(404);
    const first = await put(a.client, img);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ hash, contentType: 'image/jpeg', width: 64, height: 48 });
    const again = await put(a.client, img);
    expect(again.status).toBe(200);
    expect(again.json.alreadyStored).toBe(true);
    expect((await a.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(200);

    const location = await fetchRedirect(a.client, hash);
    const url = new URL(location, ORIGIN);
    expect(url.pathname).toBe(`/api/blobs/local/${a.facilityId}/${hash}.jpg`);
    const exp = Number(url.searchParams.get('exp'));
    expect(exp - Date.now() / 1000).toBeGreaterThan(240);
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(300);

    const anonymous = new TestClient(t);
    const image = await t.app.request(url.toString());
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    expect([meta.format, meta.width]).toEqual(['jpeg', 64]);

    const tampered = new URL(url);
    tampered.searchParams.set('sig', 'a'.repeat(64));
    expect((await anonymous.get(tampered.pathname + tampered.search)).status).toBe(403);
    const unsigned = new URL(url);
    unsigned.searchParams.delete('sig');
    expect((await anonymous.get(unsigned.pathname + unsigned.search)).status).toBe(403);
    const stretched = new URL(url);
    stretched.searchParams.set('exp', String(exp + 3600));
    expect((await anonymous.get(stretched.pathname + stretched.search)).status).toBe(403);
  });

  it('refuses an expired signed URL', async () => {
    const storage = t.deps.blobs as LocalBlobStorage;
    const img = await jpeg();
    await put(a.client, img);
    const expired = await storage.presignGet(`${a.facilityId}/${sha(img)}.jpg`, -5); // validly signed, 5 s in the past
    const res = await new TestClient(t).get(expired);
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('url_expired');
  });

  it('refuses a hash mismatch with 400 and stores nothing', async () => {
    const img = await jpeg();
    const wrong = sha(Buffer.from('something else'));
    const res = await put(a.client, img, wrong);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('hash_mismatch');
    expect((await a.client.request('HEAD', `/api/sync/blobs/${wrong}`)).status).toBe(404);
    expect((await a.client.request('HEAD', `/api/sync/blobs/${sha(img)}`)).status).toBe(404);
  });

  it('refuses an upload without a session with 401 and stores nothing', async () => {
    const img = await jpeg();
    const res = await put(new TestClient(t), img);
    expect(res.status).toBe(401);
    expect(await (t.deps.blobs as LocalBlobStorage).has(`${a.facilityId}/${sha(img)}.jpg`)).toBe(false);
  });

  it('refuses a malformed hash with 400', async () => {
    expect((await put(a.client, await jpeg(), 'ABC')).status).toBe(400);
  });

  it('refuses what is not an image (415) and a decompression bomb (413)', async () => {
    const text = Buffer.from('hello, this is not an image');
    const r1 = await put(a.client, text);
    expect(r1.status).toBe(415);
    expect(r1.json.error).toBe('unsupported_media_type');
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const r2 = await put(a.client, bomb);
    expect(r2.status).toBe(413);
    expect(r2.json.error).toBe('image_too_large');
  });

  it('refuses a body over the limit with 413', async () => {
    const big = Buffer.concat([await jpeg(), Buffer.alloc(4 * 1024 * 1024, 7)]);
    const res = await put(a.client, big);
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('payload_too_large');
  });

  it('applies the EXIF orientation, strips all metadata (GPS included), and resizes to 1600 px', async () => {
    const rotated = await jpeg(40, 20, (s) =>
      s.withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } }).withMetadata({ orientation: 6 }),
    );
    const inMeta = await sharp(rotated).metadata();
    expect(inMeta.orientation).toBe(6);
    expect(inMeta.exif).toBeDefined();
    const up = await put(a.client, rotated);
    expect(up.status).toBe(201);
    expect([up.json.width, up.json.height]).toEqual([20, 40]);
    const stored = await (t.deps.blobs as LocalBlobStorage).read(`${a.facilityId}/${sha(rotated)}.jpg`);
    const outMeta = await sharp(stored!).metadata();
    expect(outMeta.exif).toBeUndefined();
    expect(outMeta.orientation).toBeUndefined();
    expect(outMeta.icc).toBeUndefined();
    expect(stored!.includes(Buffer.from('GPS'))).toBe(false);

    const large = await jpeg(2000, 1500);
    const r = await put(a.client, large);
    expect([r.json.width, r.json.height]).toEqual([1600, 1200]);
  });

  it('brings a 12-megapixel camera photo down to 1600 px on the long side, without enlarging small ones', async () => {
    // Smooth, so the 4000×3000 JPEG stays under this test app's 3 MiB upload limit.
    const camera = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#6a8' } })
      .composite([{ input: Buffer.from('<svg width="4000" height="3000"><circle cx="2000" cy="1500" r="900" fill="#c33"/></svg>') }])
      .jpeg({ quality: 92 })
      .toBuffer();
    const up = await put(a.client, camera);
    expect(up.status).toBe(201);
    expect([up.json.width, up.json.height]).toEqual([1600, 1200]);
    const small = await put(a.client, await jpeg(300, 200));
    expect([small.json.width, small.json.height]).toEqual([300, 200]);
  });

  it('converts a Display P3 photo to sRGB and skips the conversion for one that is sRGB already', async () => {
    const tagged = (profile: string) =>
      sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
        .withIccProfile(profile)
        .jpeg({ quality: 100 })
        .toBuffer();
    const [srgb, p3] = await Promise.all([tagged('srgb'), tagged('p3')]);
    expect(isSrgbProfile((await sharp(srgb).metadata()).icc)).toBe(true);
    expect(isSrgbProfile((await sharp(p3).metadata()).icc)).toBe(false);
    expect(isSrgbProfile(undefined)).toBe(false);
    const red = async (b: Buffer) => [
      ...(
        await sharp((await processImage(b)).data)
          .raw()
          .toBuffer()
      ).subarray(0, 3),
    ];
    const [r1] = await red(srgb);
    const [r2, g2] = await red(p3);
    expect(r1).toBeGreaterThan(240);
    // P3's red lies outside sRGB: converted, it clips to full red (a P3 value read as sRGB would not).
    expect(r2).toBeGreaterThan(240);
    expect(g2).toBeLessThan(40);
    // The converted photo says what it is: tagged sRGB; an sRGB one needs no tag (sRGB is the default).
    expect(isSrgbProfile((await sharp((await processImage(p3)).data).metadata()).icc)).toBe(true);
    expect((await sharp((await processImage(srgb)).data).metadata()).icc).toBeUndefined();
  });

  it('a Display P3 photo resized before its conversion keeps its colours (against converting first)', async () => {
    // A 2400 × 1800 P3 photo-like image (colour gradients, a saturated patch), brought to 1600 px.
    const w = 2400;
    const h = 1800;
    const raw = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 3;
        const patch = x > 1500 && y > 1000;
        raw[i] = patch ? 250 : Math.round((x / w) * 255);
        raw[i + 1] = patch ? 30 : Math.round((y / h) * 255);
        raw[i + 2] = patch ? 40 : Math.round(((x + y) / (w + h)) * 255);
      }
    const p3 = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .withIccProfile('p3')
      .jpeg({ quality: 95 })
      .toBuffer();
    const out = await processImage(p3);
    expect([out.width, out.height]).toEqual([1600, 1200]);
    expect(isSrgbProfile((await sharp(out.data).metadata()).icc)).toBe(true);
    // The reference: sharp's own path, converting the full image to sRGB first, then resizing.
    const reference = await sharp(p3).resize(1600, 1200).toColourspace('srgb').raw().toBuffer();
    const ours = await sharp(out.data).raw().toBuffer();
    expect(ours.length).toBe(reference.length);
    let sum = 0;
    for (let i = 0; i < ours.length; i++) sum += Math.abs(ours[i]! - reference[i]!);
    // Mean difference per channel (JPEG at quality 80 on both sides of the comparison included).
    expect(sum / ours.length).toBeLessThan(2);
    // The saturated patch stays saturated (not washed out, not read as sRGB unconverted).
    const [r, g] = await sharp(out.data).extract({ left: 1400, top: 1000, width: 1, height: 1 }).raw().toBuffer();
    const [rr, rg] = await sharp(p3)
      .resize(1600, 1200)
      .toColourspace('srgb')
      .extract({ left: 1400, top: 1000, width: 1, height: 1 })
      .raw()
      .toBuffer();
    expect(Math.abs(r! - rr!)).toBeLessThan(8);
    expect(Math.abs(g! - rg!)).toBeLessThan(8);
  });

  it('keeps a signature as lossless PNG', async () => {
    const sig = await sharp({ create: { width: 300, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="300" height="100"><path d="M10 50 Q 150 0 290 50" stroke="black" fill="none" stroke-width="4"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer();
    const res = await a.client.request('PUT', `/api/sync/blobs/${sha(sig)}?kind=signature`, new Uint8Array(sig), {
      'content-type': 'image/png',
    });
    expect(res.status).toBe(201);
    expect(res.json.contentType).toBe('image/png');
    const stored = await (t.deps.blobs as LocalBlobStorage).read(`${a.facilityId}/${sha(sig)}.png`);
    const out = await sharp(stored!).raw().toBuffer();
    const orig = await sharp(sig).raw().toBuffer();
    expect(out.equals(orig)).toBe(true);
  });
});

describe('tenancy and roles', () => {
  it('another facility sees nothing and stores its own copy under its own prefix', async () => {
    const img = await jpeg();
    const hash = sha(img);
    await put(a.client, img);
    const b = await signUp(t);
    expect((await b.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(404);
    expect((await b.client.get(`/api/sync/blobs/${hash}`)).status).toBe(404);
    expect((await put(b.client, img)).status).toBe(201);
    const storage = t.deps.blobs as LocalBlobStorage;
    expect(await storage.has(`${a.facilityId}/${hash}.jpg`)).toBe(true);
    expect(await storage.has(`${b.facilityId}/${hash}.jpg`)).toBe(true);
    expect(new URL(await fetchRedirect(b.client, hash), ORIGIN).pathname).toContain(`/${b.facilityId}/`);
  });

  it('a viewer may look at photos but not upload them', async () => {
    const { client: viewer } = await joinAs(t, a, 'viewer');
    const img = await jpeg();
    await put(a.client, img);
    expect((await viewer.get(`/api/sync/blobs/${sha(img)}`)).status).toBe(302);
    const res = await put(viewer, await jpeg());
    expect(res.status).toBe(403);
  });
});

describe('blobs and sync', () => {
  it('an attachment becomes uploaded when its bytes arrive later, and a deleted package takes its photo along', async () => {
    const d = new Device(a.client, a.facilityId);
    const p = receiveArgs();
    const img = await jpeg();
    const hash = sha(img);
    await d.push([mutation(1, 'package.receive', p), mutation(2, 'package.attachPhoto', { id: p.id, hash, kind: 'intake' })]);
    const first = await d.pullAll();
    const state = applyPatch(new Map(), first.patch);
    const att = [...rowsOf(state, 'attachments').values()].find((r) => r.hash === hash)!;
    expect(att.uploaded).toBe(false);

    await put(a.client, img);
    const next = await d.pullAll(first.cookie);
    applyPatch(state, next.patch);
    expect([...rowsOf(state, 'attachments').values()].find((r) => r.hash === hash)!.uploaded).toBe(true);

    const storage = t.deps.blobs as LocalBlobStorage;
    expect(await storage.has(`${a.facilityId}/${hash}.jpg`)).toBe(true);
    await d.push([mutation(3, 'package.delete', { id: p.id })]);
    expect(await storage.has(`${a.facilityId}/${hash}.jpg`)).toBe(false);
    expect((await a.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(404);
  });
});

describe('(14) interrupted uploads', () => {
  it('an upload cut at 50% stores nothing; the retry stores it once; a mismatch is refused; the same hash twice is a no-op', async () => {
    const img = await jpeg(320, 240);
    const hash = sha(img);
    const half = img.subarray(0, img.length >> 1);
    // The connection drops after half of the body: the stream errors mid-read.
    const cut = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(half));
        controller.error(new Error('connection reset by peer'));
      },
    });
    const cookie = [...a.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await t.app.request(`${ORIGIN}/api/sync/blobs/${hash}`, {
      method: 'PUT',
      headers: { cookie, origin: ORIGIN, 'content-type': 'image/jpeg' },
      body: cut,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('upload_interrupted');
    expect((await a.client.request('HEAD', `/api/sync/blobs/${hash}`)).status).toBe(404);
    expect(await (t.deps.blobs as LocalBlobStorage).has(`${a.facilityId}/${hash}.jpg`)).toBe(false);

    // Half the bytes arriving as if complete: the re-hash refuses them.
    expect((await put(a.client, Buffer.from(half), hash)).status).toBe(400);
    // The device sends the whole photo again.
    expect((await put(a.client, img)).status).toBe(201);
    expect((await put(a.client, img)).status).toBe(200);
    const rows = await t.deps.db.withFacility(a.facilityId, (tx) => tx.storedBlob.count({ where: { hash } }));
    expect(rows).toBe(1);
  });
});

describe('storage configuration', () => {
  it('takes S3 all or nothing', () => {
    expect(() => loadEnv({ S3_ENDPOINT: 'https://acct.r2.cloudflarestorage.com' })).toThrow(
      /S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/,
    );
    expect(() => loadEnv({ S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'k' })).toThrow(/S3_\*/);
    const env = loadEnv({ S3_BUCKET: 'photos', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' });
    expect([env.S3_REGION, env.BLOB_MAX_BYTES, env.BLOB_URL_TTL_SECONDS]).toEqual(['auto', 15 * 1024 * 1024, 300]);
    expect(() => loadEnv({})).not.toThrow();
  });
});
