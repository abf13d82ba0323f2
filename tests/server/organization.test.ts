// The organization (http-api.md "Organization"): its owner renames it and deactivates or
// reactivates its facilities; admins see it. A deactivated facility keeps its history readable
// and exportable, its devices become read-only (403 read_only), and reactivation restores writes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const rename = (c: TestClient, body: unknown) => c.request('PATCH', '/api/organization', body);

describe('GET /api/organization', () => {
  it('shows the owner every facility with its state; an admin the facilities they belong to; others are refused', async () => {
    const owner = await signUp(t);
    const second = await owner.client.post('/api/facilities', { name: 'Second Desk' });
    const res = await owner.client.get('/api/organization');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: owner.body.organizationName, isOwner: true });
    expect(res.json.facilities.map((f: { id: string }) => f.id)).toEqual([owner.facilityId, second.json.id]);
    expect(res.json.facilities[0]).toEqual({
      id: owner.facilityId,
      name: owner.body.facilityName,
      code: expect.any(String),
      active: true,
      deactivatedAt: null,
      createdAt: expect.any(String),
      members: 1,
    });

    const admin = await joinAs(t, owner, 'admin');
    const seen = await admin.client.get('/api/organization');
    expect(seen.status).toBe(200);
    expect(seen.json.isOwner).toBe(false);
    expect(seen.json.facilities.map((f: { id: string }) => f.id)).toEqual([owner.facilityId]);

    for (const role of ['operator', 'courier', 'viewer']) {
      const m = await joinAs(t, owner, role);
      expect((await m.client.get('/api/organization')).status, role).toBe(403);
    }
  });
});

describe('renaming the organization', () => {
  it('is for the owner: the new name shows everywhere', async () => {
    const owner = await signUp(t);
    const res = await rename(owner.client, { name: '  Harbor Logistics  ' });
    expect(res.status).toBe(200);
    expect(res.json.name).toBe('Harbor Logistics');
    expect((await owner.client.get('/api/facility')).json.organizationName).toBe('Harbor Logistics');
    expect((await owner.client.get('/api/me')).json.organizations[0].name).toBe('Harbor Logistics');
  });

  it.each(['admin', 'operator', 'viewer'])('is refused (403) to a %s who does not own it', async (role) => {
    const owner = await signUp(t);
    const m = await joinAs(t, owner, role);
    expect((await rename(m.client, { name: 'Taken over' })).json.error).toBe('forbidden');
    expect((await owner.client.get('/api/organization')).json.name).toBe(owner.body.organizationName);
  });

  it.each([
    ['an empty name', { name: '   ' }],
    ['a long name', { name: 'x'.repeat(121) }],
    ['another organization named', { name: 'X', id: randomUUID() }],
    ['a number', { name: 5 }],
  ])('refuses %s (400)', async (_what, body) => {
    const owner = await signUp(t);
    const res = await rename(owner.client, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
  });
});

describe('deactivating a facility', () => {
  it('makes its devices read-only while pulls, reads and exports still work; reactivation restores writes', async () => {
    const owner = await signUp(t);
    const second = await owner.client.post('/api/facilities', { name: 'Seasonal Desk' });
    const op = await joinAs(t, owner, 'operator', second.json.id);
    const device = new Device(op.client, second.json.id);
    const p = receiveArgs();
    expect((await device.push([mutation(1, 'package.receive', p)])).json.results[0].status).toBe('applied');

    const off = await owner.client.post(`/api/facilities/${second.json.id}/deactivate`);
    expect(off.status).toBe(200);
    const row = off.json.facilities.find((f: { id: string }) => f.id === second.json.id);
    expect(row.active).toBe(false);
    expect(new Date(row.deactivatedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const refused = await device.push([mutation(2, 'package.hold', { id: p.id, note: 'shelf B' })]);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('read_only');
    expect((await op.client.get('/api/facility')).json.active).toBe(false);
    const pulled = await device.pullAll();
    expect(pulled.patch.some((o) => (o as { id?: string }).id === p.id || JSON.stringify(o).includes(p.id))).toBe(true);
    expect((await op.client.get(`/api/packages/${p.id}`)).status).toBe(200);
    // The owner (an admin there) still exports the directory; settings no longer change.
    expect((await owner.client.post('/api/me/active-facility', { facilityId: second.json.id })).status).toBe(200);
    expect((await owner.client.get('/api/directory/export.csv')).status).toBe(200);
    expect((await owner.client.request('PATCH', '/api/facility', { name: 'Renamed' })).json.error).toBe('read_only');
    // Deactivating twice changes nothing.
    const again = await owner.client.post(`/api/facilities/${second.json.id}/deactivate`);
    expect(again.json.facilities.find((f: { id: string }) => f.id === second.json.id).deactivatedAt).toBe(row.deactivatedAt);

    const on = await owner.client.post(`/api/facilities/${second.json.id}/reactivate`);
    expect(on.status).toBe(200);
    expect(on.json.facilities.find((f: { id: string }) => f.id === second.json.id)).toMatchObject({ active: true, deactivatedAt: null });
    const retried = await device.push([mutation(2, 'package.hold', { id: p.id, note: 'shelf B' })]);
    expect(retried.status).toBe(200);
    expect(retried.json.results[0].status).toBe('applied');
  });

  it('is for the owner only (403 for an admin), and another organization’s facility is not found (404)', async () => {
    const owner = await signUp(t);
    const admin = await joinAs(t, owner, 'admin');
    expect((await admin.client.post(`/api/facilities/${owner.facilityId}/deactivate`)).json.error).toBe('forbidden');
    expect((await admin.client.post(`/api/facilities/${owner.facilityId}/reactivate`)).status).toBe(403);
    const other = await signUp(t);
    expect((await owner.client.post(`/api/facilities/${other.facilityId}/deactivate`)).status).toBe(404);
    expect((await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: other.facilityId } })).active).toBe(true);
    expect((await owner.client.post(`/api/facilities/${randomUUID()}/reactivate`)).status).toBe(404);
    expect((await owner.client.post('/api/facilities/not-a-uuid/deactivate')).status).toBe(400);
  });
});
