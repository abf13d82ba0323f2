// GET /api/exports/packages.csv: the package history as a CSV a spreadsheet opens safely (BOM, RFC
// 4180 quoting, formulas neutralised), packages chosen by the facility's own days of receipt,
// streamed from a cursor; every member may export, a read-only facility too.
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLING_ON, TestClient, asOwner, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let A: Awaited<ReturnType<typeof signUp>>;
let code: string;
const tz = 'America/New_York';
/** Received 23:30 on 9 November in New York (already the 10th in UTC). */
const late = receiveArgs({ trackingNumber: 'EXPLATE0001', receivedAt: '2026-11-10T04:30:00.000Z', recipientName: 'Late Night' });
/** Received 00:30 on 10 November in New York. */
const early = receiveArgs({
  trackingNumber: 'EXPEARLY0002',
  receivedAt: '2026-11-10T05:30:00.000Z',
  recipientName: 'Lovelace, "Ada"',
  sender: '=HYPERLINK("http://evil.example","click")',
  notes: '+1 555 0100\nsecond line',
});
/** Received at the end of 12 November in New York. */
const last = receiveArgs({ trackingNumber: 'EXPLAST0003', receivedAt: '2026-11-13T04:59:59.999Z', recipientName: '@everyone' });
let photoHash: string;

const cookie = (c: TestClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
/** The response as bytes decoded keeping the BOM (Response.text() drops it). */
async function csv(c: TestClient, q: string) {
  const res = await t.app.request(`http://localhost/api/exports/packages.csv?${q}`, { headers: { cookie: cookie(c) } });
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
const rows = (text: string) => {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
};

beforeAll(async () => {
  t = await startTestApp(BILLING_ON);
  A = await signUp(t);
  const patched = await A.client.request('PATCH', '/api/facility', { timezone: tz });
  expect(patched.status).toBe(200);
  code = patched.json.code;
  const image = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#36c' } })
    .jpeg()
    .toBuffer();
  photoHash = createHash('sha256').update(image).digest('hex');
  const up = await A.client.request('PUT', `/api/sync/blobs/${photoHash}`, new Uint8Array(image), { 'content-type': 'image/jpeg' });
  expect(up.status).toBe(201);
  const device = new Device(A.client, A.facilityId);
  const res = await device.push([
    mutation(1, 'package.receive', late),
    mutation(2, 'package.receive', early),
    mutation(3, 'package.receive', last),
    mutation(4, 'package.hold', { id: early.id, note: 'Box is damaged' }),
    mutation(5, 'package.attachPhoto', { id: early.id, hash: photoHash, kind: 'intake' }),
    mutation(6, 'package.deliver', { id: last.id, deliveredTo: 'Grace Hopper', at: '2026-11-13T15:00:00.000Z' }),
  ]);
  expect(res.json.results.map((r: { status: string; error?: string }) => r.error ?? r.status)).toEqual(Array(6).fill('applied'));
});
afterAll(() => t?.close());

describe('GET /api/exports/packages.csv', () => {
  it('streams a CSV with a BOM, a header row and one row per package of the facility’s days, in order of receipt', async () => {
    const res = await csv(A.client, 'from=2026-11-10&to=2026-11-12');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="packages-${code}-2026-11-10-2026-11-12.csv"`);
    expect(res.headers.get('x-total-rows')).toBe('2');
    expect(res.text).toMatch(/^\uFEFFid,trackingNumber,carrier,status,/);
    expect(res.text.endsWith('\r\n')).toBe(true);
    const data = rows(res.text);
    // 23:30 on the 9th in New York is not in a range starting on the 10th, though it is the 10th in UTC.
    expect(data.map((r) => r.trackingNumber)).toEqual(['EXPEARLY0002', 'EXPLAST0003']);
    for (const col of [
      'id',
      'trackingNumber',
      'carrier',
      'status',
      'recipientName',
      'receivedAt',
      'deliveredAt',
      'deliveredTo',
      'heldNote',
    ])
      expect(Object.keys(data[0]!)).toContain(col);
    expect(Object.keys(data[0]!)).not.toContain('custodyHash');
  });

  it('quotes what would split a record and neutralises formulas', async () => {
    const res = await csv(A.client, 'from=2026-11-10&to=2026-11-10');
    expect(res.text).toContain('"Lovelace, ""Ada"""');
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const [p] = rows(res.text);
    expect(p).toMatchObject({
      id: early.id,
      recipientName: 'Lovelace, "Ada"',
      sender: `'=HYPERLINK("http://evil.example","click")`,
      notes: `'+1 555 0100\nsecond line`,
      status: 'held',
      heldNote: 'Box is damaged',
      receivedAt: '2026-11-10T05:30:00.000Z',
      receivedAtLocal: '2026-11-10 00:30:00',
      timezone: tz,
      receivedBy: A.body.name,
    });
    expect(p!.events).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z received by Tester [^;]+; \S+ held by Tester [^;]+; \S+ photo_attached by /);
    // The app's own photo link (checked against the session), never a presigned one that expires.
    expect(p!.photos).toBe(`intake http://localhost/api/sync/blobs/${photoHash}`);
    const last3 = rows((await csv(A.client, 'from=2026-11-12&to=2026-11-12')).text);
    expect(last3.map((r) => [r.recipientName, r.status, r.deliveredTo, r.deliveredAt, r.deliveredAtLocal])).toEqual([
      ["'@everyone", 'delivered', 'Grace Hopper', '2026-11-13T15:00:00.000Z', '2026-11-13 10:00:00'],
    ]);
  });

  it('adds the last custody hash of each package on request', async () => {
    const res = await csv(A.client, 'from=2026-11-10&to=2026-11-10&hashes=true');
    const [p] = rows(res.text);
    const custody = await A.client.get(`/api/packages/${early.id}/custody`);
    expect(custody.json.verified).toBe(true);
    expect(p!.custodyHash).toBe(custody.json.events.at(-1).hash);
    expect(p!.custodyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an empty range is a header row only; HEAD counts without a body', async () => {
    const res = await csv(A.client, 'from=2020-01-01&to=2020-01-31');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-rows')).toBe('0');
    expect(res.text.split('\r\n')).toHaveLength(2);
    const head = await A.client.request('HEAD', '/api/exports/packages.csv?from=2026-11-01&to=2026-11-30');
    expect(head.status).toBe(200);
    expect(head.headers.get('x-total-rows')).toBe('3');
  });

  it('either end may be left open', async () => {
    const all = await csv(A.client, '');
    expect(all.status).toBe(200);
    expect(rows(all.text).map((r) => r.trackingNumber)).toEqual(['EXPLATE0001', 'EXPEARLY0002', 'EXPLAST0003']);
    expect(all.headers.get('content-disposition')).toMatch(new RegExp(`filename="packages-${code}-start-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    expect(rows((await csv(A.client, 'from=2026-11-10')).text).map((r) => r.trackingNumber)).toEqual(['EXPEARLY0002', 'EXPLAST0003']);
    expect(rows((await csv(A.client, 'to=2026-11-09')).text).map((r) => r.trackingNumber)).toEqual(['EXPLATE0001']);
  });

  it('refuses junk ranges with 400', async () => {
    for (const q of [
      'from=2026-11-12&to=2026-11-10',
      'from=2026-02-30&to=2026-03-01',
      'from=10/11/2026&to=2026-11-12',
      'from=2026-11-10T00:00:00Z&to=2026-11-12',
      'from=1900-01-01&to=2099-12-31',
      'from=2026-11-10&to=2026-11-12&hashes=yes',
      'from=&to=2026-11-12',
      'to=tomorrow',
    ]) {
      const res = await csv(A.client, q);
      expect(res.status, q).toBe(400);
      expect(res.json.error, q).toBe('invalid_input');
    }
  });

  it('every role may export; signed out may not', async () => {
    for (const role of ['viewer', 'courier', 'operator']) {
      const m = await joinAs(t, A, role);
      const res = await csv(m.client, 'from=2026-11-10&to=2026-11-12');
      expect(res.status, role).toBe(200);
      expect(rows(res.text)).toHaveLength(2);
    }
    expect((await csv(new TestClient(t), 'from=2026-11-10&to=2026-11-12')).status).toBe(401);
  });

  it('works while the facility is read-only', async () => {
    const trialEndsAt = (await t.deps.db.prisma.subscription.findUniqueOrThrow({ where: { facilityId: A.facilityId } })).trialEndsAt;
    await t.deps.db.prisma.subscription.update({
      where: { facilityId: A.facilityId },
      data: { trialEndsAt: new Date(Date.now() - 86_400_000) },
    });
    const push = await new Device(A.client, A.facilityId).push([mutation(1, 'package.receive', receiveArgs())]);
    expect([push.status, push.json.error]).toEqual([403, 'read_only']);
    const res = await csv(A.client, 'from=2026-11-10&to=2026-11-12');
    expect(res.status).toBe(200);
    expect(rows(res.text)).toHaveLength(2);
    await t.deps.db.prisma.subscription.update({ where: { facilityId: A.facilityId }, data: { trialEndsAt } });
  });

  it('gives the connection back when the reader stops early, and streams many packages in order', async () => {
    const B = await signUp(t);
    await asOwner(t, (c) =>
      c.query(
        `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", status, "receivedAt", version)
         SELECT gen_random_uuid(), $1::uuid, 'BULK' || lpad(i::text, 6, '0'), 'ups', 'Bulk ' || i, 'received',
                timestamp '2026-10-01 12:00' + i * interval '1 second', 1
           FROM generate_series(1, 2500) i`,
        [B.facilityId],
      ),
    );
    const full = await csv(B.client, 'from=2026-10-01&to=2026-10-01');
    expect(full.headers.get('x-total-rows')).toBe('2500');
    const data = rows(full.text);
    expect(data).toHaveLength(2500);
    expect(data[0]!.trackingNumber).toBe('BULK000001');
    expect(data.at(-1)!.trackingNumber).toBe('BULK002500');
    // A reader that gives up after the first chunk: the transaction ends and the pool gets its
    // connection back (later requests still answer, on PGlite's single connection too).
    for (let i = 0; i < 3; i++) {
      const res = await t.app.request('http://localhost/api/exports/packages.csv?from=2026-10-01&to=2026-10-01', {
        headers: { cookie: cookie(B.client) },
      });
      const reader = res.body!.getReader();
      await reader.read();
      await reader.cancel();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((await B.client.get('/api/facility')).status).toBe(200);
    expect((await csv(B.client, 'from=2026-10-01&to=2026-10-01')).headers.get('x-total-rows')).toBe('2500');
  });
});
