// Facility settings and the pickup key (http-api.md "Facility settings"; docs/sync.md "Pickup
// codes"): who reads the key, who changes the settings, what is refused, and the server's code of a
// package matching the devices' check.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPickup, pickupCodeFor } from '../../src/lib/domain/pickup-code.ts';
import { pickupCodeForPackage } from '../../sync-server/src/services/pickup-code.ts';
import { TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const patch = (c: TestClient, body: unknown) => c.request('PATCH', '/api/facility', body);
const row = (id: string) => t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id } });

describe('GET /api/facility', () => {
  it('shows the hand-off setting, and the pickup key to the roles that hand packages over, never to a viewer', async () => {
    const a = await signUp(t);
    const admin = await a.client.get('/api/facility');
    expect(admin.status).toBe(200);
    expect(admin.json.signatureRequired).toBe(true);
    expect(admin.json.pickupKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(admin.json.pickupKey, 'base64url')).toHaveLength(32);
    expect((await row(a.facilityId)).pickupKey).toBe(admin.json.pickupKey);
    for (const role of ['operator', 'courier']) {
      const m = await joinAs(t, a, role);
      const res = await m.client.get('/api/facility');
      expect(res.json.pickupKey, role).toBe(admin.json.pickupKey);
    }
    const viewer = await joinAs(t, a, 'viewer');
    const res = await viewer.client.get('/api/facility');
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('pickupKey');
    expect(res.text).not.toContain(admin.json.pickupKey);
  });

  it('gives every facility its own key when it is opened', async () => {
    const a = await signUp(t);
    const second = await a.client.post('/api/facilities', { name: 'North Desk', timezone: 'America/Chicago' });
    expect(second.status).toBe(201);
    const [one, two] = [await row(a.facilityId), await row(second.json.id)];
    expect(one.pickupKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(two.pickupKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(one.pickupKey).not.toBe(two.pickupKey);
  });

  it('makes the key of a facility that has none on first read, once, even when reads race', async () => {
    const a = await signUp(t);
    const courier = await joinAs(t, a, 'courier');
    await t.deps.db.prisma.facility.update({ where: { id: a.facilityId }, data: { pickupKey: null } });
    const answers = await Promise.all([a.client.get('/api/facility'), courier.client.get('/api/facility'), a.client.get('/api/facility')]);
    const keys = new Set(answers.map((r) => r.json.pickupKey));
    expect(keys.size).toBe(1);
    const [key] = keys;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await row(a.facilityId)).pickupKey).toBe(key);
    expect((await a.client.get('/api/facility')).json.pickupKey).toBe(key);
  });
});

describe('PATCH /api/facility', () => {
  it('lets an admin change the settings; the answer and later reads show them', async () => {
    const a = await signUp(t);
    const res = await patch(a.client, {
      name: 'Front Desk',
      timezone: 'europe/berlin',
      photoRetentionDays: 30,
      reminderIntervalHours: 48,
      signatureRequired: false,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: a.facilityId,
      name: 'Front Desk',
      timezone: 'Europe/Berlin',
      photoRetentionDays: 30,
      reminderIntervalHours: 48,
      signatureRequired: false,
      active: true,
      role: 'admin',
    });
    expect(res.json.pickupKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const got = await a.client.get('/api/facility');
    expect(got.json).toEqual(res.json);
    // One field at a time leaves the others as they are.
    const on = await patch(a.client, { signatureRequired: true });
    expect(on.json).toMatchObject({ signatureRequired: true, photoRetentionDays: 30, name: 'Front Desk' });
    expect((await row(a.facilityId)).signatureRequired).toBe(true);
    // The bounds themselves are allowed.
    expect((await patch(a.client, { photoRetentionDays: 7, reminderIntervalHours: 1 })).status).toBe(200);
    expect((await patch(a.client, { photoRetentionDays: 365, reminderIntervalHours: 168 })).status).toBe(200);
    expect((await patch(a.client, {})).status).toBe(200);
  });

  it('is for admins only', async () => {
    const a = await signUp(t);
    for (const role of ['operator', 'courier', 'viewer']) {
      const m = await joinAs(t, a, role);
      const res = await patch(m.client, { signatureRequired: false });
      expect(res.status, role).toBe(403);
      expect(res.json.error, role).toBe('forbidden');
    }
    expect((await row(a.facilityId)).signatureRequired).toBe(true);
    const anon = await patch(new TestClient(t), { signatureRequired: false });
    expect(anon.status).toBe(401);
  });

  it('refuses junk with 400 invalid_input and changes nothing', async () => {
    const a = await signUp(t);
    const before = await row(a.facilityId);
    const junk: unknown[] = [
      { photoRetentionDays: 6 },
      { photoRetentionDays: 366 },
      { photoRetentionDays: 30.5 },
      { photoRetentionDays: '30' },
      { photoRetentionDays: null },
      { photoRetentionDays: 1e308 },
      { timezone: 'Mars/Olympus_Mons' },
      { timezone: '' },
      { timezone: 'Europe/Berlin; DROP TABLE facilities' },
      { timezone: 42 },
      { reminderIntervalHours: 0 },
      { reminderIntervalHours: 169 },
      { reminderIntervalHours: -5 },
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(121) },
      { signatureRequired: 'no' },
      { signatureRequired: 0 },
      { pickupKey: 'mine now' },
      { code: 'NEW-CODE' },
      { active: false },
      [],
      'settings',
      null,
    ];
    for (const body of junk) {
      const res = await patch(a.client, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error, JSON.stringify(body)).toBe('invalid_input');
    }
    const raw = await a.client.request('PATCH', '/api/facility', new TextEncoder().encode('{"photoRetentionDays":'), {
      'content-type': 'application/json',
    });
    expect(raw.status).toBe(400);
    const mars = await patch(a.client, { timezone: 'Mars/Olympus_Mons' });
    expect(mars.json.message).toMatch(/time zone/i);
    const after = await row(a.facilityId);
    expect(after).toEqual(before);
  });

  it('refuses an unknown time zone when a facility is opened too', async () => {
    const a = await signUp(t);
    const res = await a.client.post('/api/facilities', { name: 'Olympus Desk', timezone: 'Mars/Olympus_Mons' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
    expect(await t.deps.db.prisma.facility.count({ where: { name: 'Olympus Desk' } })).toBe(0);
  });

  it('refuses changes in a read-only facility (subscription lapsed, or facility closed) with 403 read_only; reads still work', async () => {
    const a = await signUp(t);
    await t.deps.db.prisma.subscription.update({
      where: { facilityId: a.facilityId },
      data: { trialEndsAt: new Date(Date.now() - 24 * 3600 * 1000) },
    });
    const lapsed = await patch(a.client, { photoRetentionDays: 30 });
    expect([lapsed.status, lapsed.json.error]).toEqual([403, 'read_only']);
    expect((await a.client.get('/api/facility')).status).toBe(200);

    const b = await signUp(t);
    await t.deps.db.prisma.facility.update({ where: { id: b.facilityId }, data: { active: false } });
    const closed = await patch(b.client, { photoRetentionDays: 30 });
    expect([closed.status, closed.json.error]).toEqual([403, 'read_only']);
    expect((await row(a.facilityId)).photoRetentionDays).toBe(90);
    expect((await row(b.facilityId)).photoRetentionDays).toBe(90);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await new TestClient(t).get('/api/openapi.json');
    expect(Object.keys(doc.json.paths['/api/facility'])).toEqual(expect.arrayContaining(['get', 'patch']));
  });
});

describe('pickupCodeForPackage', () => {
  it('gives the code the devices check, for this facility’s packages only', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const device = new Device(a.client, a.facilityId);
    const recipientId = randomUUID();
    const p = receiveArgs({ recipientId, recipientName: 'Grace Hopper' });
    const q = receiveArgs({ recipientName: 'Walk-in Visitor' });
    const pushed = await device.push([
      mutation(1, 'recipient.upsert', { id: recipientId, name: 'Grace Hopper' }),
      mutation(2, 'package.receive', p),
      mutation(3, 'package.receive', q),
    ]);
    expect(pushed.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);

    const code = await pickupCodeForPackage(t.deps, a.facilityId, p.id);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const key = (await a.client.get('/api/facility')).json.pickupKey;
    expect(code).toBe(pickupCodeFor(key, { facilityId: a.facilityId, recipientId, recipientName: 'Grace Hopper', packageId: p.id }));
    const rows = [
      { id: p.id, recipientId, recipientName: 'Grace Hopper', status: 'received' as const },
      { id: q.id, recipientId: null, recipientName: 'Walk-in Visitor', status: 'received' as const },
    ];
    expect(findPickup(key, a.facilityId, code, rows)).toMatchObject({ ok: true, recipientId });
    const walkIn = await pickupCodeForPackage(t.deps, a.facilityId, q.id);
    expect(findPickup(key, a.facilityId, walkIn, rows)).toMatchObject({ ok: true, recipientId: null, package: { id: q.id } });

    // Another facility's package, and its own facility with another's package: not found.
    await expect(pickupCodeForPackage(t.deps, b.facilityId, p.id)).rejects.toMatchObject({ status: 404 });
    await expect(pickupCodeForPackage(t.deps, a.facilityId, randomUUID())).rejects.toMatchObject({ status: 404 });
    // B's key does not make A's code.
    const bKey = (await b.client.get('/api/facility')).json.pickupKey;
    expect(findPickup(bKey, a.facilityId, code, rows)).toMatchObject({ ok: false, code: 'unknown_code' });
  });
});

describe('the database', () => {
  it('holds the reminder interval and the key’s shape itself', async () => {
    const a = await signUp(t);
    await expect(t.deps.db.prisma.facility.update({ where: { id: a.facilityId }, data: { reminderIntervalHours: 169 } })).rejects.toThrow();
    await expect(t.deps.db.prisma.facility.update({ where: { id: a.facilityId }, data: { pickupKey: 'not a key!' } })).rejects.toThrow();
    expect((await row(a.facilityId)).reminderIntervalHours).toBe(24);
  });
});

describe('quiet hours and notification defaults', () => {
  it('start at night (20:00–07:00) and email only, and an admin sets, shows and clears them', async () => {
    const a = await signUp(t);
    const first = await a.client.get('/api/facility');
    expect(first.json).toMatchObject({ quietHours: { start: '20:00', end: '07:00' }, notificationDefaults: { email: true, sms: false } });

    const res = await patch(a.client, { quietHours: { start: '22:00', end: '07:00' }, notificationDefaults: { email: false, sms: true } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ quietHours: { start: '22:00', end: '07:00' }, notificationDefaults: { email: false, sms: true } });
    expect(await row(a.facilityId)).toMatchObject({
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      notifyEmailDefault: false,
      notifySmsDefault: true,
    });
    // Other settings stay as they were when only one is sent.
    expect((await patch(a.client, { photoRetentionDays: 30 })).json.quietHours).toEqual({ start: '22:00', end: '07:00' });

    const cleared = await patch(a.client, { quietHours: null });
    expect(cleared.json.quietHours).toBeNull();
    expect(await row(a.facilityId)).toMatchObject({ quietHoursStart: null, quietHoursEnd: null });
  });

  it.each([
    ['a time past midnight', { quietHours: { start: '24:00', end: '07:00' } }],
    ['a time without a colon', { quietHours: { start: '2200', end: '07:00' } }],
    ['a single hour', { quietHours: { start: '9:00', end: '17:00' } }],
    ['start equal to end', { quietHours: { start: '08:00', end: '08:00' } }],
    ['only a start', { quietHours: { start: '08:00' } }],
    ['an extra key', { quietHours: { start: '08:00', end: '09:00', days: 'all' } }],
    ['a string', { quietHours: '22:00-07:00' }],
    ['a missing channel', { notificationDefaults: { email: true } }],
    ['a channel as text', { notificationDefaults: { email: 'yes', sms: false } }],
    ['an unknown channel', { notificationDefaults: { email: true, sms: false, pigeon: true } }],
  ])('refuses %s (400) and changes nothing', async (_what, body) => {
    const a = await signUp(t);
    const res = await patch(a.client, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
    expect(await row(a.facilityId)).toMatchObject({ quietHoursStart: '20:00', notifyEmailDefault: true, notifySmsDefault: false });
  });

  it('the hold note in Package Held messages: off until an admin turns it on', async () => {
    const a = await signUp(t);
    expect((await a.client.get('/api/facility')).json.holdNoteInNotifications).toBe(false);
    const res = await patch(a.client, { holdNoteInNotifications: true });
    expect(res.status).toBe(200);
    expect(res.json.holdNoteInNotifications).toBe(true);
    expect((await row(a.facilityId)).holdNoteInNotifications).toBe(true);
    expect((await patch(a.client, { holdNoteInNotifications: 'yes' })).status).toBe(400);
  });

  it('AI: on until an admin switches it off; the switch is in the activity log like any setting', async () => {
    const a = await signUp(t);
    expect((await a.client.get('/api/facility')).json).toMatchObject({ aiEnabled: true, ai: { enabled: false } });
    const res = await patch(a.client, { aiEnabled: false });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ aiEnabled: false, ai: { enabled: false } });
    expect((await row(a.facilityId)).aiEnabled).toBe(false);
    expect((await patch(a.client, { aiEnabled: 'off' })).status).toBe(400);
    const log = await a.client.get('/api/activity');
    expect(JSON.stringify(log.json)).toContain('aiEnabled');
  });

  it('is held by the database too: half-set or malformed quiet hours are refused', async () => {
    const a = await signUp(t);
    for (const data of [{ quietHoursStart: null }, { quietHoursStart: '25:00', quietHoursEnd: '07:00' }]) {
      await expect(t.deps.db.prisma.facility.update({ where: { id: a.facilityId }, data })).rejects.toThrow();
    }
  });

  it('is refused to a non-admin (403)', async () => {
    const a = await signUp(t);
    const op = await joinAs(t, a, 'operator');
    expect((await patch(op.client, { quietHours: { start: '21:00', end: '06:00' } })).status).toBe(403);
    expect((await row(a.facilityId)).quietHoursStart).toBe('20:00');
  });
});

describe('settingsReviewedAt (the setup checklist’s settings step)', () => {
  it('is null for a new facility and set for every member once an admin saves, even with nothing changed; a refused save sets nothing', async () => {
    const a = await signUp(t);
    const op = await joinAs(t, a, 'operator');
    expect((await a.client.get('/api/facility')).json.settingsReviewedAt).toBeNull();
    expect((await patch(op.client, { photoRetentionDays: 30 })).status).toBe(403);
    expect((await patch(a.client, { photoRetentionDays: 6 })).status).toBe(400);
    expect((await row(a.facilityId)).settingsReviewedAt).toBeNull();
    const before = Date.now();
    const saved = await patch(a.client, { photoRetentionDays: 90 }); // the default: nothing changes
    expect(saved.status).toBe(200);
    expect(Date.parse(saved.json.settingsReviewedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect((await op.client.get('/api/facility')).json.settingsReviewedAt).toBe(saved.json.settingsReviewedAt);
  });
});
