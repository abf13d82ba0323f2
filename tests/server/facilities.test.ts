// Facilities, the active facility, team and invitations (http-api.md "Accounts and sessions").
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, signUp, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

async function join(admin: Awaited<ReturnType<typeof signUp>>, role: string, facilityId = admin.facilityId) {
  const email = `${role}-${randomUUID()}@example.test`;
  const inv = await admin.client.post('/api/invitations', { email, role, facilityId });
  expect(inv.status).toBe(201);
  const client = new TestClient(t);
  const res = await client.post(`/api/invitations/${inv.json.token}/accept`, {
    name: `New ${role}`,
    password: 'a long password',
    ageConfirmed: true,
  });
  expect(res.status).toBe(200);
  return { client, email, invitationId: inv.json.id as string, token: inv.json.token as string };
}

describe('facilities and the active facility', () => {
  it('creates a second facility with its own code; its creator is its admin; the server keeps the active one', async () => {
    const a = await signUp(t);
    const created = await a.client.post('/api/facilities', { name: 'Loading Dock', timezone: 'Europe/Berlin' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'Loading Dock', timezone: 'Europe/Berlin' });
    expect(created.json.code).toMatch(/^LOA-[A-Z0-9]{4}$/);
    const me = await a.client.get('/api/me');
    expect(me.json.memberships.map((m: { facilityName: string; role: string }) => [m.facilityName, m.role])).toEqual([
      [a.body.facilityName, 'admin'],
      ['Loading Dock', 'admin'],
    ]);
    expect(me.json.activeFacilityId).toBe(a.facilityId); // creating does not switch

    const switched = await a.client.post('/api/me/active-facility', { facilityId: created.json.id });
    expect(switched.status).toBe(200);
    expect((await a.client.get('/api/facility')).json).toMatchObject({
      id: created.json.id,
      code: created.json.code,
      role: 'admin',
      isOrganizationOwner: true,
    });
    // The choice lives in the server-side session: the same cookie elsewhere sees it.
    const sameCookie = new TestClient(t);
    sameCookie.cookies = new Map(a.client.cookies);
    expect((await sameCookie.get('/api/me')).json.activeFacilityId).toBe(created.json.id);
  });

  it('refuses to switch to a facility without a membership (404) and keeps the current one', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const res = await a.client.post('/api/me/active-facility', { facilityId: b.facilityId });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('not_found');
    expect((await a.client.get('/api/me')).json.activeFacilityId).toBe(a.facilityId);
    expect((await a.client.post('/api/me/active-facility', { facilityId: randomUUID() })).status).toBe(404);
    expect((await a.client.post('/api/me/active-facility', { facilityId: 'nope' })).status).toBe(400);
  });

  it('codes are unique across facilities', async () => {
    const a = await signUp(t, { facilityName: 'Same Name' });
    const codes = new Set<string>();
    for (let i = 0; i < 8; i++) codes.add((await a.client.post('/api/facilities', { name: 'Same Name' })).json.code);
    expect(codes.size).toBe(8);
  });

  it('needs a session: 401 without one', async () => {
    const anon = new TestClient(t);
    for (const path of ['/api/me', '/api/facility', '/api/team', '/api/invitations']) expect((await anon.get(path)).status).toBe(401);
    expect((await anon.post('/api/facilities', { name: 'x' })).status).toBe(401);
  });
});

describe('roles', () => {
  it.each(['operator', 'courier', 'viewer'])('the %s role cannot create facilities, see the team or invite (403)', async (role) => {
    const admin = await signUp(t);
    const { client } = await join(admin, role);
    expect((await client.get('/api/facility')).json.role).toBe(role);
    expect((await client.post('/api/facilities', { name: 'Nope' })).status).toBe(403);
    expect((await client.get('/api/team')).status).toBe(403);
    const inv = await client.post('/api/invitations', {
      email: `x-${randomUUID()}@example.test`,
      role: 'admin',
      facilityId: admin.facilityId,
    });
    expect(inv.status).toBe(403);
  });

  it('an admin sees the team with roles', async () => {
    const admin = await signUp(t);
    const { email } = await join(admin, 'courier');
    const team = await admin.client.get('/api/team');
    expect(team.json.members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [admin.body.email, 'admin'],
      [email, 'courier'],
    ]);
  });
});

describe('invitations', () => {
  it('emails the link, lists the invitation, shows it publicly, and joins a new person with the invited role', async () => {
    const admin = await signUp(t);
    const email = `new-${randomUUID()}@example.test`;
    const inv = await admin.client.post('/api/invitations', { email, role: 'operator', facilityId: admin.facilityId });
    expect(inv.status).toBe(201);
    const mail = t.mailer.sent.find((m) => m.to === email)!;
    expect(mail.text).toContain(`/invite/${inv.json.token}`);
    expect((await admin.client.get('/api/invitations')).json.invitations).toEqual([
      expect.objectContaining({ id: inv.json.id, email, role: 'operator' }),
    ]);

    const anon = new TestClient(t);
    const shown = await anon.get(`/api/invitations/${inv.json.token}`);
    expect(shown.json).toEqual({
      email,
      organizationName: admin.body.organizationName,
      facilityName: admin.body.facilityName,
      role: 'operator',
      existingUser: false,
    });
    expect((await anon.post(`/api/invitations/${inv.json.token}/accept`, { name: 'Nia New', password: 'long enough pw' })).status).toBe(
      400,
    ); // no 18+
    const ok = await anon.post(`/api/invitations/${inv.json.token}/accept`, {
      name: 'Nia New',
      password: 'long enough pw',
      ageConfirmed: true,
    });
    expect(ok.status).toBe(200);
    expect(ok.setCookies).toHaveLength(1);
    const me = await anon.get('/api/me');
    expect(me.json.user.email).toBe(email);
    expect(me.json.memberships).toEqual([expect.objectContaining({ facilityId: admin.facilityId, role: 'operator' })]);
    expect(me.json.activeFacilityId).toBe(admin.facilityId);
    // The new person can sign in with the password they chose.
    expect((await new TestClient(t).post('/api/auth/login', { email, password: 'long enough pw' })).status).toBe(200);
    // Used once only.
    expect(
      (
        await new TestClient(t).post(`/api/invitations/${inv.json.token}/accept`, {
          name: 'Again',
          password: 'long enough pw',
          ageConfirmed: true,
        })
      ).status,
    ).toBe(404);
    expect((await admin.client.get('/api/invitations')).json.invitations).toEqual([]);
  });

  it('lets a signed-in existing user accept into another organization’s facility', async () => {
    const admin = await signUp(t);
    const other = await signUp(t);
    const inv = await admin.client.post('/api/invitations', { email: other.body.email, role: 'viewer', facilityId: admin.facilityId });
    expect((await new TestClient(t).get(`/api/invitations/${inv.json.token}`)).json.existingUser).toBe(true);
    const stranger = await new TestClient(t).post(`/api/invitations/${inv.json.token}/accept`, {});
    expect(stranger.status).toBe(401);
    const res = await other.client.post(`/api/invitations/${inv.json.token}/accept`, {});
    expect(res.status).toBe(200);
    const me = await other.client.get('/api/me');
    expect(me.json.memberships.map((m: { facilityId: string; role: string }) => [m.facilityId, m.role])).toEqual([
      [other.facilityId, 'admin'],
      [admin.facilityId, 'viewer'],
    ]);
  });

  it('refuses an expired invitation, and a new account for an email that already has one', async () => {
    const admin = await signUp(t);
    const inv = await admin.client.post('/api/invitations', {
      email: `late-${randomUUID()}@example.test`,
      role: 'operator',
      facilityId: admin.facilityId,
    });
    await t.deps.db.prisma.invitation.update({ where: { id: inv.json.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await new TestClient(t).get(`/api/invitations/${inv.json.token}`)).status).toBe(404);
    expect(
      (
        await new TestClient(t).post(`/api/invitations/${inv.json.token}/accept`, {
          name: 'L',
          password: 'long enough pw',
          ageConfirmed: true,
        })
      ).status,
    ).toBe(404);

    const existing = await signUp(t);
    const inv2 = await admin.client.post('/api/invitations', {
      email: existing.body.email,
      role: 'operator',
      facilityId: admin.facilityId,
    });
    const res = await new TestClient(t).post(`/api/invitations/${inv2.json.token}/accept`, {
      name: 'Imposter',
      password: 'long enough pw',
      ageConfirmed: true,
    });
    expect(res.status).toBe(409);
    expect(res.json.error).toBe('account_exists');
    // The refused attempt did not use up the invitation.
    expect((await existing.client.post(`/api/invitations/${inv2.json.token}/accept`, {})).status).toBe(200);
  });

  it('an admin of one facility cannot invite into a facility they are not admin of', async () => {
    const admin = await signUp(t);
    const other = await signUp(t);
    const res = await admin.client.post('/api/invitations', {
      email: `x-${randomUUID()}@example.test`,
      role: 'admin',
      facilityId: other.facilityId,
    });
    expect(res.status).toBe(404);
    expect(res.json.token).toBeUndefined();
  });
});
