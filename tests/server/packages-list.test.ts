// The admin's packages table (GET /api/packages, http-api.md "Packages and custody"): every filter,
// the search box (last digits, part of a name, sender, notes), each sort both ways, keyset cursors
// with no duplicate or gap across pages on a non-unique sort key, counts per status tab, the
// facility's time zone for dates of receipt, and junk refused with 400.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORTS, parseSort } from '../../src/lib/domain/package-list.ts';
import { countPackagesByStatus, listPackages, searchFirstPageWithCounts } from '../../sync-server/src/repositories/package-list.ts';
import { TestClient, asOwner, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let operatorId: string;

const DAY = 86_400_000;
const now = Date.now();
const ids = {
  physics: randomUUID(),
  chemistry: randomUUID(),
  ada: randomUUID(),
  grace: randomUUID(),
  alan: randomUUID(),
  desk: randomUUID(),
  dock: randomUUID(),
};

interface Seeded {
  id: string;
  trackingNumber: string;
  carrier: string;
  status: 'received' | 'held' | 'delivered' | 'returned';
  recipientId: string | null;
  recipientName: string;
  sender: string | null;
  notes: string | null;
  locationId: string | null;
  receivedById: string | null;
  receivedAt: string;
  deleted?: boolean;
}
const seeded: Seeded[] = [];
const live = () => seeded.filter((p) => !p.deleted);

const RECIPIENTS = [
  { id: ids.ada, name: 'Ada Lovelace', dept: ids.physics },
  { id: ids.grace, name: 'Grace Hopper', dept: ids.chemistry },
  { id: ids.alan, name: 'Alan Turing', dept: ids.physics },
];
const CARRIERS = ['ups', 'fedex', 'usps'];
const STATUSES = ['received', 'held', 'delivered', 'returned', 'received'] as const;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  operatorId = (await joinAs(t, admin, 'operator')).userId;
  const f = admin.facilityId;
  await asOwner(t, async (c) => {
    await c.query(`UPDATE facilities SET timezone = 'America/New_York' WHERE id = $1`, [f]);
    await c.query(`INSERT INTO departments (id, "facilityId", name, version) VALUES ($1, $3, 'Physics', 1), ($2, $3, 'Chemistry', 1)`, [
      ids.physics,
      ids.chemistry,
      f,
    ]);
    await c.query(`INSERT INTO locations (id, "facilityId", name, version) VALUES ($1, $3, 'Front desk', 1), ($2, $3, 'Dock', 1)`, [
      ids.desk,
      ids.dock,
      f,
    ]);
    for (const r of RECIPIENTS) {
      await c.query(`INSERT INTO recipients (id, "facilityId", name, "departmentId", version) VALUES ($1, $2, $3, $4, 1)`, [
        r.id,
        f,
        r.name,
        r.dept,
      ]);
    }
    // 40 packages; several share a receipt time, so sorting by any column has ties the id breaks.
    for (let i = 0; i < 40; i++) {
      const r = RECIPIENTS[i % 3]!;
      seeded.push({
        id: randomUUID(),
        trackingNumber: `1Z${String(100000 + i * 7919).padStart(10, '0')}`,
        carrier: CARRIERS[i % 3]!,
        status: STATUSES[i % 5]!,
        recipientId: r.id,
        recipientName: r.name,
        sender: i % 4 === 0 ? 'Acme Widgets' : null,
        notes: i === 7 ? 'Fragile glass vase' : null,
        locationId: i % 2 ? ids.desk : ids.dock,
        receivedById: i % 2 ? operatorId : admin.userId,
        receivedAt: new Date(now - Math.floor(i / 3) * DAY - DAY / 2).toISOString(),
        deleted: i === 39,
      });
    }
    seeded.push({
      id: randomUUID(),
      trackingNumber: '9400111899223344556677',
      carrier: 'usps',
      status: 'received',
      recipientId: null,
      recipientName: 'Zoë O’Brien 100%_real',
      sender: 'Grandma',
      notes: null,
      locationId: null,
      receivedById: null,
      // 03:30 UTC on 10 March is 22:30 on 9 March in New York (the facility's zone).
      receivedAt: '2026-03-10T03:30:00.000Z',
    });
    for (const p of seeded) {
      await c.query(
        `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientId", "recipientName", sender, notes, status,
                               "locationId", "receivedById", "receivedAt", version, "deletedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::"PackageStatus", $10, $11, $12::timestamptz AT TIME ZONE 'UTC', 1, $13)`,
        [
          p.id,
          f,
          p.trackingNumber,
          p.carrier,
          p.recipientId,
          p.recipientName,
          p.sender,
          p.notes,
          p.status,
          p.locationId,
          p.receivedById,
          p.receivedAt,
          p.deleted ? new Date() : null,
        ],
      );
    }
  });
});
afterAll(() => t?.close());

const list = (query: Record<string, string | number> = {}, c: TestClient = admin.client) =>
  c.get(`/api/packages?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`);

/** Every page of a query, followed by its cursors. */
async function allPages(query: Record<string, string | number>, c: TestClient = admin.client) {
  const items: { id: string }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await list({ ...query, ...(cursor ? { cursor } : {}) }, c);
    expect(res.status, res.text).toBe(200);
    items.push(...res.json.items);
    cursor = res.json.nextCursor;
    pages++;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return { items, pages };
}

const idsOf = (items: { id: string }[]) => items.map((p) => p.id).sort();
const expectIds = (items: { id: string }[], want: Seeded[]) => expect(idsOf(items)).toEqual(want.map((p) => p.id).sort());

describe('GET /api/packages', () => {
  it('lists live packages newest first with their fields, the deleted one left out, and counts per tab', async () => {
    const res = await list({ limit: 200 });
    expect(res.status, res.text).toBe(200);
    expectIds(res.json.items, live());
    expect(res.json.nextCursor).toBeNull();
    const times = res.json.items.map((p: { receivedAt: string }) => p.receivedAt);
    expect(times).toEqual([...times].sort().reverse());
    const ada = res.json.items.find((p: { recipientId: string }) => p.recipientId === ids.ada);
    expect(ada).toMatchObject({ recipientName: 'Ada Lovelace', departmentName: 'Physics', departmentId: ids.physics });
    expect(ada.locationName).toMatch(/Front desk|Dock/);
    expect(ada.receivedByName).toBeTruthy();
    const by = (s: string) => live().filter((p) => p.status === s).length;
    expect(res.json.counts).toEqual({
      received: by('received'),
      held: by('held'),
      delivered: by('delivered'),
      returned: by('returned'),
      all: live().length,
    });
  });

  it('lists a package a device pushed, with who logged it', async () => {
    const device = new Device(admin.client, admin.facilityId);
    const p = receiveArgs({ recipientName: 'Pushed Person', carrier: 'dhl' });
    const res = await device.push([mutation(1, 'package.receive', p)]);
    expect(res.json.results[0].status).toBe('applied');
    const found = await list({ q: 'Pushed Person' });
    expect(found.json.items).toHaveLength(1);
    expect(found.json.items[0]).toMatchObject({ id: p.id, trackingNumber: p.trackingNumber, carrier: 'dhl', status: 'received' });
    expect(found.json.items[0].receivedById).toBe(admin.userId);
    seeded.push({
      id: p.id,
      trackingNumber: p.trackingNumber,
      carrier: 'dhl',
      status: 'received',
      recipientId: null,
      recipientName: 'Pushed Person',
      sender: null,
      notes: null,
      locationId: null,
      receivedById: admin.userId,
      receivedAt: p.receivedAt,
    });
  });

  it('filters by status tab, carrier, recipient, department, location and operator; counts keep the other filters', async () => {
    for (const status of ['received', 'held', 'delivered', 'returned'] as const) {
      expectIds(
        (await list({ status, limit: 200 })).json.items,
        live().filter((p) => p.status === status),
      );
    }
    expectIds((await list({ status: 'all', limit: 200 })).json.items, live());
    expectIds(
      (await list({ carrier: 'FedEx', limit: 200 })).json.items,
      live().filter((p) => p.carrier === 'fedex'),
    );
    expectIds(
      (await list({ recipientId: ids.grace, limit: 200 })).json.items,
      live().filter((p) => p.recipientId === ids.grace),
    );
    const physics = live().filter((p) => p.recipientId === ids.ada || p.recipientId === ids.alan);
    expectIds((await list({ departmentId: ids.physics, limit: 200 })).json.items, physics);
    expectIds(
      (await list({ locationId: ids.desk, limit: 200 })).json.items,
      live().filter((p) => p.locationId === ids.desk),
    );
    expectIds(
      (await list({ receivedById: operatorId, limit: 200 })).json.items,
      live().filter((p) => p.receivedById === operatorId),
    );
    const both = await list({ carrier: 'ups', status: 'held', departmentId: ids.physics, limit: 200 });
    expectIds(
      both.json.items,
      physics.filter((p) => p.carrier === 'ups' && p.status === 'held'),
    );
    const upsPhysics = physics.filter((p) => p.carrier === 'ups');
    expect(both.json.counts.held).toBe(upsPhysics.filter((p) => p.status === 'held').length);
    expect(both.json.counts.all).toBe(upsPhysics.length);
  });

  it('filters open packages waiting more than N days', async () => {
    const res = await list({ waitingDays: 5, limit: 200 });
    const want = live().filter((p) => ['received', 'held'].includes(p.status) && Date.parse(p.receivedAt) < now - 5 * DAY);
    expect(want.length).toBeGreaterThan(2);
    expectIds(res.json.items, want);
    expect(res.json.items.every((p: { status: string }) => p.status === 'received' || p.status === 'held')).toBe(true);
  });

  it('reads dates of receipt as days in the facility’s time zone', async () => {
    const late = seeded.find((p) => p.sender === 'Grandma')!;
    expectIds((await list({ from: '2026-03-09', to: '2026-03-09' })).json.items, [late]);
    expect((await list({ from: '2026-03-10', to: '2026-03-10' })).json.items).toEqual([]);
    expectIds((await list({ to: '2026-03-09' })).json.items, [late]);
    const recent = new Date(now - 2 * DAY).toISOString().slice(0, 10);
    const res = await list({ from: recent, limit: 200 });
    expect(res.json.items.length).toBeGreaterThan(0);
    expect(res.json.items.some((p: { id: string }) => p.id === late.id)).toBe(false);
  });

  it('searches tracking numbers (also by the last digits), recipients by part of the name, senders and notes', async () => {
    const target = live()[10]!;
    const lastDigits = target.trackingNumber.slice(-5);
    const byDigits = await list({ q: lastDigits });
    expect(byDigits.json.items.map((p: { id: string }) => p.id)).toContain(target.id);
    expect(byDigits.json.items.every((p: { trackingNumber: string }) => p.trackingNumber.includes(lastDigits))).toBe(true);
    expectIds((await list({ q: '3344556677' })).json.items, [seeded.find((p) => p.sender === 'Grandma')!]);
    expectIds(
      (await list({ q: 'lovel', limit: 200 })).json.items,
      live().filter((p) => p.recipientName === 'Ada Lovelace'),
    );
    expectIds(
      (await list({ q: 'HOPP', limit: 200 })).json.items,
      live().filter((p) => p.recipientName === 'Grace Hopper'),
    );
    expectIds(
      (await list({ q: 'acme', limit: 200 })).json.items,
      live().filter((p) => p.sender === 'Acme Widgets'),
    );
    expectIds(
      (await list({ q: 'glass vase' })).json.items,
      live().filter((p) => p.notes === 'Fragile glass vase'),
    );
    // Two words: both must match (here, a name and a sender).
    expectIds(
      (await list({ q: 'ada acme', limit: 200 })).json.items,
      live().filter((p) => p.recipientName === 'Ada Lovelace' && p.sender === 'Acme Widgets'),
    );
    // LIKE wildcards are taken literally.
    expect((await list({ q: '%' })).json.items.map((p: { recipientName: string }) => p.recipientName)).toEqual(['Zoë O’Brien 100%_real']);
    expect((await list({ q: '_' })).json.items).toHaveLength(1);
    expect((await list({ q: 'nobody-has-this' })).json.items).toEqual([]);
    // Search and counts go together.
    const counted = await list({ q: 'turing' });
    expect(counted.json.counts.all).toBe(live().filter((p) => p.recipientName === 'Alan Turing').length);
  });

  it.for(['ada', 'turing', '784', 'acme ada', 'nobody-has-this'])(
    'answers a search’s first page and counts (one statement) as the separate page and count queries do: %s',
    async (q) => {
      for (const status of [undefined, 'received', 'held', 'delivered'] as const) {
        for (const sort of SORTS) {
          const filters = { q, status, timezone: 'UTC' };
          const order = parseSort(sort);
          const [one, page, counts] = await t.deps.db.withFacility(admin.facilityId, async (tx) => [
            await searchFirstPageWithCounts(tx, admin.facilityId, filters, order, 5),
            await listPackages(tx, admin.facilityId, filters, order, null, 5),
            await countPackagesByStatus(tx, admin.facilityId, filters),
          ]);
          expect(one, `${q} ${status} ${sort}`).toEqual({ ...page, counts });
        }
      }
    },
  );

  it.for([...SORTS])('sorts by %s; pages of 4 list every package once, in the order of one big page', async (sort) => {
    const whole = await list({ sort, limit: 200 });
    expect(whole.status).toBe(200);
    expect(whole.json.sort).toBe(sort);
    const paged = await allPages({ sort, limit: 4 });
    expect(paged.pages).toBe(Math.ceil(live().length / 4));
    expect(paged.items.map((p) => p.id)).toEqual(whole.json.items.map((p: { id: string }) => p.id));
    expect(new Set(paged.items.map((p) => p.id)).size).toBe(live().length);
    const key = sort.replace('-', '') as 'receivedAt' | 'carrier' | 'status';
    const desc = sort.startsWith('-');
    const values = whole.json.items.map((p: Record<string, string>) => p[key]);
    if (key === 'receivedAt' || key === 'carrier') {
      const sorted = [...values].sort();
      expect(values).toEqual(desc ? sorted.reverse() : sorted);
    }
    if (key === 'status') {
      const rank = values.map((s: string) => ['received', 'held', 'delivered', 'returned'].indexOf(s));
      const sorted = [...rank].sort((a, b) => a - b);
      expect(rank).toEqual(desc ? sorted.reverse() : sorted);
    }
  });

  it('pages a filtered, searched list without duplicates or gaps', async () => {
    const paged = await allPages({ q: 'a', status: 'received', sort: 'recipientName', limit: 3 });
    const want = live().filter(
      (p) => p.status === 'received' && /a/i.test(`${p.trackingNumber} ${p.recipientName} ${p.sender ?? ''} ${p.notes ?? ''}`),
    );
    expect(paged.items.map((p) => p.id)).toHaveLength(want.length);
    expectIds(paged.items, want);
  });

  it('refuses a cursor from another sort, another facility, or made up, with 400 invalid_cursor', async () => {
    const first = await list({ limit: 2 });
    const cursor = first.json.nextCursor as string;
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(cursor, 'base64url').toString()).not.toContain(admin.facilityId);
    expect((await list({ limit: 2, cursor })).status).toBe(200);
    const other = await list({ limit: 2, cursor, sort: 'carrier' });
    expect([other.status, other.json.error]).toEqual([400, 'invalid_cursor']);
    const b = await signUp(t);
    const foreign = await list({ cursor }, b.client);
    expect([foreign.status, foreign.json.error]).toEqual([400, 'invalid_cursor']);
    for (const junk of ['abc', Buffer.from('{"f":1}').toString('base64url'), Buffer.from('null').toString('base64url')]) {
      const res = await list({ cursor: junk });
      expect([res.status, res.json.error]).toEqual([400, 'invalid_cursor']);
    }
    // A cursor of the right facility and sort whose value is not a time is refused, not a 500.
    const forged = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const bad = Buffer.from(JSON.stringify({ ...forged, v: 'yesterday' })).toString('base64url');
    expect((await list({ limit: 2, cursor: bad })).status).toBe(400);
  });

  it('refuses junk filters with 400 invalid_input', async () => {
    const junk: Record<string, string | number>[] = [
      { status: 'lost' },
      { sort: 'trackingNumber' },
      { limit: 0 },
      { limit: 201 },
      { limit: 'many' },
      { recipientId: 'ada' },
      { from: '2026-02-30' },
      { from: '2026-03-10', to: '2026-03-09' },
      { waitingDays: -1 },
      { q: 'x'.repeat(101) },
    ];
    for (const query of junk) {
      const res = await list(query);
      expect([res.status, res.json?.error], JSON.stringify(query)).toEqual([400, 'invalid_input']);
    }
  });

  it('answers any query string with 200 or 400, never 500 (fuzzed)', async () => {
    const keys = [
      'status',
      'q',
      'carrier',
      'recipientId',
      'departmentId',
      'locationId',
      'receivedById',
      'waitingDays',
      'from',
      'to',
      'sort',
      'cursor',
      'limit',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(...keys),
          fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.string({ unit: 'binary', maxLength: 20 }),
            fc.integer().map(String),
            fc.constantFrom('', '%', "'", '\\', '0', '-1', 'all'),
          ),
        ),
        async (query) => {
          const res = await list(query);
          expect([200, 400], `${JSON.stringify(query)} → ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('searches only the facility of the transaction (the search function reads no other)', async () => {
    const count = (facilityId: string | null) => {
      const q = (tx: Parameters<Parameters<typeof t.deps.db.transaction>[0]>[0]) =>
        tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM package_search_rows('%')`);
      return (facilityId ? t.deps.db.withFacility(facilityId, q) : t.deps.db.transaction(q)).then((r) => r[0]!.n);
    };
    expect(await count(admin.facilityId)).toBe(live().length);
    expect(await count(null)).toBe(0);
    const other = await signUp(t);
    expect(await count(other.facilityId)).toBe(0);
  });

  it('is readable by every role, not without a session', async () => {
    const viewer = await joinAs(t, admin, 'viewer');
    const res = await list({}, viewer.client);
    expect(res.status).toBe(200);
    expect(res.json.counts.all).toBe(live().length);
    expect((await new TestClient(t).get('/api/packages')).status).toBe(401);
  });

  it('is in the OpenAPI document with its query', async () => {
    const doc = (await admin.client.get('/api/openapi.json')).json;
    const names = doc.paths['/api/packages'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['status', 'q', 'carrier', 'from', 'to', 'sort', 'cursor', 'limit', 'waitingDays']));
  });
});
