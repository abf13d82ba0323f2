// The in-app bell (SPEC "Notifications": in-app for recipients with accounts) and the link it rests
// on: a directory entry links to the member whose proven email it carries. Proof is an accepted
// invitation or a completed password reset, never a sign-up alone; a changed address is unproven.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkedUserIds } from '../../sync-server/src/repositories/notifications.ts';
import { ORIGIN, TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { writeBellRow, writeNotification } from './notification-rows.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let person: Awaited<ReturnType<typeof joinAs>>;
let recipientId: string;
let packageId: string;
let trackingNumber: string;

const verifiedAt = async (userId: string) =>
  (await t.deps.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { emailVerifiedAt: true } })).emailVerifiedAt;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  person = await joinAs(t, admin, 'operator');
  recipientId = randomUUID();
  const p = receiveArgs({ recipientId, recipientName: 'Pat Person' });
  packageId = p.id;
  trackingNumber = p.trackingNumber;
  const pushed = await new Device(admin.client, admin.facilityId).push([
    // The directory writes the address in other letters: the link ignores case.
    mutation(1, 'recipient.upsert', { id: recipientId, name: 'Pat Person', email: person.email.toUpperCase() }),
    mutation(2, 'package.receive', p),
  ]);
  expect(pushed.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
});
afterAll(() => t?.close());

describe('a proven address', () => {
  it('is set by accepting an invitation sent to it, not by signing up', async () => {
    expect(await verifiedAt(person.userId)).toBeInstanceOf(Date);
    expect(await verifiedAt(admin.userId)).toBeNull();
  });

  it('is set by completing a password reset sent to it', async () => {
    const before = t.mailer.sent.length;
    expect((await new TestClient(t).post('/api/auth/password-reset', { email: admin.body.email })).status).toBe(202);
    const mail = t.mailer.sent.slice(before).find((m) => m.to === admin.body.email);
    const token = mail?.text.match(new RegExp(`${ORIGIN}/reset-password/([A-Za-z0-9_-]+)`))?.[1];
    expect(token).toBeTruthy();
    expect(await verifiedAt(admin.userId)).toBeNull();
    expect((await new TestClient(t).post(`/api/auth/password-reset/${token}`, { password: 'a brand new password' })).status).toBe(204);
    expect(await verifiedAt(admin.userId)).toBeInstanceOf(Date);
    expect((await admin.client.post('/api/auth/login', { email: admin.body.email, password: 'a brand new password' })).status).toBe(200);
  });

  it('is lost when the email changes', async () => {
    const other = await joinAs(t, admin, 'viewer');
    expect(await verifiedAt(other.userId)).toBeInstanceOf(Date);
    const res = await other.client.request('PATCH', '/api/me', {
      email: `moved-${randomUUID()}@example.test`,
      currentPassword: other.password,
    });
    expect(res.status).toBe(200);
    expect(await verifiedAt(other.userId)).toBeNull();
  });
});

describe('linkedUserIds', () => {
  it('links an entry to the member with that proven address only', async () => {
    const unproven = await signUp(t);
    const stranger = randomUUID();
    const unprovenEntry = randomUUID();
    const pushed = await new Device(admin.client, admin.facilityId).push([
      mutation(1, 'recipient.upsert', { id: stranger, name: 'No account', email: `nobody-${randomUUID()}@example.test` }),
      // An account that only signed up with this address (and is no member here) does not link.
      mutation(2, 'recipient.upsert', { id: unprovenEntry, name: 'Unproven', email: unproven.body.email }),
    ]);
    expect(pushed.status).toBe(200);
    const links = await t.deps.db.withFacility(admin.facilityId, (tx) =>
      linkedUserIds(tx, admin.facilityId, [recipientId, stranger, unprovenEntry]),
    );
    expect([...links]).toEqual([[recipientId, person.userId]]);
    // Another facility's scope sees no entry of this one.
    const elsewhere = await t.deps.db.withFacility(unproven.facilityId, (tx) => linkedUserIds(tx, unproven.facilityId, [recipientId]));
    expect(elsewhere.size).toBe(0);
  });
});

describe('GET /api/me/notifications and POST /api/me/notifications/read', () => {
  it('shows only the user’s own in-app rows of the active facility, newest first, and marks them read', async () => {
    const older = await writeBellRow(t, admin.facilityId, person.userId, {
      packageId,
      recipientId,
      kind: 'package_received',
      createdAt: new Date(Date.now() - 60_000),
    });
    const newer = await writeBellRow(t, admin.facilityId, person.userId, { packageId, recipientId, kind: 'held' });
    // Not the bell's: another user's row, the same person's email row, a row still queued.
    const othersRow = await writeBellRow(t, admin.facilityId, admin.userId, { packageId, kind: 'delivered' });
    await writeNotification(t, admin.facilityId, { channel: 'email', status: 'sent', userId: person.userId, recipientId, packageId });
    await writeNotification(t, admin.facilityId, { channel: 'inapp', status: 'queued', userId: person.userId, recipientId, packageId });

    const page = await person.client.get('/api/me/notifications');
    expect(page.status).toBe(200);
    expect(page.json.unread).toBe(2);
    expect(page.json.items.map((i: { id: string }) => i.id)).toEqual([newer, older]);
    expect(page.json.items[1]).toMatchObject({ kind: 'received', packageId, trackingNumber, readAt: null });
    expect((await person.client.get('/api/me/notifications?limit=1')).json.items).toHaveLength(1);

    // Someone else's id changes nothing; one's own is marked.
    expect((await person.client.post('/api/me/notifications/read', { ids: [othersRow] })).json.unread).toBe(2);
    const one = await person.client.post('/api/me/notifications/read', { ids: [older] });
    expect(one.json).toEqual({ unread: 1 });
    expect((await admin.client.get('/api/me/notifications')).json).toMatchObject({ unread: 1, items: [{ id: othersRow, readAt: null }] });
    expect((await person.client.post('/api/me/notifications/read', { all: true })).json).toEqual({ unread: 0 });
    const after = await person.client.get('/api/me/notifications');
    expect(after.json.items.every((i: { readAt: string | null }) => i.readAt !== null)).toBe(true);
    expect((await admin.client.get('/api/me/notifications')).json.unread).toBe(1);
  });

  it('answers the active facility only', async () => {
    const second = await admin.client.post('/api/facilities', { name: 'Second desk' });
    expect(second.status).toBe(201);
    const there = await writeBellRow(t, second.json.id, admin.userId, { kind: 'received' });
    const here = await admin.client.get('/api/me/notifications');
    expect(here.json.items.map((i: { id: string }) => i.id)).not.toContain(there);
    // Marking it read from the other facility changes nothing.
    await admin.client.post('/api/me/notifications/read', { ids: [there] });
    expect((await admin.client.post('/api/me/active-facility', { facilityId: second.json.id })).status).toBe(200);
    expect((await admin.client.get('/api/me/notifications')).json).toMatchObject({ unread: 1, items: [{ id: there, readAt: null }] });
    expect((await admin.client.post('/api/me/active-facility', { facilityId: admin.facilityId })).status).toBe(200);
  });

  it('refuses junk with 400 and a signed-out caller with 401', async () => {
    for (const body of [{}, { ids: [] }, { ids: ['not-a-uuid'] }, { all: false }, { all: true, ids: [randomUUID()] }, { ids: 'x' }]) {
      const res = await person.client.post('/api/me/notifications/read', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error).toBe('invalid_input');
    }
    for (const q of ['limit=0', 'limit=abc', 'limit=1000', 'userId=x']) {
      expect((await person.client.get(`/api/me/notifications?${q}`)).status, q).toBe(400);
    }
    expect((await new TestClient(t).get('/api/me/notifications')).status).toBe(401);
    expect((await new TestClient(t).post('/api/me/notifications/read', { all: true })).status).toBe(401);
  });
});
