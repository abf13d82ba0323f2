// Facilities, the active facility and the team (http-api.md "Accounts and sessions"; SPEC
// "Tenancy and roles"). Invitations have their own file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACILITY_CODE_PATTERN } from '../../src/lib/domain/facility-code.ts';
import { SESSION_COOKIE } from '../../sync-server/src/http/session.ts';
import { TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('GET /api/me', () => {
  it('has the documented shape: user, organizations, memberships, activeFacilityId', async () => {
    const a = await signUp(t);
    const facility = await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: a.facilityId } });
    const me = await a.client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.json).toEqual({
      user: { id: a.userId, name: a.body.name, email: a.body.email, emailOptOut: false },
      organizations: [{ id: facility.organizationId, name: a.body.organizationName, isOwner: true }],
      memberships: [
        {
          facilityId: a.facilityId,
          facilityName: a.body.facilityName,
          facilityCode: facility.code,
          organizationId: facility.organizationId,
          role: 'admin',
          active: true,
        },
      ],
      activeFacilityId: a.facilityId,
    });
  });

  it('needs a session: 401 without one, on every account route', async () => {
    const anon = new TestClient(t);
    for (const path of ['/api/me', '/api/facility', '/api/team', '/api/invitations']) {
      const res = await anon.get(path);
      expect(res.status, path).toBe(401);
      expect(res.json.error, path).toBe('unauthorized');
    }
    expect((await anon.post('/api/facilities', { name: 'x' })).status).toBe(401);
    expect((await anon.post('/api/me/active-facility', { facilityId: randomUUID() })).status).toBe(401);
  });
});

describe('GET /api/facility', () => {
  it('describes the active facility with the caller’s role there', async () => {
    const a = await signUp(t);
    const res = await a.client.get('/api/facility');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: a.facilityId,
      name: a.body.facilityName,
      code: a.me.memberships[0].facilityCode,
      timezone: 'UTC',
      photoRetentionDays: 90,
      reminderIntervalHours: 24,
      signatureRequired: true,
      // No notification leaves at night unless the admin says otherwise.
      quietHours: { start: '20:00', end: '07:00' },
      notificationDefaults: { email: true, sms: false },
      holdNoteInNotifications: false,
      // AI is on by default, but this server has no ANTHROPIC_API_KEY: the AI path is not available.
      aiEnabled: true,
      ai: { enabled: false },
      settingsReviewedAt: null,
      active: true,
      organizationId: a.me.organizations[0].id,
      organizationName: a.body.organizationName,
      role: 'admin',
      isOrganizationOwner: true,
      pickupKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });
});

describe('POST /api/facilities', () => {
  it('creates a facility in the caller’s organization with its own code, trial and the creator as admin; it does not switch', async () => {
    const a = await signUp(t);
    const created = await a.client.post('/api/facilities', { name: 'Loading Dock', timezone: 'Europe/Berlin' });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), name: 'Loading Dock', code: expect.any(String), timezone: 'Europe/Berlin' });
    expect(created.json.code).toMatch(/^LOA-[A-Z0-9]{4}$/);
    expect(created.json.code).toMatch(FACILITY_CODE_PATTERN);

    const row = await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: created.json.id }, include: { subscription: true } });
    expect(row.organizationId).toBe(a.me.organizations[0].id);
    expect(row.subscription?.status).toBe('trialing');
    expect(row.subscription!.trialEndsAt.getTime()).toBeGreaterThan(Date.now());

    const me = await a.client.get('/api/me');
    expect(
      me.json.memberships.map((m: { facilityId: string; facilityName: string; facilityCode: string; role: string }) => [
        m.facilityId,
        m.facilityName,
        m.facilityCode,
        m.role,
      ]),
    ).toEqual([
      [a.facilityId, a.body.facilityName, a.me.memberships[0].facilityCode, 'admin'],
      [created.json.id, 'Loading Dock', created.json.code, 'admin'],
    ]);
    expect(me.json.organizations).toHaveLength(1);
    expect(me.json.activeFacilityId).toBe(a.facilityId);
  });

  it('gives every facility a unique code, even for the same name', async () => {
    const a = await signUp(t, { facilityName: 'Same Name' });
    const codes = new Set<string>([a.me.memberships[0].facilityCode]);
    for (let i = 0; i < 8; i++) {
      const res = await a.client.post('/api/facilities', { name: 'Same Name' });
      expect(res.status).toBe(201);
      expect(res.json.code).toMatch(/^SAM-/);
      codes.add(res.json.code);
    }
    expect(codes.size).toBe(9);
  });

  it.each([
    ['an empty name', { name: '  ' }],
    ['an unknown field', { name: 'X', organizationId: randomUUID() }],
    ['no name', {}],
  ])('refuses %s with 400', async (_name, body) => {
    const a = await signUp(t);
    const res = await a.client.post('/api/facilities', body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
    expect(await t.deps.db.prisma.facility.count({ where: { organizationId: a.me.organizations[0].id } })).toBe(1);
  });

  it('lets an invited (non-owner) admin open a facility in that facility’s organization', async () => {
    const owner = await signUp(t);
    const { client } = await joinAs(t, owner, 'admin');
    const res = await client.post('/api/facilities', { name: 'Colleague Desk' });
    expect(res.status).toBe(201);
    const row = await t.deps.db.prisma.facility.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(row.organizationId).toBe(owner.me.organizations[0].id);
  });
});

describe('the active facility', () => {
  it('switches with POST /api/me/active-facility; GET /api/facility, the team and invitations follow', async () => {
    const a = await signUp(t);
    const created = await a.client.post('/api/facilities', { name: 'Loading Dock' });
    const { email: courier } = await joinAs(t, a, 'courier');

    const switched = await a.client.post('/api/me/active-facility', { facilityId: created.json.id });
    expect(switched.status).toBe(200);
    expect(switched.json).toEqual({ activeFacilityId: created.json.id });
    expect((await a.client.get('/api/me')).json.activeFacilityId).toBe(created.json.id);
    expect((await a.client.get('/api/facility')).json).toMatchObject({
      id: created.json.id,
      code: created.json.code,
      name: 'Loading Dock',
    });
    expect((await a.client.get('/api/team')).json.members.map((m: { email: string }) => m.email)).toEqual([a.body.email]);

    expect((await a.client.post('/api/me/active-facility', { facilityId: a.facilityId })).status).toBe(200);
    expect((await a.client.get('/api/facility')).json.id).toBe(a.facilityId);
    expect((await a.client.get('/api/team')).json.members.map((m: { email: string }) => m.email)).toEqual([a.body.email, courier]);
  });

  it('is kept in the server-side session: the same cookie in another client sees it', async () => {
    const a = await signUp(t);
    const created = await a.client.post('/api/facilities', { name: 'Back Office' });
    expect((await a.client.post('/api/me/active-facility', { facilityId: created.json.id })).status).toBe(200);

    const sameCookie = new TestClient(t);
    sameCookie.cookies = new Map(a.client.cookies);
    expect((await sameCookie.get('/api/me')).json.activeFacilityId).toBe(created.json.id);
    expect((await sameCookie.get('/api/facility')).json.id).toBe(created.json.id);
    const session = await t.deps.db.prisma.session.findUniqueOrThrow({ where: { id: a.client.cookies.get(SESSION_COOKIE)! } });
    expect(session.activeFacilityId).toBe(created.json.id);
    // Another session of the same user keeps its own choice.
    const other = new TestClient(t);
    expect((await other.post('/api/auth/login', { email: a.body.email, password: a.body.password })).status).toBe(200);
    expect((await other.get('/api/me')).json.activeFacilityId).toBe(a.facilityId);
  });

  it('refuses a facility without a membership (404) and keeps the current one', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const res = await a.client.post('/api/me/active-facility', { facilityId: b.facilityId });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('not_found');
    expect((await a.client.get('/api/me')).json.activeFacilityId).toBe(a.facilityId);
    expect((await a.client.post('/api/me/active-facility', { facilityId: randomUUID() })).status).toBe(404);
    expect((await a.client.post('/api/me/active-facility', { facilityId: 'nope' })).status).toBe(400);
    expect((await a.client.get('/api/facility')).json.id).toBe(a.facilityId);
  });

  it('shows the role of the facility switched to', async () => {
    const owner = await signUp(t);
    const other = await signUp(t);
    const inv = await owner.client.post('/api/invitations', { email: other.body.email, role: 'viewer', facilityId: owner.facilityId });
    expect((await other.client.post(`/api/invitations/${inv.json.token}/accept`, {})).status).toBe(200);
    expect((await other.client.get('/api/facility')).json).toMatchObject({
      id: owner.facilityId,
      role: 'viewer',
      isOrganizationOwner: false,
    });
    expect((await other.client.get('/api/team')).status).toBe(403);
    expect((await other.client.post('/api/me/active-facility', { facilityId: other.facilityId })).status).toBe(200);
    expect((await other.client.get('/api/facility')).json).toMatchObject({
      id: other.facilityId,
      role: 'admin',
      isOrganizationOwner: true,
    });
    expect((await other.client.get('/api/team')).status).toBe(200);
  });
});

describe('roles', () => {
  it.each(['operator', 'courier', 'viewer'])('the %s role cannot create facilities, see the team or invite (403)', async (role) => {
    const admin = await signUp(t);
    const { client } = await joinAs(t, admin, role);
    expect((await client.get('/api/facility')).json.role).toBe(role);
    const create = await client.post('/api/facilities', { name: 'Nope' });
    expect(create.status).toBe(403);
    expect(create.json.error).toBe('forbidden');
    expect(await t.deps.db.prisma.facility.count({ where: { name: 'Nope', organizationId: admin.me.organizations[0].id } })).toBe(0);
    expect((await client.get('/api/team')).status).toBe(403);
    const inv = await client.post('/api/invitations', {
      email: `x-${randomUUID()}@example.test`,
      role: 'admin',
      facilityId: admin.facilityId,
    });
    expect(inv.status).toBe(403);
  });

  it('an admin sees the team with names, emails, roles and last activity, in joining order', async () => {
    const admin = await signUp(t);
    const courier = await joinAs(t, admin, 'courier');
    const viewer = await joinAs(t, admin, 'viewer');
    const team = await admin.client.get('/api/team');
    expect(team.status).toBe(200);
    expect(team.json).toEqual({
      members: [
        { userId: admin.userId, name: admin.body.name, email: admin.body.email, role: 'admin', lastActiveAt: null },
        { userId: courier.userId, name: 'New courier', email: courier.email, role: 'courier', lastActiveAt: null },
        { userId: viewer.userId, name: 'New viewer', email: viewer.email, role: 'viewer', lastActiveAt: null },
      ],
    });
  });
});
