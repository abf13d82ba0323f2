// Tenancy (SPEC "Tenancy and roles"; privacy policy §4): every route the server registers is called
// with organization B's session and organization A's ids; each answers 403/404, or only B's own
// data, and nothing of A appears in any answer. A registered route missing from the table below
// fails the test, so a new route cannot ship without its isolation case. A direct SQL check proves
// the second wall: row-level security hides another facility's rows even from a query that forgets
// its WHERE clause, on exactly the facility-owned tables.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/lib/domain/sync/protocol.ts';
import { LocalBlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { ORIGIN, TestClient, asOwner, signUp, startTestApp, type Res, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';
import { writeBellRow, writeNotification } from './notification-rows.ts';
import { unsubscribeToken } from '../../sync-server/src/notifications/unsubscribe.ts';
import { startFakeAnthropic, type FakeAnthropic, type FakeReply } from './fake-anthropic.ts';

let t: TestApp;
let A: Awaited<ReturnType<typeof signUp>>;
let B: Awaited<ReturnType<typeof signUp>>;
let registered: Set<string>;
/** Every identifier of A that must never reach B. */
const secrets: string[] = [];
let a: {
  facilityId: string;
  secondFacilityId: string;
  organizationId: string;
  code: string;
  secondCode: string;
  invitationToken: string;
  invitationId: string;
  invitedEmail: string;
  packageId: string;
  trackingNumber: string;
  recipientId: string;
  clientId: string;
  cookie: string;
  /** A photo only A holds. */
  hash: string;
  /** A photo A holds whose bytes B also has (B uploads the same image). */
  sharedImage: Buffer;
  sharedHash: string;
  signedUrl: string;
  /** The key A's devices check pickup codes with. */
  pickupKey: string;
  /** A's failed email notification (with its rendered message) and A's own in-app one. */
  failedNotificationId: string;
  bellNotificationId: string;
};

const image = (background: string) =>
  sharp({ create: { width: 8, height: 8, channels: 3, background } })
    .jpeg()
    .toBuffer();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A's Slack webhook: a secret of A that only A's server-side sender ever reads. */
const A_SLACK_URL = 'https://hooks.slack.com/services/TASECRET/BASECRET/aSecretSlackWebhookToken';
const upload = (c: TestClient, bytes: Buffer) =>
  c.request('PUT', `/api/sync/blobs/${sha256(bytes)}`, new Uint8Array(bytes), { 'content-type': 'image/jpeg' });

beforeAll(async () => {
  t = await startTestApp();
  A = await signUp(t);
  B = await signUp(t, { password: 'B has its own password' });
  registered = new Set(
    t.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && r.path !== '/api/*').map((r) => `${r.method} ${r.path}`),
  );

  const second = await A.client.post('/api/facilities', { name: 'A Second Desk' });
  expect(second.status).toBe(201);
  const invitedEmail = `a-mate-${randomUUID()}@example.test`;
  const inv = await A.client.post('/api/invitations', { email: invitedEmail, role: 'operator', facilityId: A.facilityId });
  expect(inv.status).toBe(201);

  const device = new Device(A.client, A.facilityId);
  const recipientId = randomUUID();
  const p = receiveArgs({ recipientId, recipientName: 'Alice Secret-Recipient', trackingNumber: 'ASECRET0000000001' });
  const pushed = await device.push([
    mutation(1, 'recipient.upsert', { id: recipientId, name: 'Alice Secret-Recipient', email: 'alice.secret@a-only.test' }),
    mutation(2, 'package.receive', p),
  ]);
  expect(pushed.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
  const { cookie } = await device.pullAll();

  const only = await image('#c33');
  const shared = await image('#3c3');
  expect((await upload(A.client, only)).status).toBe(201);
  expect((await upload(A.client, shared)).status).toBe(201);
  const hash = sha256(only);

  const slack = await A.client.request('PUT', '/api/integrations/slack', { credentials: { webhookUrl: A_SLACK_URL } });
  expect(slack.status, slack.text).toBe(200);

  const facility = await A.client.get('/api/facility');
  a = {
    facilityId: A.facilityId,
    secondFacilityId: second.json.id,
    organizationId: facility.json.organizationId,
    code: facility.json.code,
    secondCode: second.json.code,
    invitationToken: inv.json.token,
    invitationId: inv.json.id,
    invitedEmail,
    packageId: p.id,
    trackingNumber: p.trackingNumber,
    recipientId,
    clientId: device.clientId,
    cookie,
    hash,
    sharedImage: shared,
    sharedHash: sha256(shared),
    signedUrl: await (t.deps.blobs as LocalBlobStorage).presignGet(`${A.facilityId}/${hash}.jpg`, 300),
    pickupKey: facility.json.pickupKey,
    failedNotificationId: await writeNotification(t, A.facilityId, {
      packageId: p.id,
      recipientId,
      kind: 'received',
      status: 'failed',
      to: 'alice.secret@a-only.test',
      error: 'Resend 422',
      subject: 'A package for Alice Secret-Recipient',
      bodyText: 'ASECRET0000000001 is here',
      bodyHtml: '<p>ASECRET0000000001 is here</p>',
    }),
    bellNotificationId: await writeBellRow(t, A.facilityId, A.userId, { packageId: p.id, recipientId }),
  };
  expect(a.pickupKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  secrets.push(
    a.facilityId,
    a.secondFacilityId,
    a.organizationId,
    a.code,
    a.secondCode,
    a.invitationToken,
    a.invitationId,
    a.invitedEmail,
    a.packageId,
    a.trackingNumber,
    a.recipientId,
    a.clientId,
    a.hash,
    a.pickupKey,
    a.failedNotificationId,
    a.bellNotificationId,
    A.userId,
    A.body.email,
    A.body.name,
    A.body.organizationName,
    A.body.facilityName,
    'A Second Desk',
    'Alice Secret-Recipient',
    'alice.secret@a-only.test',
    A_SLACK_URL,
    'aSecretSlackWebhookToken',
  );
});
afterAll(() => t?.close());

/** Asserts a response's status (and error code) and hands it back for the leak scan. */
function want(res: Res, statuses: number[], code?: string): Res {
  expect(statuses, `${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
  if (code) expect(res.json?.error).toBe(code);
  return res;
}
const REFUSED = [403, 404];

/** Runs `fn` with the server pointed at a Messages-API stand-in answering `reply` (the AI routes). */
async function withClaude(reply: (req: FakeAnthropic['requests'][number]) => FakeReply, fn: (fake: FakeAnthropic) => Promise<Res[]>) {
  const fake = await startFakeAnthropic();
  fake.reply(reply);
  Object.assign(t.deps.env, { ANTHROPIC_API_KEY: 'sk-ant-isolation', ANTHROPIC_BASE_URL: fake.url });
  try {
    return await fn(fake);
  } finally {
    Object.assign(t.deps.env, { ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined });
    await fake.close();
  }
}
const envelope = (clientId: string, facilityId: string) => ({ protocolVersion: 1, schemaVersion: SCHEMA_VERSION, facilityId, clientId });
const guessedToken = () => randomBytes(32).toString('base64url');
const memberFacilities = async (c: TestClient) =>
  ((await c.get('/api/me')).json.memberships as { facilityId: string }[]).map((m) => m.facilityId);

/**
 * Route → B calling it with A's ids. Each call asserts its answer and returns every response, which
 * the test then searches for every identifier of A. Entries of routes not (yet) registered are
 * skipped; registered routes without an entry fail "covers every registered API route".
 */
const TABLE: Record<string, (b: TestClient) => Promise<Res[]>> = {
  // Public routes.
  'GET /api/health': async (b) => {
    const res = want(await b.get('/api/health'), [200]);
    expect(res.json).toEqual({ ok: true, db: 'ok' });
    return [res];
  },
  'GET /api/openapi.json': async (b) => {
    const res = want(await b.get('/api/openapi.json'), [200]);
    expect(res.json.openapi).toMatch(/^3\./);
    return [res];
  },
  'POST /api/auth/signup': async (b) => {
    // A's email cannot be taken over by signing up again.
    const res = want(await b.post('/api/auth/signup', { ...A.body, password: 'another password 1' }), [409], 'email_taken');
    expect(res.setCookies).toEqual([]);
    return [res];
  },
  'POST /api/auth/login': async (b) => {
    const res = want(await b.post('/api/auth/login', { email: A.body.email, password: B.body.password }), [401], 'invalid_credentials');
    expect(res.setCookies).toEqual([]);
    return [res];
  },
  'POST /api/auth/logout': async () => {
    // Logging out ends only the caller's own session: a second session of B, naming A in the body.
    const other = new TestClient(t);
    want(await other.post('/api/auth/login', { email: B.body.email, password: B.body.password }), [200]);
    const res = want(await other.post('/api/auth/logout', { userId: A.userId, sessionOf: A.userId }), [204]);
    expect((await other.get('/api/me')).status).toBe(401);
    expect((await A.client.get('/api/me')).status).toBe(200);
    return [res];
  },
  'POST /api/auth/logout-all': async () => {
    // Ends only the caller's own sessions, whoever the body names: a third account (B's own session
    // serves the rest of this table).
    const c = await signUp(t);
    const res = want(await c.client.post('/api/auth/logout-all', { userId: A.userId }), [204]);
    expect((await c.client.get('/api/me')).status).toBe(401);
    expect((await A.client.get('/api/me')).status).toBe(200);
    return [res];
  },
  'POST /api/auth/password-reset': async (b) => {
    // Asking for A's reset answers exactly what an unknown address gets; the link goes to A only.
    const before = t.mailer.sent.length;
    const res = want(await b.post('/api/auth/password-reset', { email: A.body.email }), [202]);
    const ghost = want(await b.post('/api/auth/password-reset', { email: `ghost-${randomUUID()}@example.test` }), [202]);
    expect(res.text).toBe(ghost.text);
    expect(t.mailer.sent.slice(before).map((m) => m.to)).toEqual([A.body.email]);
    return [res, ghost];
  },
  'POST /api/auth/password-reset/:token': async (b) => {
    const responses = [
      want(await b.post(`/api/auth/password-reset/${guessedToken()}`, { password: 'B wants A’s account' }), [400], 'invalid_token'),
      // Another kind of A's token is not a reset token.
      want(await b.post(`/api/auth/password-reset/${a.invitationToken}`, { password: 'B wants A’s account' }), [400], 'invalid_token'),
    ];
    expect((await new TestClient(t).post('/api/auth/login', { email: A.body.email, password: A.body.password })).status).toBe(200);
    return responses;
  },
  'GET /api/invitations/:token': async (b) => [
    want(await b.get(`/api/invitations/${guessedToken()}`), [404], 'not_found'),
    // The invitation id is not its token.
    want(await b.get(`/api/invitations/${a.invitationId}`), [404], 'not_found'),
  ],
  'POST /api/invitations/:token/accept': async (b) => {
    const responses = [
      want(await b.post(`/api/invitations/${guessedToken()}/accept`, {}), [404], 'not_found'),
      want(await b.post(`/api/invitations/${a.invitationId}/accept`, {}), [404], 'not_found'),
      // Even holding A's real token (a forwarded link), B's account is not the invited address.
      want(await b.post(`/api/invitations/${a.invitationToken}/accept`, {}), REFUSED),
    ];
    expect(await memberFacilities(b)).not.toContain(a.facilityId);
    return responses;
  },

  // B's own scope: answers B's data only.
  'GET /api/me': async (b) => {
    const res = want(await b.get('/api/me'), [200]);
    expect(res.json.user.id).toBe(B.userId);
    expect(res.json.activeFacilityId).toBe(B.facilityId);
    const orgs = res.json.organizations.map((o: { id: string }) => o.id);
    expect(orgs).toEqual([B.me.organizations[0].id]);
    return [res];
  },
  'POST /api/me/active-facility': async (b) => {
    const responses = [
      want(await b.post('/api/me/active-facility', { facilityId: a.facilityId }), [404], 'not_found'),
      want(await b.post('/api/me/active-facility', { facilityId: a.secondFacilityId }), [404], 'not_found'),
    ];
    expect((await b.get('/api/me')).json.activeFacilityId).toBe(B.facilityId);
    return responses;
  },
  'POST /api/me/password': async (b) => {
    // The password checked is the caller's own: A's password does not pass, and no id in the body
    // can point the change at A.
    const responses = [
      want(
        await b.post('/api/me/password', { currentPassword: A.body.password, newPassword: 'B takes over A' }),
        [401],
        'invalid_credentials',
      ),
      want(
        await b.post('/api/me/password', { currentPassword: B.body.password, newPassword: 'B takes over A', userId: A.userId }),
        [400],
        'invalid_input',
      ),
    ];
    expect((await new TestClient(t).post('/api/auth/login', { email: A.body.email, password: A.body.password })).status).toBe(200);
    expect((await b.get('/api/me')).status).toBe(200);
    return responses;
  },
  'PATCH /api/me': async (b) => {
    // Only the caller's own profile changes, whatever the body names; A's address stays A's.
    const responses = [
      want(await b.request('PATCH', '/api/me', { name: 'B renamed', userId: A.userId }), [400], 'invalid_input'),
      want(await b.request('PATCH', '/api/me', { email: A.body.email, currentPassword: B.body.password }), [409], 'email_taken'),
      want(await b.request('PATCH', '/api/me', { email: A.body.email, currentPassword: A.body.password }), [403], 'invalid_credentials'),
    ];
    expect((await A.client.get('/api/me')).json.user).toMatchObject({ name: A.body.name, email: A.body.email });
    return responses;
  },
  'GET /api/me/export': async (b) => {
    const res = want(await b.get('/api/me/export'), [200]);
    expect(res.json.profile.id).toBe(B.userId);
    const csv = want(await b.get('/api/me/export?format=csv'), [200]);
    return [res, csv, want(await b.get(`/api/me/export?userId=${A.userId}`), [400], 'invalid_input')];
  },
  'DELETE /api/me': async (b) => {
    // A's password deletes nothing; B (an owner) cannot delete itself before handing over.
    const responses = [
      want(await b.request('DELETE', '/api/me', { password: A.body.password }), [403], 'invalid_credentials'),
      want(await b.request('DELETE', '/api/me', { password: B.body.password }), [409], 'owner_must_transfer'),
      want(await b.request('DELETE', '/api/me', { password: B.body.password, userId: A.userId }), [400], 'invalid_input'),
    ];
    expect((await new TestClient(t).post('/api/auth/login', { email: A.body.email, password: A.body.password })).status).toBe(200);
    expect((await b.get('/api/me')).status).toBe(200);
    return responses;
  },
  'POST /api/organization/transfer': async (b) => {
    // B cannot hand its organization to A (not its admin), and nothing moves A's organization.
    const res = want(await b.post('/api/organization/transfer', { userId: A.userId }), [409], 'not_an_admin');
    expect((await A.client.get('/api/me')).json.organizations[0]).toMatchObject({ id: a.organizationId, isOwner: true });
    expect((await b.get('/api/me')).json.organizations[0].isOwner).toBe(true);
    return [res];
  },
  'GET /api/reports': async (b) => {
    // B's numbers only: A's received package, carrier and operator never show.
    const today = new Date().toISOString().slice(0, 10);
    const res = want(await b.get(`/api/reports?from=${today}&to=${today}`), [200]);
    expect(res.json.byCarrier).toEqual([]);
    expect(res.json.operators).toEqual([]);
    return [res, want(await b.get(`/api/reports?from=${today}&to=${today}&facilityId=${a.facilityId}`), [400], 'invalid_input')];
  },
  'GET /api/facility': async (b) => {
    const res = want(await b.get('/api/facility'), [200]);
    expect(res.json.id).toBe(B.facilityId);
    expect(res.json.organizationName).toBe(B.body.organizationName);
    expect(res.json.pickupKey).not.toBe(a.pickupKey);
    return [res];
  },
  'PATCH /api/facility': async (b) => {
    // Only the active facility changes; a body cannot name another one.
    const named = want(await b.request('PATCH', '/api/facility', { id: a.facilityId, photoRetentionDays: 8 }), [400], 'invalid_input');
    const res = want(await b.request('PATCH', '/api/facility', { photoRetentionDays: 9, name: 'B renamed desk' }), [200]);
    expect(res.json.id).toBe(B.facilityId);
    const aRow = await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: a.facilityId } });
    expect([aRow.photoRetentionDays, aRow.name]).toEqual([90, A.body.facilityName]);
    return [named, res];
  },
  'POST /api/facilities': async (b) => {
    // There is no way to name another organization: the field is refused, and a plain create lands in B's.
    const named = want(await b.post('/api/facilities', { name: 'B sneaks', organizationId: a.organizationId }), [400], 'invalid_input');
    const res = want(await b.post('/api/facilities', { name: 'B extra desk' }), [201]);
    const row = await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(row.organizationId).toBe(B.me.organizations[0].id);
    expect(await t.deps.db.prisma.facility.count({ where: { organizationId: a.organizationId } })).toBe(2);
    return [named, res];
  },
  'GET /api/team': async (b) => {
    const res = want(await b.get('/api/team'), [200]);
    expect(res.json.members.map((m: { userId: string }) => m.userId)).toEqual([B.userId]);
    return [res];
  },
  'GET /api/facility/members': async (b) => {
    const res = want(await b.get('/api/facility/members'), [200]);
    expect(res.json.members).toEqual([{ userId: B.userId, name: B.body.name, role: 'admin' }]);
    const junk = want(await b.get(`/api/facility/members?facilityId=${a.facilityId}`), [400], 'invalid_input');
    return [res, junk];
  },
  'POST /api/invitations': async (b) => {
    const email = `b-sneaks-${randomUUID()}@example.test`;
    const responses = [
      want(await b.post('/api/invitations', { email, role: 'admin', facilityId: a.facilityId }), [404], 'not_found'),
      want(await b.post('/api/invitations', { email, role: 'viewer', facilityId: a.secondFacilityId }), [404], 'not_found'),
    ];
    expect(t.mailer.sent.filter((m) => m.to === email)).toEqual([]);
    expect(await t.deps.db.prisma.invitation.count({ where: { email } })).toBe(0);
    return responses;
  },
  'GET /api/invitations': async (b) => {
    const res = want(await b.get('/api/invitations'), [200]);
    expect(res.json.invitations).toEqual([]);
    return [res];
  },
  'PATCH /api/team/:userId': async (b) => {
    // A's admin is no member of B's facility: not found, and A's membership is untouched.
    const responses = [
      want(await b.request('PATCH', `/api/team/${A.userId}`, { role: 'viewer' }), [404], 'not_found'),
      want(await b.request('PATCH', `/api/team/${A.userId}`, { role: 'viewer', facilityId: a.facilityId }), [400], 'invalid_input'),
    ];
    expect((await t.deps.db.prisma.membership.findFirstOrThrow({ where: { userId: A.userId, facilityId: a.facilityId } })).role).toBe(
      'admin',
    );
    return responses;
  },
  'DELETE /api/team/:userId': async (b) => {
    const res = want(await b.request('DELETE', `/api/team/${A.userId}`), [404], 'not_found');
    expect(await t.deps.db.prisma.membership.count({ where: { userId: A.userId } })).toBe(2);
    expect((await A.client.get('/api/facility')).status).toBe(200);
    return [res];
  },
  'POST /api/invitations/:id/resend': async (b) => {
    const before = t.mailer.sent.filter((m) => m.to === a.invitedEmail).length;
    const res = want(await b.post(`/api/invitations/${a.invitationId}/resend`), [404], 'not_found');
    expect(t.mailer.sent.filter((m) => m.to === a.invitedEmail)).toHaveLength(before);
    expect((await new TestClient(t).get(`/api/invitations/${a.invitationToken}`)).status).toBe(200);
    return [res];
  },
  'DELETE /api/invitations/:id': async (b) => {
    const res = want(await b.request('DELETE', `/api/invitations/${a.invitationId}`), [404], 'not_found');
    expect(await t.deps.db.prisma.invitation.count({ where: { id: a.invitationId } })).toBe(1);
    return [res];
  },
  'GET /api/organization': async (b) => {
    const res = want(await b.get('/api/organization'), [200]);
    expect(res.json.id).toBe(B.me.organizations[0].id);
    expect(res.json.facilities.map((f: { id: string }) => f.id)).not.toContain(a.facilityId);
    return [res];
  },
  'PATCH /api/organization': async (b) => {
    const named = want(await b.request('PATCH', '/api/organization', { name: 'B takes A', id: a.organizationId }), [400], 'invalid_input');
    const res = want(await b.request('PATCH', '/api/organization', { name: 'B renamed org' }), [200]);
    expect(res.json.id).toBe(B.me.organizations[0].id);
    expect((await t.deps.db.prisma.organization.findUniqueOrThrow({ where: { id: a.organizationId } })).name).toBe(A.body.organizationName);
    return [named, res];
  },
  'POST /api/facilities/:id/deactivate': async (b) => {
    const responses = [
      want(await b.post(`/api/facilities/${a.facilityId}/deactivate`), [404], 'not_found'),
      want(await b.post(`/api/facilities/${a.secondFacilityId}/deactivate`), [404], 'not_found'),
    ];
    expect((await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: a.facilityId } })).active).toBe(true);
    return responses;
  },
  'POST /api/facilities/:id/reactivate': async (b) => {
    await t.deps.db.prisma.facility.update({ where: { id: a.secondFacilityId }, data: { active: false } });
    try {
      const res = want(await b.post(`/api/facilities/${a.secondFacilityId}/reactivate`), [404], 'not_found');
      expect((await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: a.secondFacilityId } })).active).toBe(false);
      return [res];
    } finally {
      await t.deps.db.prisma.facility.update({ where: { id: a.secondFacilityId }, data: { active: true } });
    }
  },

  // Sync.
  'POST /api/sync/push': async (b) => {
    const responses = [
      // A's facility in the envelope: refused before anything is read.
      want(
        await b.post('/api/sync/push', {
          ...envelope(randomUUID(), a.facilityId),
          mutations: [mutation(1, 'package.hold', { id: a.packageId, note: 'x' })],
        }),
        [409],
        'facility_mismatch',
      ),
      // A's device id in B's facility.
      want(
        await b.post('/api/sync/push', {
          ...envelope(a.clientId, B.facilityId),
          mutations: [mutation(3, 'package.receive', receiveArgs())],
        }),
        [403],
        'client_mismatch',
      ),
    ];
    // A's package and recipient ids in B's own facility: rejected, nothing of A touched or copied.
    const own = want(
      await b.post('/api/sync/push', {
        ...envelope(randomUUID(), B.facilityId),
        mutations: [
          mutation(1, 'package.hold', { id: a.packageId, note: 'mine now' }),
          mutation(2, 'package.deliver', { id: a.packageId, deliveredTo: 'Eve', at: new Date().toISOString() }),
          mutation(3, 'package.receive', receiveArgs({ id: a.packageId })),
          mutation(4, 'recipient.upsert', { id: a.recipientId, name: 'Overwritten' }),
          mutation(5, 'recipient.delete', { id: a.recipientId }),
        ],
      }),
      [200],
    );
    expect(own.json.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    return [...responses, own];
  },
  'POST /api/sync/pull': async (b) => {
    const responses = [
      want(await b.post('/api/sync/pull', { ...envelope(randomUUID(), a.facilityId), cookie: null }), [409], 'facility_mismatch'),
      want(await b.post('/api/sync/pull', { ...envelope(a.clientId, B.facilityId), cookie: null }), [403], 'client_mismatch'),
    ];
    // B's own full snapshot, and a pull with A's cookie, carry none of A's rows (the leak scan).
    const fresh = want(await b.post('/api/sync/pull', { ...envelope(randomUUID(), B.facilityId), cookie: null }), [200]);
    const withACookie = want(await b.post('/api/sync/pull', { ...envelope(randomUUID(), B.facilityId), cookie: a.cookie }), [200]);
    return [...responses, fresh, withACookie];
  },
  'PUT /api/sync/blobs/:sha256': async (b) => {
    // B uploads bytes A also holds: stored anew under B (not "already stored", which would tell B
    // that another facility has this photo), and A's object is not touched.
    const res = want(await upload(b, a.sharedImage), [201]);
    expect(res.json.alreadyStored).toBe(false);
    const stored = await asOwner(t, (c) =>
      c.query<{ facilityId: string; storageKey: string }>(`SELECT "facilityId"::text, "storageKey" FROM stored_blobs WHERE hash = $1`, [
        a.sharedHash,
      ]),
    );
    expect(stored.rows.map((r) => [r.facilityId, r.storageKey]).sort()).toEqual(
      [
        [a.facilityId, `${a.facilityId}/${a.sharedHash}.jpg`],
        [B.facilityId, `${B.facilityId}/${a.sharedHash}.jpg`],
      ].sort(),
    );
    return [res];
  },
  'GET /api/sync/blobs/:sha256': async (b) => {
    const get = want(await b.get(`/api/sync/blobs/${a.hash}`), [404], 'not_found');
    const head = want(await b.request('HEAD', `/api/sync/blobs/${a.hash}`), [404]);
    expect(get.headers.get('location')).toBeNull();
    return [get, head];
  },
  'POST /api/directory/import': async (b) => {
    // A file naming A's recipient by email lands in B's own directory as B's own row: A's recipient
    // is neither matched, changed nor shown.
    const csv = `Type,Name,Email\nrecipient,Overwritten,alice.secret@a-only.test\n`;
    const send = (q: string) =>
      b.request('POST', `/api/directory/import?${q}`, new TextEncoder().encode(csv), { 'content-type': 'text/csv' });
    const dry = want(await send('dryRun=true'), [200]);
    expect(dry.json).toMatchObject({ created: 1, updated: 0 });
    const real = want(await send('dryRun=false'), [200]);
    const mine = await t.deps.db.withFacility(B.facilityId, (tx) =>
      tx.recipient.findMany({ where: { email: 'alice.secret@a-only.test' } }),
    );
    expect(mine.map((r) => r.facilityId)).toEqual([B.facilityId]);
    expect(mine[0]!.id).not.toBe(a.recipientId);
    return [dry, real];
  },
  'GET /api/directory/export.csv': async (b) => {
    const res = want(await b.get('/api/directory/export.csv'), [200]);
    expect(res.text).toContain(B.body.email);
    // B's own copy of the address (from the import case) may appear; nothing else of A.
    return [{ ...res, text: res.text.replaceAll('alice.secret@a-only.test', '') }];
  },
  'GET /api/directory/template.csv': async (b) => [want(await b.get('/api/directory/template.csv'), [200])],
  'GET /api/packages': async (b) => {
    // B's table holds B's packages only, whatever filter names A's rows; A's cursor is refused.
    const own = want(await b.get('/api/packages?status=all&limit=200'), [200]);
    expect(own.json.items.map((p: { id: string }) => p.id)).not.toContain(a.packageId);
    const named = [
      want(await b.get(`/api/packages?recipientId=${a.recipientId}`), [200]),
      want(await b.get(`/api/packages?q=${encodeURIComponent('Alice Secret')}`), [200]),
    ];
    for (const r of named) expect([r.json.items, r.json.counts.all]).toEqual([[], 0]);
    const aPage = await A.client.get('/api/packages?limit=1');
    expect(aPage.status).toBe(200);
    const cursors = [
      aPage.json.nextCursor ?? Buffer.from(JSON.stringify({ f: 'x', s: '-receivedAt', v: '', i: a.packageId })).toString('base64url'),
    ];
    const replay = want(await b.get(`/api/packages?cursor=${cursors[0]}`), [400], 'invalid_cursor');
    return [own, ...named, replay];
  },
  'POST /api/ai/label': async (b) =>
    withClaude(
      // A model that read A's recipient's name off a label: B's candidates are B's only.
      () => ({
        tool: { carrier: 'UPS', trackingNumber: a.trackingNumber, recipientName: 'Alice Secret-Recipient', sender: null, confidence: 0.9 },
      }),
      async () => {
        const png = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#fff' } })
          .png()
          .toBuffer();
        const res = want(await b.request('POST', '/api/ai/label', new Uint8Array(png), { 'content-type': 'image/png' }), [200]);
        expect(res.json.candidates.map((c: { recipientId: string }) => c.recipientId)).not.toContain(a.recipientId);
        // The fields repeat what the model read (the label's own text); the candidates are scanned for leaks.
        return [{ ...res, text: JSON.stringify(res.json.candidates) }];
      },
    ),
  'POST /api/ai/match': async (b) =>
    withClaude(
      () => ({ tool: { candidate: 'c1', confidence: 1 } }),
      async (fake) => {
        // A's recipient is no candidate of B's: nothing goes to Claude, nothing comes back.
        const res = want(await b.post('/api/ai/match', { name: 'Alice Secret-Recipient', candidateIds: [a.recipientId] }), [200]);
        expect(res.json).toEqual({ recipientId: null, confidence: 0 });
        expect(fake.requests).toHaveLength(0);
        return [res];
      },
    ),
  'POST /api/ai/search': async (b) =>
    withClaude(
      (req) =>
        JSON.parse(req.body.messages[0].content[0].text).question === 'ids'
          ? { tool: { status: 'all', recipientId: a.recipientId } }
          : { tool: { status: 'all', recipientName: 'Alice Secret-Recipient' } },
      async () => {
        const named = want(await b.post('/api/ai/search', { q: 'packages for Alice Secret-Recipient' }), [200]);
        expect(named.json.items).toEqual([]);
        expect(named.json.filter.recipientId).toBeUndefined();
        // A model answer naming A's recipient id is refused, not run.
        const byId = want(await b.post('/api/ai/search', { q: 'ids' }), [503], 'ai_unavailable');
        return [{ ...named, text: JSON.stringify(named.json.items) }, byId];
      },
    ),
  'POST /api/packages/remind': async (b) => {
    // A's package ids are not B's: nothing is reminded, and the answer is the same as for unknown ids.
    const res = want(await b.post('/api/packages/remind', { packageIds: [a.packageId, a.recipientId] }), [200]);
    expect(res.json).toEqual({
      reminded: 0,
      skipped: [
        { packageId: a.packageId, reason: 'not_found' },
        { packageId: a.recipientId, reason: 'not_found' },
      ],
    });
    const reminders = await t.deps.db.withFacility(a.facilityId, (tx) =>
      tx.notification.count({ where: { facilityId: a.facilityId, kind: 'reminder' } }),
    );
    expect(reminders).toBe(0);
    // The answer echoes the ids B sent (and nothing else of A's): those are left out of the leak scan.
    const echoed = { ...res, text: res.text.replaceAll(a.packageId, '').replaceAll(a.recipientId, '') };
    return [echoed, want(await b.post('/api/packages/remind', { packageIds: 'junk' }), [400], 'invalid_input')];
  },
  'GET /api/packages/:id': async (b) => [
    want(await b.get(`/api/packages/${a.packageId}`), [404], 'not_found'),
    want(await b.get(`/api/packages/${a.packageId.toUpperCase()}`), [404], 'not_found'),
    want(await b.get(`/api/packages/${a.recipientId}`), [404], 'not_found'),
    want(await b.get('/api/packages/not-a-package'), [400], 'invalid_input'),
  ],
  'GET /api/packages/:id/custody': async (b) => [
    want(await b.get(`/api/packages/${a.packageId}/custody`), [404], 'not_found'),
    want(await b.get(`/api/packages/${a.packageId.toUpperCase()}/custody`), [404], 'not_found'),
    want(await b.get('/api/packages/not-a-package/custody'), [400], 'invalid_input'),
  ],
  'GET /api/exports/packages.csv': async (b) => {
    // B's export of the days A received in holds only B's own packages; no parameter names a facility.
    const today = new Date().toISOString().slice(0, 10);
    const range = `from=${new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)}&to=${today}`;
    const res = want(await b.get(`/api/exports/packages.csv?${range}`), [200]);
    expect(res.text).toMatch(/^id,trackingNumber,/);
    expect(res.headers.get('content-disposition')).not.toContain(a.code);
    const named = want(await b.get(`/api/exports/packages.csv?${range}&facilityId=${a.facilityId}`), [200]);
    const head = want(await b.request('HEAD', `/api/exports/packages.csv?${range}`), [200]);
    expect(head.headers.get('x-total-rows')).toBe(res.headers.get('x-total-rows'));
    return [res, named, { ...head, text: `${head.headers.get('content-disposition')} ${head.headers.get('x-total-rows')}` }];
  },
  'GET /api/activity': async (b) => {
    const res = want(await b.get('/api/activity'), [200]);
    expect(res.json.items.every((i: { actorId: string | null }) => i.actorId !== A.userId)).toBe(true);
    // A's invitation is in A's log (an audit entry), never in B's.
    expect(res.json.items.some((i: { subject: { id: string } | null }) => i.subject?.id === a.invitationId)).toBe(false);
    // Naming A's people or A's facility finds nothing of A.
    const byA = want(await b.get(`/api/activity?actorId=${A.userId}`), [200]);
    expect(byA.json).toEqual({ items: [], nextCursor: null });
    const named = want(await b.get(`/api/activity?facilityId=${a.facilityId}`), [200]);
    return [res, byA, named];
  },
  'GET /api/integrations': async (b) => {
    const res = want(await b.get('/api/integrations'), [200]);
    expect(res.json.items.every((i: { connected: boolean }) => !i.connected)).toBe(true);
    return [res];
  },
  'PUT /api/integrations/:kind': async (b) => {
    const own = want(
      await b.request('PUT', '/api/integrations/slack', {
        credentials: { webhookUrl: 'https://hooks.slack.com/services/TB/BB/bOwnWebhook' },
      }),
      [200],
    );
    expect(own.json.hint).toBe('hook');
    const slackOfA = async () => (await A.client.get('/api/integrations')).json.items.find((i: { kind: string }) => i.kind === 'slack');
    expect(await slackOfA()).toMatchObject({ connected: true, hint: A_SLACK_URL.slice(-4) });
    const gone = want(await b.request('DELETE', '/api/integrations/slack'), [204]);
    expect(await slackOfA()).toMatchObject({ connected: true });
    return [own, gone];
  },
  'POST /api/integrations/:kind/test': async (b) => {
    const res = want(await b.post('/api/integrations/slack/test', {}), [404], 'not_found');
    return [res];
  },
  'DELETE /api/integrations/:kind': async (b) => {
    const res = want(await b.request('DELETE', '/api/integrations/slack'), [404], 'not_found');
    expect((await A.client.get('/api/integrations')).json.items.find((i: { kind: string }) => i.kind === 'slack').connected).toBe(true);
    return [res];
  },
  'GET /api/notifications': async (b) => {
    const res = want(await b.get('/api/notifications'), [200]);
    expect(res.json.items.map((i: { id: string }) => i.id)).not.toContain(a.failedNotificationId);
    const filtered = want(await b.get('/api/notifications?status=failed'), [200]);
    expect(filtered.json).toEqual({ items: [], nextCursor: null });
    return [res, filtered, want(await b.get(`/api/notifications?facilityId=${a.facilityId}`), [400], 'invalid_input')];
  },
  'GET /api/notifications/:id': async (b) => [
    want(await b.get(`/api/notifications/${a.failedNotificationId}`), [404], 'not_found'),
    want(await b.get(`/api/notifications/${a.bellNotificationId}`), [404], 'not_found'),
  ],
  'GET /api/notifications/:id/html': async (b) => [
    want(await b.get(`/api/notifications/${a.failedNotificationId}/html`), [404], 'not_found'),
  ],
  'POST /api/notifications/:id/resend': async (b) => {
    const res = want(await b.post(`/api/notifications/${a.failedNotificationId}/resend`), [404], 'not_found');
    const row = await t.deps.db.withFacility(a.facilityId, (tx) =>
      tx.notification.findUniqueOrThrow({ where: { id: a.failedNotificationId } }),
    );
    expect(row.status).toBe('failed');
    return [res];
  },
  'GET /api/me/notifications': async (b) => {
    const res = want(await b.get('/api/me/notifications'), [200]);
    expect(res.json).toEqual({ items: [], unread: 0 });
    return [res];
  },
  'POST /api/me/notifications/read': async (b) => {
    const res = want(await b.post('/api/me/notifications/read', { ids: [a.bellNotificationId] }), [200]);
    const all = want(await b.post('/api/me/notifications/read', { all: true }), [200]);
    expect((await A.client.get('/api/me/notifications')).json.unread).toBe(1);
    return [res, all];
  },
  'GET /api/me/recipients': async (b) => {
    const res = want(await b.get('/api/me/recipients'), [200]);
    expect(res.json.entries).toEqual([]);
    return [res];
  },
  'PATCH /api/me/recipients': async (b) => {
    const responses = [
      want(
        await b.request('PATCH', '/api/me/recipients', { facilityId: a.facilityId, recipientId: a.recipientId, notifyEmail: false }),
        [404],
        'not_found',
      ),
      want(
        await b.request('PATCH', '/api/me/recipients', { facilityId: B.facilityId, recipientId: a.recipientId, notifyEmail: false }),
        [404],
        'not_found',
      ),
    ];
    const row = await t.deps.db.withFacility(a.facilityId, (tx) => tx.recipient.findUniqueOrThrow({ where: { id: a.recipientId } }));
    expect(row.notifyEmail).toBe(true);
    return responses;
  },
  'GET /api/unsubscribe/:token': async (b) => [
    // A's recipient under B's facility is no token the server signed; a made-up one neither.
    want(
      await b.get(
        `/api/unsubscribe/${unsubscribeToken(t.deps.env.APP_SECRET, { facilityId: B.facilityId, recipientId: a.recipientId, channel: 'email' }).replace(/.$/, '')}x`,
      ),
      [404],
      'not_found',
    ),
    want(await b.get(`/api/unsubscribe/${guessedToken()}`), [404], 'not_found'),
  ],
  'POST /api/unsubscribe/:token': async (b) => {
    const responses = [
      want(
        await b.post(
          `/api/unsubscribe/${unsubscribeToken(t.deps.env.APP_SECRET, { facilityId: B.facilityId, recipientId: a.recipientId, channel: 'email' })}`,
        ),
        [404],
        'not_found',
      ),
      want(await b.post(`/api/unsubscribe/${guessedToken()}.${guessedToken()}`), [404], 'not_found'),
    ];
    const row = await t.deps.db.withFacility(a.facilityId, (tx) => tx.recipient.findUniqueOrThrow({ where: { id: a.recipientId } }));
    expect(row.notifyEmail).toBe(true);
    return responses;
  },
  'GET /api/blobs/local/:facilityId/:file': async (b) => {
    // A forged signature, and B's own valid signature moved onto A's object, both fail.
    const forged = want(
      await b.get(`/api/blobs/local/${a.facilityId}/${a.hash}.jpg?exp=${Math.floor(Date.now() / 1000) + 60}&sig=${'0'.repeat(64)}`),
      [403],
      'invalid_signature',
    );
    const bUrl = await (t.deps.blobs as LocalBlobStorage).presignGet(`${B.facilityId}/${a.hash}.jpg`, 60);
    const moved = want(await b.get(bUrl.replace(B.facilityId, a.facilityId)), [403], 'invalid_signature');
    const own = want(await b.get(bUrl), [404]); // B never stored this photo
    return [forged, moved, own];
  },
};

describe('tenant isolation', () => {
  it('covers every registered API route', () => {
    const missing = [...registered].filter((r) => !TABLE[r]);
    expect(missing, `add these routes to the isolation table: ${missing.join(', ')}`).toEqual([]);
    // The enumeration itself works (catches a Hono change that would make this test vacuous).
    expect([...registered]).toEqual(expect.arrayContaining(['GET /api/me', 'POST /api/invitations', 'GET /api/facility']));
    expect(registered.size).toBeGreaterThanOrEqual(15);
  });

  it.for(Object.keys(TABLE))(
    '%s, called by another organization with the first one’s ids, refuses or answers only its own data',
    async (route, ctx) => {
      if (!registered.has(route)) ctx.skip();
      const responses = await TABLE[route]!(B.client);
      expect(responses.length).toBeGreaterThan(0);
      for (const res of responses) {
        const seen = `${res.text}\n${res.headers.get('location') ?? ''}\n${res.setCookies.join('\n')}`;
        for (const s of secrets) expect(seen.includes(s), `${route} → ${res.status} leaked ${s}`).toBe(false);
      }
    },
  );

  it('leaves A’s data untouched by everything B tried', async () => {
    const me = await A.client.get('/api/me');
    expect(me.json.activeFacilityId).toBe(a.facilityId);
    expect(me.json.memberships.map((m: { facilityId: string }) => m.facilityId).sort()).toEqual([a.facilityId, a.secondFacilityId].sort());
    expect(((await A.client.get('/api/team')).json.members as { userId: string }[]).map((m) => m.userId)).toEqual([A.userId]);
    const [pkg, recipient] = await t.deps.db.withFacility(a.facilityId, (tx) =>
      Promise.all([tx.package.findUnique({ where: { id: a.packageId } }), tx.recipient.findUnique({ where: { id: a.recipientId } })]),
    );
    expect(pkg).toMatchObject({ status: 'received', facilityId: a.facilityId, deletedAt: null });
    expect(recipient).toMatchObject({ name: 'Alice Secret-Recipient', facilityId: a.facilityId, deletedAt: null });
    const image = await t.app.request(new URL(a.signedUrl, ORIGIN).toString());
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).length).toBeGreaterThan(0);
    // The invitation is still open for the person it was sent to.
    expect((await A.client.get('/api/invitations')).json.invitations.map((i: { id: string }) => i.id)).toEqual([a.invitationId]);
    expect((await new TestClient(t).get(`/api/invitations/${a.invitationToken}`)).json.email).toBe(a.invitedEmail);
  });
});

describe('row-level security', () => {
  /** Every table holding one facility's data; each has RLS. Adding one without RLS fails below. */
  const FACILITY_OWNED = [
    'ai_requests',
    'attachments',
    'audit_events',
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
  /** Facility-owned tables the app only ever inserts into (the custody log, the activity log's audit entries). */
  const APPEND_ONLY = ['audit_events', 'package_events'];
  /** Facility-owned tables the app inserts into and updates but never deletes from (the AI call log the daily cap counts). */
  const NO_DELETE = ['ai_requests'];
  /** Account-level tables that name a facility but are read across facilities by the auth flows. */
  const ACCOUNT_LEVEL = ['invitations', 'memberships', 'subscriptions'];

  /** A minimal valid row of `table` for `facilityId` (as the owner inserts it). */
  function row(table: string, facilityId: string, userId: string): { sql: string; params: unknown[] } {
    const id = randomUUID();
    const hash = randomBytes(32).toString('hex');
    const rows: Record<string, [string, unknown[]]> = {
      departments: [`INSERT INTO departments (id, "facilityId", name, version) VALUES ($1, $2, 'Dept', 1)`, [id, facilityId]],
      locations: [`INSERT INTO locations (id, "facilityId", name, version) VALUES ($1, $2, 'Shelf', 1)`, [id, facilityId]],
      recipients: [`INSERT INTO recipients (id, "facilityId", name, version) VALUES ($1, $2, 'Rita', 1)`, [id, facilityId]],
      packages: [
        `INSERT INTO packages (id, "facilityId", "trackingNumber", carrier, "recipientName", status, "receivedAt", version)
         VALUES ($1, $2, 'RLS1', 'ups', 'Rita', 'received', now(), 1)`,
        [id, facilityId],
      ],
      package_events: [
        `INSERT INTO package_events (id, "facilityId", "packageId", type, version) VALUES ($1, $2, $3, 'received', 1)`,
        [id, facilityId, randomUUID()],
      ],
      attachments: [
        `INSERT INTO attachments (id, "facilityId", "packageId", hash, kind, version) VALUES ($1, $2, $3, $4, 'intake', 1)`,
        [id, facilityId, randomUUID(), hash],
      ],
      stored_blobs: [
        `INSERT INTO stored_blobs ("facilityId", hash, "storageKey", "contentType", size) VALUES ($1, $2, $3, 'image/jpeg', 1)`,
        [facilityId, hash, `${facilityId}/${hash}.jpg`],
      ],
      sync_clients: [
        `INSERT INTO sync_clients (id, "userId", "facilityId", "updatedAt") VALUES ($1, $2, $3, now())`,
        [id, userId, facilityId],
      ],
      sync_rejections: [
        `INSERT INTO sync_rejections ("clientId", "mutationId", "facilityId", name, code, message) VALUES ($1, 1, $2, 'package.hold', 'x', 'x')`,
        [id, facilityId],
      ],
      integrations: [
        `INSERT INTO integrations (id, "facilityId", kind, credentials, version) VALUES ($1, $2, $3, 'sealed', 1)`,
        [id, facilityId, `kind-${id}`],
      ],
      notifications: [
        `INSERT INTO notifications (id, "facilityId", kind, channel, version) VALUES ($1, $2, 'received', 'email', 1)`,
        [id, facilityId],
      ],
      ai_requests: [`INSERT INTO ai_requests (id, "facilityId", feature, outcome) VALUES ($1, $2, 'label', 'ok')`, [id, facilityId]],
      audit_events: [
        `INSERT INTO audit_events (id, "facilityId", type, "subjectType", "actorId") VALUES ($1, $2, 'settings_changed', 'facility', $3)`,
        [id, facilityId, userId],
      ],
    };
    const r = rows[table];
    if (!r) throw new Error(`no test row for ${table}: add one to row()`);
    return { sql: r[0], params: r[1] };
  }

  it('is enabled on exactly the facility-owned tables, with the facility policy for the app role', async () => {
    const rows = await asOwner(t, (c) =>
      c.query<{ table: string; rls: boolean; hasFacility: boolean }>(
        `SELECT c.relname AS table, c.relrowsecurity AS rls,
                EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'facilityId' AND NOT a.attisdropped) AS "hasFacility"
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
      ),
    );
    const rls = rows.rows.filter((r) => r.rls).map((r) => r.table);
    expect(rls.sort()).toEqual(FACILITY_OWNED);
    // Every table with a facilityId is either facility-owned (RLS) or a known account-level table.
    const withFacility = rows.rows.filter((r) => r.hasFacility).map((r) => r.table);
    expect(withFacility.filter((n) => !ACCOUNT_LEVEL.includes(n)).sort()).toEqual(FACILITY_OWNED);

    const policies = await asOwner(t, (c) =>
      c.query<{ table: string; roles: string; qual: string; check: string; cmd: string }>(
        `SELECT tablename AS table, roles::text AS roles, qual, with_check AS check, cmd FROM pg_policies WHERE schemaname = 'public'`,
      ),
    );
    for (const table of FACILITY_OWNED) {
      const p = policies.rows.filter((r) => r.table === table);
      expect(p, table).toHaveLength(1);
      expect(p[0]!.cmd, table).toBe('ALL');
      expect(p[0]!.roles, table).toContain('ptp_app');
      expect(p[0]!.qual, table).toMatch(/"facilityId" = app_facility_id\(\)/);
      expect(p[0]!.check, table).toMatch(/"facilityId" = app_facility_id\(\)/);
    }
  });

  it('shows the app role only the active facility’s rows of every such table, refuses writes into another, and shows nothing with no facility set', async () => {
    await asOwner(t, async (c) => {
      for (const table of FACILITY_OWNED) {
        for (const [facilityId, userId] of [
          [a.facilityId, A.userId],
          [B.facilityId, B.userId],
        ] as const) {
          const { sql, params } = row(table, facilityId, userId);
          await c.query(sql, params);
        }
        // The owner sees both facilities' rows: the checks below are not vacuous.
        const both = await c.query(`SELECT DISTINCT "facilityId"::text AS f FROM ${table} WHERE "facilityId" = ANY($1::uuid[])`, [
          [a.facilityId, B.facilityId],
        ]);
        expect(both.rows.map((r) => r.f).sort(), table).toEqual([a.facilityId, B.facilityId].sort());
      }
    });

    const c = await t.deps.db.pool.connect();
    try {
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe('ptp_app');

      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.facility_id', $1, true)`, [a.facilityId]);
      for (const table of FACILITY_OWNED) {
        const visible = await c.query<{ f: string }>(`SELECT "facilityId"::text AS f FROM ${table}`); // no WHERE on purpose
        expect(visible.rows.length, table).toBeGreaterThan(0);
        expect(new Set(visible.rows.map((r) => r.f)), table).toEqual(new Set([a.facilityId]));

        // B's rows can be neither changed nor deleted: they are invisible. The custody log is
        // append-only: the app role may neither update nor delete any event, its own included.
        const appendOnly = APPEND_ONLY.includes(table);
        await c.query('SAVEPOINT s');
        if (appendOnly) {
          await expect(
            c.query(`UPDATE ${table} SET "facilityId" = "facilityId" WHERE "facilityId" = $1`, [B.facilityId]),
            table,
          ).rejects.toThrow(/permission denied/);
          await c.query('ROLLBACK TO SAVEPOINT s');
          await expect(c.query(`DELETE FROM ${table} WHERE "facilityId" = $1`, [B.facilityId]), table).rejects.toThrow(/permission denied/);
          await c.query('ROLLBACK TO SAVEPOINT s');
        } else {
          expect(
            (await c.query(`UPDATE ${table} SET "facilityId" = "facilityId" WHERE "facilityId" = $1`, [B.facilityId])).rowCount,
            table,
          ).toBe(0);
          if (NO_DELETE.includes(table)) {
            await expect(c.query(`DELETE FROM ${table} WHERE "facilityId" = $1`, [B.facilityId]), table).rejects.toThrow(
              /permission denied/,
            );
            await c.query('ROLLBACK TO SAVEPOINT s');
          } else expect((await c.query(`DELETE FROM ${table} WHERE "facilityId" = $1`, [B.facilityId])).rowCount, table).toBe(0);
        }

        // Writing a row into B, or moving A's rows to B, fails the policy's WITH CHECK.
        const { sql, params } = row(table, B.facilityId, B.userId);
        await expect(c.query(sql, params), table).rejects.toThrow(/row-level security/);
        await c.query('ROLLBACK TO SAVEPOINT s');
        await expect(c.query(`UPDATE ${table} SET "facilityId" = $1`, [B.facilityId]), table).rejects.toThrow(
          appendOnly ? /permission denied/ : /row-level security/,
        );
        await c.query('ROLLBACK TO SAVEPOINT s');
      }
      await c.query('ROLLBACK');

      await c.query('BEGIN');
      for (const table of FACILITY_OWNED) {
        const none = await c.query(`SELECT count(*)::int AS n FROM ${table}`);
        expect(none.rows[0].n, table).toBe(0);
        const { sql, params } = row(table, a.facilityId, A.userId);
        await c.query('SAVEPOINT s');
        await expect(c.query(sql, params), table).rejects.toThrow(/row-level security/);
        await c.query('ROLLBACK TO SAVEPOINT s');
      }
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }

    // The app's own scoped transaction sees the same: A's rows only.
    const seen = await t.deps.db.withFacility(a.facilityId, (tx) =>
      tx.$queryRawUnsafe<{ f: string }[]>(`SELECT DISTINCT "facilityId"::text AS f FROM packages`),
    );
    expect(seen.map((r) => r.f)).toEqual([a.facilityId]);
    const unscoped = await t.deps.db.transaction((tx) => tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM packages`));
    expect(unscoped[0]!.n).toBe(0);
  });
});
