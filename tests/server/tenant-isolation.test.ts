// Tenancy (SPEC "Tenancy and roles"; privacy policy §4): every route the server registers is called
// with organization B's session and organization A's ids; each answers 403/404 or only B's own
// data, and nothing of A appears in any answer. A route missing from the table below fails the
// test, so a new route cannot ship without its isolation case. A direct SQL check proves the
// second wall: row-level security hides another facility's rows even from a query that forgets
// its WHERE clause.
import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/lib/domain/sync/protocol.ts';
import { LocalBlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { ORIGIN, TestClient, asOwner, signUp, startTestApp, type Res, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let A: Awaited<ReturnType<typeof signUp>>;
let B: Awaited<ReturnType<typeof signUp>>;
const secrets: string[] = []; // every identifier of A that must never reach B
let a: {
  facilityId: string;
  secondFacilityId: string;
  code: string;
  invitationToken: string;
  invitationId: string;
  packageId: string;
  trackingNumber: string;
  clientId: string;
  hash: string;
  signedUrl: string;
};

beforeAll(async () => {
  t = await startTestApp();
  A = await signUp(t);
  B = await signUp(t);
  const second = await A.client.post('/api/facilities', { name: 'A Second Desk' });
  const inv = await A.client.post('/api/invitations', {
    email: `a-mate-${randomUUID()}@example.test`,
    role: 'operator',
    facilityId: A.facilityId,
  });
  const device = new Device(A.client, A.facilityId);
  const p = receiveArgs({ recipientName: 'Alice Secret-Recipient', trackingNumber: 'ASECRET0000000001' });
  await device.push([mutation(1, 'package.receive', p)]);
  const img = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
    .jpeg()
    .toBuffer();
  const hash = createHash('sha256').update(img).digest('hex');
  await A.client.request('PUT', `/api/sync/blobs/${hash}`, new Uint8Array(img), { 'content-type': 'image/jpeg' });
  const facility = await A.client.get('/api/facility');
  a = {
    facilityId: A.facilityId,
    secondFacilityId: second.json.id,
    code: facility.json.code,
    invitationToken: inv.json.token,
    invitationId: inv.json.id,
    packageId: p.id,
    trackingNumber: p.trackingNumber,
    clientId: device.clientId,
    hash,
    signedUrl: await (t.deps.blobs as LocalBlobStorage).presignGet(`${A.facilityId}/${hash}.jpg`, 300),
  };
  secrets.push(
    a.facilityId,
    a.secondFacilityId,
    a.code,
    a.invitationId,
    a.packageId,
    a.trackingNumber,
    a.hash,
    A.userId,
    A.body.email,
    A.body.name,
    A.body.organizationName,
    A.body.facilityName,
    'Alice Secret-Recipient',
  );
});
afterAll(() => t?.close());

type Call = (b: TestClient) => Promise<Res | Res[]>;
const envelope = (clientId: string, facilityId: string) => ({ protocolVersion: 1, schemaVersion: SCHEMA_VERSION, facilityId, clientId });

/** Route → how B calls it with A's ids, and what it must answer. `own` routes answer B's own data. */
const TABLE: Record<string, { call: Call; expect: 'refused' | 'own' | 'public' }> = {
  'GET /api/health': { call: (b) => b.get('/api/health'), expect: 'public' },
  'GET /api/openapi.json': { call: (b) => b.get('/api/openapi.json'), expect: 'public' },
  'POST /api/auth/signup': { call: (b) => b.post('/api/auth/signup', { ...A.body, password: 'another password 1' }), expect: 'refused' },
  'POST /api/auth/login': {
    call: (b) => b.post('/api/auth/login', { email: A.body.email, password: 'B does not know it' }),
    expect: 'refused',
  },
  'POST /api/auth/logout': {
    // Logging out ends only the caller's own session (a second session of B, so B stays signed in here).
    call: async () => {
      const other = new TestClient(t);
      await other.post('/api/auth/login', { email: B.body.email, password: B.body.password });
      return other.post('/api/auth/logout', { sessionOf: A.userId });
    },
    expect: 'own',
  },
  'GET /api/me': { call: (b) => b.get('/api/me'), expect: 'own' },
  'POST /api/me/active-facility': { call: (b) => b.post('/api/me/active-facility', { facilityId: a.facilityId }), expect: 'refused' },
  'GET /api/facility': { call: (b) => b.get('/api/facility'), expect: 'own' },
  'POST /api/facilities': {
    call: (b) => b.post('/api/facilities', { name: 'B extra', organizationId: A.me.organizations[0].id }),
    expect: 'refused',
  },
  'GET /api/team': { call: (b) => b.get('/api/team'), expect: 'own' },
  'POST /api/invitations': {
    call: (b) => b.post('/api/invitations', { email: `x-${randomUUID()}@example.test`, role: 'admin', facilityId: a.facilityId }),
    expect: 'refused',
  },
  'GET /api/invitations': { call: (b) => b.get('/api/invitations'), expect: 'own' },
  'GET /api/invitations/:token': { call: (b) => b.get(`/api/invitations/${'x'.repeat(43)}`), expect: 'refused' },
  'POST /api/invitations/:token/accept': { call: (b) => b.post(`/api/invitations/${'y'.repeat(43)}/accept`, {}), expect: 'refused' },
  'POST /api/sync/push': {
    call: async (b) => [
      await b.post('/api/sync/push', {
        ...envelope(randomUUID(), a.facilityId),
        mutations: [mutation(1, 'package.hold', { id: a.packageId, note: 'x' })],
      }),
      await b.post('/api/sync/push', { ...envelope(a.clientId, B.facilityId), mutations: [mutation(2, 'package.receive', receiveArgs())] }),
    ],
    expect: 'refused',
  },
  'POST /api/sync/pull': {
    call: async (b) => [
      await b.post('/api/sync/pull', { ...envelope(randomUUID(), a.facilityId), cookie: null }),
      await b.post('/api/sync/pull', { ...envelope(a.clientId, B.facilityId), cookie: null }),
    ],
    expect: 'refused',
  },
  'PUT /api/sync/blobs/:sha256': {
    // Same bytes as A's upload would be a separate object under B; a wrong body must not touch A's.
    call: (b) =>
      b.request('PUT', `/api/sync/blobs/${a.hash}`, new Uint8Array(Buffer.from('not the bytes')), { 'content-type': 'image/jpeg' }),
    expect: 'refused',
  },
  'GET /api/sync/blobs/:sha256': {
    call: async (b) => [await b.get(`/api/sync/blobs/${a.hash}`), await b.request('HEAD', `/api/sync/blobs/${a.hash}`)],
    expect: 'refused',
  },
  'GET /api/blobs/local/:facilityId/:file': {
    // Without A's signature the object cannot be read, whoever asks.
    call: (b) => b.get(`/api/blobs/local/${a.facilityId}/${a.hash}.jpg?exp=${Math.floor(Date.now() / 1000) + 60}&sig=${'0'.repeat(64)}`),
    expect: 'refused',
  },
};

describe('tenant isolation', () => {
  it('covers every registered API route', () => {
    const registered = [
      ...new Set(t.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`)),
    ];
    const missing = registered.filter((r) => !TABLE[r]);
    expect(missing, `add these routes to the isolation table: ${missing.join(', ')}`).toEqual([]);
    expect(registered.length).toBeGreaterThanOrEqual(18);
  });

  it.each(Object.keys(TABLE))(
    '%s, called by another organization with the first one’s ids, refuses or answers only its own data',
    async (route) => {
      const { call, expect: kind } = TABLE[route]!;
      const responses = [await call(B.client)].flat();
      for (const res of responses) {
        if (kind === 'refused')
          expect([400, 401, 403, 404, 409, 429], `${route} → ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        else expect([200, 204], `${route} → ${res.status}`).toContain(res.status);
        for (const s of secrets) expect(res.text.includes(s), `${route} leaked ${s}`).toBe(false);
        for (const h of ['location']) expect(res.headers.get(h) ?? '').not.toContain(a.facilityId);
      }
    },
  );

  it('leaves A’s data untouched by everything B tried', async () => {
    const me = await A.client.get('/api/me');
    expect(me.json.activeFacilityId).toBe(a.facilityId);
    expect(me.json.memberships.map((m: { facilityId: string }) => m.facilityId).sort()).toEqual([a.facilityId, a.secondFacilityId].sort());
    const pkg = await t.deps.db.withFacility(a.facilityId, (tx) => tx.package.findUnique({ where: { id: a.packageId } }));
    expect(pkg?.status).toBe('received');
    const image = await t.app.request(new URL(a.signedUrl, ORIGIN).toString());
    expect(image.status).toBe(200);
    expect((await A.client.get('/api/invitations')).json.invitations.map((i: { id: string }) => i.id)).toContain(a.invitationId);
  });
});

describe('row-level security', () => {
  const FACILITY_OWNED = [
    'attachments',
    'departments',
    'integrations',
    'locations',
    'notifications',
    'package_events',
    'packages',
    'recipients',
    'stored_blobs',
    'sync_clients',
    'sync_rejections',
  ];

  it('is enabled on exactly the facility-owned tables (a new one without it fails here)', async () => {
    const rows = await asOwner(t, (c) =>
      c.query<{ table: string; rls: boolean }>(
        `SELECT c.relname AS table, c.relrowsecurity AS rls FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'facilityId')`,
      ),
    );
    const withFacility = rows.rows.map((r) => r.table).sort();
    // Account-level tables that name a facility but are read across facilities by the auth flows.
    const accountLevel = ['invitations', 'memberships', 'subscriptions'];
    expect(withFacility.filter((n) => !accountLevel.includes(n))).toEqual(FACILITY_OWNED);
    expect(
      rows.rows
        .filter((r) => r.rls)
        .map((r) => r.table)
        .sort(),
    ).toEqual(FACILITY_OWNED);
  });

  it('hides another facility’s rows from the app role, refuses writes into it, and shows nothing with no facility set', async () => {
    const bPackage = randomUUID();
    await asOwner(t, (c) =>
      c.query(
        `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", status, "receivedAt", version)
         VALUES ($1, $2, 'BOWN', 'ups', 'Bob', 'received', now(), 1)`,
        [bPackage, B.facilityId],
      ),
    );
    const c = await t.deps.db.pool.connect();
    try {
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe('ptp_app');
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.facility_id', $1, true)`, [a.facilityId]);
      const visible = await c.query<{ facilityId: string }>('SELECT "facilityId" FROM packages'); // no WHERE on purpose
      expect(visible.rows.length).toBeGreaterThan(0);
      expect(new Set(visible.rows.map((r) => r.facilityId))).toEqual(new Set([a.facilityId]));
      for (const table of FACILITY_OWNED) {
        const r = await c.query(`SELECT count(*)::int AS n FROM ${table} WHERE "facilityId" <> $1`, [a.facilityId]);
        expect(r.rows[0].n, table).toBe(0);
      }
      await expect(
        c.query(
          `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", status, "receivedAt", version)
           VALUES ($1, $2, 'SNEAK', 'ups', 'Eve', 'received', now(), 1)`,
          [randomUUID(), B.facilityId],
        ),
      ).rejects.toThrow(/row-level security/);
      await c.query('ROLLBACK');

      await c.query('BEGIN');
      const none = await c.query('SELECT count(*)::int AS n FROM packages');
      expect(none.rows[0].n).toBe(0);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
  });
});
