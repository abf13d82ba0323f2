// The activity log beyond packages: directory changes (through sync and the CSV import path alike),
// team changes and settings changes each appear once, with who did it, when and from which device,
// and can be filtered by person, action and day. Refused changes leave no entry; another facility
// sees none of them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation } from './sync-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

interface Entry {
  id: string;
  type: string;
  at: string;
  packageId: string | null;
  subject: { type: string; id: string | null; label: string | null } | null;
  actorId: string | null;
  actorName: string | null;
  clientId: string | null;
  data: Record<string, unknown>;
}
const log = async (c: TestClient, q = '') => {
  const res = await c.get(`/api/activity?limit=200${q ? `&${q}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.json.items as Entry[];
};
const applied = (res: { json: { results: { status: string; code?: string }[] } }) => res.json.results.map((r) => r.code ?? r.status);

describe('directory changes in the activity log', () => {
  it('records each created, changed, merged and deleted row with the person and the device', async () => {
    const A = await signUp(t);
    const device = new Device(A.client, A.facilityId);
    const [D, L, R, R2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    expect(
      applied(
        await device.push([
          mutation(1, 'department.upsert', { id: D, name: 'Research' }),
          mutation(2, 'location.upsert', { id: L, name: 'Shelf 1' }),
          mutation(3, 'recipient.upsert', { id: R, name: 'Ada Lovelace', departmentId: D }),
          mutation(4, 'recipient.upsert', { id: R, name: 'Ada Lovelace', departmentId: D, email: 'ada@example.test', notifySms: true }),
          mutation(5, 'recipient.upsert', { id: R2, name: 'Ada L.' }),
          mutation(6, 'recipient.merge', { id: R2, intoId: R }),
          mutation(7, 'location.upsert', { id: L, name: 'Shelf 2' }),
          mutation(8, 'location.delete', { id: L }),
          mutation(9, 'department.delete', { id: D }),
        ]),
      ),
    ).toEqual(Array(9).fill('applied'));

    const entries = (await log(A.client)).reverse();
    expect(entries.map((e) => [e.type, e.subject?.id])).toEqual([
      ['department_created', D],
      ['location_created', L],
      ['recipient_created', R],
      ['recipient_changed', R],
      ['recipient_created', R2],
      ['recipient_merged', R],
      ['location_changed', L],
      ['location_deleted', L],
      ['department_deleted', D],
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({ actorId: A.userId, actorName: A.body.name, clientId: device.clientId, packageId: null });
      expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000);
    }
    // What changed, by field (not its values), and the name each subject has now.
    expect(entries[3]!.data).toEqual({ fields: ['email', 'notifySms'] });
    expect(entries[6]!.data).toEqual({ fields: ['name'] });
    expect(entries[5]!.data).toEqual({ mergedId: R2 });
    expect(entries[3]!.subject).toEqual({ type: 'recipient', id: R, label: 'Ada Lovelace' });
    expect(entries[7]!.subject).toEqual({ type: 'location', id: L, label: 'Shelf 2' });
  });

  it('leaves no entry for a refused change, and none for an operator’s package work', async () => {
    const A = await signUp(t);
    const op = await joinAs(t, A, 'operator');
    const before = (await log(A.client)).length;
    const device = new Device(op.client, A.facilityId);
    const res = await device.push([
      mutation(1, 'department.upsert', { id: randomUUID(), name: 'Not theirs' }), // admins only
      mutation(2, 'recipient.delete', { id: randomUUID() }),
    ]);
    expect(applied(res)).toEqual(['forbidden', 'forbidden']);
    expect(await log(A.client)).toHaveLength(before);
    // An operator adding someone at intake is a directory change too.
    const R = randomUUID();
    expect(applied(await device.push([mutation(3, 'recipient.upsert', { id: R, name: 'Walk In' })]))).toEqual(['applied']);
    const [latest] = await log(A.client);
    expect(latest).toMatchObject({ type: 'recipient_created', actorId: op.userId, clientId: device.clientId, subject: { id: R } });
  });
});

describe('team and settings changes in the activity log', () => {
  it('records invitations, role changes, removals and settings, from the desk', async () => {
    const A = await signUp(t);
    const email = `mate-${randomUUID()}@example.test`;
    const inv = await A.client.post('/api/invitations', { email, role: 'operator', facilityId: A.facilityId });
    expect(inv.status).toBe(201);
    expect((await A.client.post(`/api/invitations/${inv.json.id}/resend`)).status).toBe(200);
    expect((await A.client.request('DELETE', `/api/invitations/${inv.json.id}`)).status).toBe(204);
    const op = await joinAs(t, A, 'operator');
    expect((await A.client.request('PATCH', `/api/team/${op.userId}`, { role: 'viewer' })).status).toBe(200);
    expect((await A.client.request('PATCH', '/api/facility', { photoRetentionDays: 30, name: 'North desk' })).status).toBe(200);
    // The same values again change nothing, and are no entry.
    expect((await A.client.request('PATCH', '/api/facility', { photoRetentionDays: 30 })).status).toBe(200);
    expect((await A.client.request('DELETE', `/api/team/${op.userId}`)).status).toBe(204);

    const entries = (await log(A.client)).reverse();
    expect(entries.map((e) => [e.type, e.subject?.type, e.data])).toEqual([
      ['member_invited', 'invitation', { email, role: 'operator' }],
      ['invitation_resent', 'invitation', { email, role: 'operator' }],
      ['invitation_revoked', 'invitation', { email, role: 'operator' }],
      ['member_invited', 'invitation', { email: op.email, role: 'operator' }],
      ['member_role_changed', 'member', { from: 'operator', to: 'viewer' }],
      ['settings_changed', 'facility', { fields: ['name', 'photoRetentionDays'] }],
      ['member_removed', 'member', { role: 'viewer' }],
    ]);
    for (const e of entries) expect(e).toMatchObject({ actorId: A.userId, actorName: A.body.name, clientId: null, packageId: null });
    expect(entries[0]!.subject).toEqual({ type: 'invitation', id: inv.json.id, label: email });
    expect(entries[4]!.subject).toEqual({ type: 'member', id: op.userId, label: 'New operator' });
    expect(entries[5]!.subject).toMatchObject({ type: 'facility', id: A.facilityId });
  });

  it('leaves no entry for a refused team change', async () => {
    const A = await signUp(t);
    const before = (await log(A.client)).length;
    // The last admin cannot demote themselves; a viewer cannot change anything.
    expect((await A.client.request('PATCH', `/api/team/${A.userId}`, { role: 'viewer' })).status).toBe(409);
    const viewer = await joinAs(t, A, 'viewer');
    const afterJoin = (await log(A.client)).length;
    expect(afterJoin).toBe(before + 1); // the invitation
    expect((await viewer.client.request('PATCH', '/api/facility', { photoRetentionDays: 10 })).status).toBe(403);
    expect((await viewer.client.request('DELETE', `/api/team/${A.userId}`)).status).toBe(403);
    expect((await A.client.request('PATCH', '/api/facility', { photoRetentionDays: 6 })).status).toBe(400);
    expect(await log(A.client)).toHaveLength(afterJoin);
  });

  it('filters by person, action and day, and pages across package events and changes', async () => {
    const A = await signUp(t);
    const op = await joinAs(t, A, 'operator');
    const adminDevice = new Device(A.client, A.facilityId);
    const opDevice = new Device(op.client, A.facilityId);
    expect(applied(await adminDevice.push([mutation(1, 'location.upsert', { id: randomUUID(), name: 'Front' })]))).toEqual(['applied']);
    const pkg = { id: randomUUID(), trackingNumber: 'AUD0001', carrier: 'ups', recipientName: 'Ada', receivedAt: new Date().toISOString() };
    expect(applied(await opDevice.push([mutation(1, 'package.receive', pkg)]))).toEqual(['applied']);
    expect((await A.client.request('PATCH', '/api/facility', { reminderIntervalHours: 12 })).status).toBe(200);

    const types = async (q: string) => (await log(A.client, q)).map((e) => e.type);
    expect(await types(`actorId=${op.userId}`)).toEqual(['received']);
    expect(await types(`actorId=${A.userId}`)).toEqual(['settings_changed', 'location_created', 'member_invited']);
    expect(await types('type=settings_changed')).toEqual(['settings_changed']);
    expect(await types(`type=location_created&actorId=${op.userId}`)).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const day = (d: string) => types(`from=${d}&to=${d}`);
    // The facility is on UTC: today holds everything, two days back nothing.
    expect(await day(today)).toHaveLength(4);
    const twoDaysBack = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    expect(await types(`from=${twoDaysBack}&to=${yesterday}`)).toEqual([]);

    // Page by page, one at a time, each entry once and in the same order as one page.
    const all = (await log(A.client)).map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await A.client.get(`/api/activity?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.json.items.map((e: Entry) => e.id));
      cursor = res.json.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
    expect(all).toHaveLength(4);
  });

  it('shows another facility none of it', async () => {
    const A = await signUp(t);
    const B = await signUp(t);
    expect((await A.client.request('PATCH', '/api/facility', { photoRetentionDays: 45 })).status).toBe(200);
    expect(
      applied(await new Device(A.client, A.facilityId).push([mutation(1, 'department.upsert', { id: randomUUID(), name: 'Secret' })])),
    ).toEqual(['applied']);
    expect((await log(A.client)).map((e) => e.type)).toEqual(['department_created', 'settings_changed']);
    expect(await log(B.client)).toEqual([]);
    expect(await log(B.client, `actorId=${A.userId}`)).toEqual([]);
    expect(await log(B.client, 'type=settings_changed')).toEqual([]);
  });
});
