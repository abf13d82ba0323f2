// GET /api/activity: the facility's package events for admins, newest first, filtered by person,
// action and the facility's days, paged by cursor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let A: Awaited<ReturnType<typeof signUp>>;
let op: Awaited<ReturnType<typeof joinAs>>;
const opDevice = { clientId: '' };
const p1 = receiveArgs({ trackingNumber: 'ACT0001' });
const p2 = receiveArgs({ trackingNumber: 'ACT0002' });

type Item = { id: string; at: string; type: string; actorId: string; actorName: string; trackingNumber: string; clientId: string };
const get = (c: TestClient, q = '') => c.get(`/api/activity${q ? `?${q}` : ''}`);

beforeAll(async () => {
  t = await startTestApp();
  A = await signUp(t);
  expect((await A.client.request('PATCH', '/api/facility', { timezone: 'Asia/Tokyo' })).status).toBe(200);
  op = await joinAs(t, A, 'operator');
  const adminDevice = new Device(A.client, A.facilityId);
  const device = new Device(op.client, A.facilityId);
  opDevice.clientId = device.clientId;
  // Event times as the devices' clocks gave them, in known places of Tokyo's days.
  const at = <M extends object>(m: M, clientTime: string) => ({ ...m, clientTime });
  const first = await adminDevice.push([at(mutation(1, 'package.receive', p1), '2026-11-09T14:59:00.000Z')]); // 23:59 on the 9th in Tokyo
  expect(first.json.results[0].status).toBe('applied');
  const r = await device.push([
    at(mutation(1, 'package.receive', p2), '2026-11-09T15:00:00.000Z'), // 00:00 on the 10th
    at(mutation(2, 'package.hold', { id: p2.id, note: 'Ask at the desk' }), '2026-11-10T10:00:00.000Z'),
    at(mutation(3, 'package.hold', { id: p1.id, note: 'Ask at the desk' }), '2026-11-11T10:00:00.000Z'),
  ]);
  expect(r.json.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied', 'applied']);
});
afterAll(() => t?.close());

describe('GET /api/activity', () => {
  it('lists every event newest first with the package, the person and the device', async () => {
    const res = await get(A.client);
    expect(res.status).toBe(200);
    const items: Item[] = res.json.items;
    // The desk's own changes of the setup (the time zone, the invitation) are today's entries.
    expect(items.map((i) => [i.trackingNumber, i.type])).toEqual([
      [null, 'member_invited'],
      [null, 'settings_changed'],
      ['ACT0001', 'held'],
      ['ACT0002', 'held'],
      ['ACT0002', 'received'],
      ['ACT0001', 'received'],
    ]);
    expect(items[2]).toMatchObject({
      actorId: op.userId,
      actorName: 'New operator',
      clientId: opDevice.clientId,
      at: '2026-11-11T10:00:00.000Z',
    });
    expect(items[5]).toMatchObject({ actorId: A.userId, actorName: A.body.name });
    expect(res.json.nextCursor).toBeNull();
  });

  it('filters by person, action and the facility’s days', async () => {
    const of = async (q: string) =>
      ((await get(A.client, q)).json.items as (Item & { subject: { type: string } | null })[]).map(
        (i) => `${i.trackingNumber ?? i.subject?.type} ${i.type}`,
      );
    expect(await of(`actorId=${op.userId}`)).toEqual(['ACT0001 held', 'ACT0002 held', 'ACT0002 received']);
    expect(await of(`actorId=${A.userId}`)).toEqual(['invitation member_invited', 'facility settings_changed', 'ACT0001 received']);
    expect(await of('type=received')).toEqual(['ACT0002 received', 'ACT0001 received']);
    expect(await of(`type=held&actorId=${op.userId}`)).toEqual(['ACT0001 held', 'ACT0002 held']);
    // Tokyo's 10th starts at 15:00 UTC on the 9th.
    expect(await of('from=2026-11-10&to=2026-11-10')).toEqual(['ACT0002 held', 'ACT0002 received']);
    expect(await of('to=2026-11-09')).toEqual(['ACT0001 received']);
    expect(await of('from=2026-11-11&to=2026-11-11')).toEqual(['ACT0001 held']);
    expect(await of('type=returned')).toEqual([]);
  });

  it('pages with a cursor, each event once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(A.client, `limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.json.items.map((i: Item) => i.id));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    const page = await get(A.client, 'limit=3&type=held');
    expect(page.json.items).toHaveLength(2);
    expect(page.json.nextCursor).toBeNull();
  });

  it('refuses junk with 400', async () => {
    for (const q of [
      'actorId=nobody',
      'type=stolen',
      'from=2026-02-30',
      'from=2026-11-12&to=2026-11-10',
      'limit=0',
      'limit=201',
      'limit=abc',
      'cursor=%%%',
      'cursor=bm90LWEtY3Vyc29y',
      `cursor=${Buffer.from('2026-11-11T10:00:00.000Z|x').toString('base64url')}`,
    ]) {
      const res = await get(A.client, q);
      expect(res.status, q).toBe(400);
      expect(res.json.error, q).toBe('invalid_input');
    }
  });

  it('is for admins only', async () => {
    expect((await get(op.client)).status).toBe(403);
    const viewer = await joinAs(t, A, 'viewer');
    expect((await get(viewer.client)).json.error).toBe('forbidden');
    expect((await get(new TestClient(t))).status).toBe(401);
  });

  it('is in the OpenAPI document with the export', async () => {
    const doc = await new TestClient(t).get('/api/openapi.json');
    expect(Object.keys(doc.json.paths['/api/activity'])).toEqual(['get']);
    expect(Object.keys(doc.json.paths['/api/exports/packages.csv'])).toEqual(['get']);
    expect(Object.keys(doc.json.paths['/api/exports/packages.csv'].get.responses['200'].content)).toEqual(['text/csv']);
  });
});
