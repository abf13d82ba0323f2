// GET /api/facility/members: names and roles of the active facility's members, for every member
// (a device names who did what in a package's timeline, offline too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('GET /api/facility/members', () => {
  it('lists every member’s name and role, and nothing more, to any role of the facility', async () => {
    const admin = await signUp(t);
    const courier = await joinAs(t, admin, 'courier');
    const viewer = await joinAs(t, admin, 'viewer');
    const expected = [
      { userId: admin.userId, name: admin.body.name, role: 'admin' },
      { userId: courier.userId, name: 'New courier', role: 'courier' },
      { userId: viewer.userId, name: 'New viewer', role: 'viewer' },
    ];
    for (const c of [admin.client, courier.client, viewer.client]) {
      const res = await c.get('/api/facility/members');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ members: expected });
      expect(res.text).not.toContain('@example.test');
    }
  });

  it('needs a session (401) and refuses junk in the query string (400, not 500)', async () => {
    const anon = await new TestClient(t).get('/api/facility/members');
    expect(anon.status).toBe(401);
    expect(anon.json.error).toBe('unauthorized');
    const a = await signUp(t);
    for (const q of ['?x=1', '?facilityId=%00', '?role[]=admin']) {
      const res = await a.client.get(`/api/facility/members${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.error, q).toBe('invalid_input');
    }
  });

  it('is listed in the OpenAPI document', async () => {
    const doc = await new TestClient(t).get('/api/openapi.json');
    expect(Object.keys(doc.json.paths)).toContain('/api/facility/members');
  });
});
