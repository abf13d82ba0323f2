// Invitations (http-api.md "Accounts and sessions"): an admin invites by email with a role; the
// invitee opens the link, and joins as a new account (name, password, 18+) or, signed in, as the
// existing account the invitation was sent to. Tokens are single-use, expire, and are stored hashed.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVITATION_TTL_DAYS } from '../../src/lib/domain/account.ts';
import type { Email, Mailer } from '../../sync-server/src/mail/mailer.ts';
import { ORIGIN, TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const newcomer = { name: 'Nia New', password: 'long enough pw', ageConfirmed: true };
const freshEmail = (tag = 'new') => `${tag}-${randomUUID()}@example.test`;

async function invite(admin: Awaited<ReturnType<typeof signUp>>, role = 'operator', email = freshEmail(), facilityId = admin.facilityId) {
  const res = await admin.client.post('/api/invitations', { email, role, facilityId });
  expect(res.status, res.text).toBe(201);
  return { id: res.json.id as string, token: res.json.token as string, email };
}

describe('inviting', () => {
  it('answers 201 with the token (no mail provider), emails the link, and stores only the token’s hash', async () => {
    const admin = await signUp(t);
    const email = freshEmail();
    const res = await admin.client.post('/api/invitations', { email: email.toUpperCase(), role: 'courier', facilityId: admin.facilityId });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(['id', 'token']);
    expect(res.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const mails = t.mailer.sent.filter((m) => m.to === email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain(admin.body.facilityName);
    expect(mails[0]!.text).toContain(`${ORIGIN}/invite/${res.json.token}`);
    expect(mails[0]!.text).toContain(admin.body.organizationName);

    const row = await t.deps.db.prisma.invitation.findUniqueOrThrow({ where: { id: res.json.id } });
    expect(row).toMatchObject({
      email,
      role: 'courier',
      facilityId: admin.facilityId,
      organizationId: admin.me.organizations[0].id,
      invitedById: admin.userId,
      acceptedAt: null,
    });
    expect(row.tokenHash).toBe(createHash('sha256').update(res.json.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(res.json.token);
    const days = (row.expiresAt.getTime() - Date.now()) / (24 * 3600 * 1000);
    expect(days).toBeGreaterThan(INVITATION_TTL_DAYS - 0.01);
    expect(days).toBeLessThanOrEqual(INVITATION_TTL_DAYS);
  });

  it('keeps the token out of the answer when mail really leaves the server', async () => {
    const admin = await signUp(t);
    const delivered: Email[] = [];
    const original = t.deps.mailer;
    t.deps.mailer = { delivers: true, send: async (m) => void delivered.push(m) } satisfies Mailer;
    try {
      const email = freshEmail();
      const res = await admin.client.post('/api/invitations', { email, role: 'viewer', facilityId: admin.facilityId });
      expect(res.status).toBe(201);
      expect(Object.keys(res.json)).toEqual(['id']);
      expect(delivered).toHaveLength(1);
      expect(delivered[0]!.text).toMatch(new RegExp(`${ORIGIN}/invite/[A-Za-z0-9_-]{43}`));
    } finally {
      t.deps.mailer = original;
    }
  });

  it('lists the open invitations of the active facility only', async () => {
    const admin = await signUp(t);
    const second = await admin.client.post('/api/facilities', { name: 'Annex' });
    const here = await invite(admin, 'operator');
    const there = await invite(admin, 'viewer', freshEmail(), second.json.id);

    const list = await admin.client.get('/api/invitations');
    expect(list.status).toBe(200);
    expect(list.json.invitations).toEqual([{ id: here.id, email: here.email, role: 'operator', expiresAt: expect.any(String) }]);
    expect(new Date(list.json.invitations[0].expiresAt).getTime()).toBeGreaterThan(Date.now());

    expect((await admin.client.post('/api/me/active-facility', { facilityId: second.json.id })).status).toBe(200);
    expect((await admin.client.get('/api/invitations')).json.invitations.map((i: { id: string }) => i.id)).toEqual([there.id]);
  });

  it.each(['operator', 'courier', 'viewer'])('refuses a %s (403): no invitation, no email; nor may they list invitations', async (role) => {
    const admin = await signUp(t);
    const { client } = await joinAs(t, admin, role);
    const email = freshEmail('nope');
    const res = await client.post('/api/invitations', { email, role: 'viewer', facilityId: admin.facilityId });
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('forbidden');
    expect(t.mailer.sent.some((m) => m.to === email)).toBe(false);
    expect(await t.deps.db.prisma.invitation.count({ where: { email } })).toBe(0);
    expect((await client.get('/api/invitations')).status).toBe(403);
  });

  it('refuses (404) a facility of another organization, and one of the same organization without a membership', async () => {
    const admin = await signUp(t);
    const other = await signUp(t);
    const foreign = await admin.client.post('/api/invitations', { email: freshEmail(), role: 'admin', facilityId: other.facilityId });
    expect(foreign.status).toBe(404);
    expect(foreign.json).toEqual({ error: 'not_found', message: expect.any(String) });

    // An invited admin of the first facility is not a member of a facility the owner opens later.
    const { client: colleague } = await joinAs(t, admin, 'admin');
    const later = await admin.client.post('/api/facilities', { name: 'Later Desk' });
    const res = await colleague.post('/api/invitations', { email: freshEmail(), role: 'viewer', facilityId: later.json.id });
    expect(res.status).toBe(404);
    // …but may invite into the facility they administer.
    expect((await colleague.post('/api/invitations', { email: freshEmail(), role: 'viewer', facilityId: admin.facilityId })).status).toBe(
      201,
    );
  });

  it.each([
    ['an unknown role', { role: 'owner' }],
    ['an invalid email', { email: 'not-an-email' }],
    ['a facility id that is not a uuid', { facilityId: 'abc' }],
    ['an unknown field', { organizationId: randomUUID() }],
  ])('refuses %s with 400 invalid_input', async (_name, override) => {
    const admin = await signUp(t);
    const res = await admin.client.post('/api/invitations', {
      email: freshEmail(),
      role: 'viewer',
      facilityId: admin.facilityId,
      ...override,
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
  });
});

describe('showing and accepting', () => {
  it('shows the invitation without a session, then joins a new person with the invited role, once', async () => {
    const admin = await signUp(t);
    const inv = await invite(admin, 'operator');
    const anon = new TestClient(t);
    const shown = await anon.get(`/api/invitations/${inv.token}`);
    expect(shown.status).toBe(200);
    expect(shown.json).toEqual({
      email: inv.email,
      organizationName: admin.body.organizationName,
      facilityName: admin.body.facilityName,
      role: 'operator',
      existingUser: false,
    });

    const ok = await anon.post(`/api/invitations/${inv.token}/accept`, newcomer);
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ facilityId: admin.facilityId });
    expect(ok.setCookies).toHaveLength(1);
    expect(ok.setCookies[0]).toMatch(/HttpOnly/i);
    const me = await anon.get('/api/me');
    expect(me.json.user).toEqual({ id: expect.any(String), name: newcomer.name, email: inv.email, emailOptOut: false });
    expect(me.json.memberships).toEqual([expect.objectContaining({ facilityId: admin.facilityId, role: 'operator' })]);
    expect(me.json.activeFacilityId).toBe(admin.facilityId);
    expect(me.json.organizations).toEqual([{ id: admin.me.organizations[0].id, name: admin.body.organizationName, isOwner: false }]);
    expect((await anon.get('/api/facility')).json).toMatchObject({ id: admin.facilityId, role: 'operator', isOrganizationOwner: false });
    // The password they chose signs them in.
    expect((await new TestClient(t).post('/api/auth/login', { email: inv.email, password: newcomer.password })).status).toBe(200);
    // The admin's team shows them.
    const team = await admin.client.get('/api/team');
    expect(team.json.members.map((m: { email: string; role: string }) => [m.email, m.role])).toContainEqual([inv.email, 'operator']);

    // Used once only: neither shown nor accepted again, and no longer listed.
    expect((await new TestClient(t).get(`/api/invitations/${inv.token}`)).status).toBe(404);
    const again = await new TestClient(t).post(`/api/invitations/${inv.token}/accept`, { ...newcomer, name: 'Again' });
    expect(again.status).toBe(404);
    expect(again.setCookies).toEqual([]);
    expect((await admin.client.get('/api/invitations')).json.invitations).toEqual([]);
    expect(await t.deps.db.prisma.user.count({ where: { email: inv.email } })).toBe(1);
  });

  it.each([
    ['no age confirmation', { name: 'Nia', password: 'long enough pw' }],
    ['age not confirmed', { name: 'Nia', password: 'long enough pw', ageConfirmed: false }],
    ['a short password', { name: 'Nia', password: 'short', ageConfirmed: true }],
    ['no name', { name: ' ', password: 'long enough pw', ageConfirmed: true }],
  ])('refuses %s with 400 and leaves the invitation usable', async (_name, body) => {
    const admin = await signUp(t);
    const inv = await invite(admin);
    const res = await new TestClient(t).post(`/api/invitations/${inv.token}/accept`, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
    expect(res.setCookies).toEqual([]);
    expect(await t.deps.db.prisma.user.count({ where: { email: inv.email } })).toBe(0);
    expect((await new TestClient(t).post(`/api/invitations/${inv.token}/accept`, newcomer)).status).toBe(200);
  });

  it('joins a signed-in existing user with an empty body; they keep their own facility', async () => {
    const admin = await signUp(t);
    const other = await signUp(t);
    const inv = await invite(admin, 'viewer', other.body.email);
    expect((await new TestClient(t).get(`/api/invitations/${inv.token}`)).json.existingUser).toBe(true);

    // Not signed in and no account details: 401, invitation not used.
    const stranger = await new TestClient(t).post(`/api/invitations/${inv.token}/accept`, {});
    expect(stranger.status).toBe(401);

    const res = await other.client.post(`/api/invitations/${inv.token}/accept`, {});
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ facilityId: admin.facilityId });
    const me = await other.client.get('/api/me');
    expect(me.json.memberships.map((m: { facilityId: string; role: string }) => [m.facilityId, m.role])).toEqual([
      [other.facilityId, 'admin'],
      [admin.facilityId, 'viewer'],
    ]);
    expect(me.json.activeFacilityId).toBe(admin.facilityId);
    expect(me.json.organizations.map((o: { name: string; isOwner: boolean }) => [o.name, o.isOwner])).toEqual([
      [other.body.organizationName, true],
      [admin.body.organizationName, false],
    ]);
    // Switching back to their own facility still works.
    expect((await other.client.post('/api/me/active-facility', { facilityId: other.facilityId })).status).toBe(200);
  });

  it('refuses a signed-in account whose email is not the invited one (a forwarded link), and leaves the invitation open', async () => {
    const admin = await signUp(t);
    const invitee = await signUp(t);
    const bystander = await signUp(t);
    const inv = await invite(admin, 'operator', invitee.body.email);

    const res = await bystander.client.post(`/api/invitations/${inv.token}/accept`, {});
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('wrong_account');
    expect(res.setCookies).toEqual([]);
    const me = await bystander.client.get('/api/me');
    expect(me.json.memberships.map((m: { facilityId: string }) => m.facilityId)).toEqual([bystander.facilityId]);
    expect(me.json.activeFacilityId).toBe(bystander.facilityId);
    expect((await admin.client.get('/api/invitations')).json.invitations.map((i: { id: string }) => i.id)).toEqual([inv.id]);

    expect((await invitee.client.post(`/api/invitations/${inv.token}/accept`, {})).status).toBe(200);
  });

  it('refuses a new account for an email that has one (409), without using up the invitation', async () => {
    const admin = await signUp(t);
    const existing = await signUp(t);
    const inv = await invite(admin, 'operator', existing.body.email);
    const res = await new TestClient(t).post(`/api/invitations/${inv.token}/accept`, { ...newcomer, name: 'Imposter' });
    expect(res.status).toBe(409);
    expect(res.json.error).toBe('account_exists');
    expect(res.setCookies).toEqual([]);
    const user = await t.deps.db.prisma.user.findUniqueOrThrow({ where: { email: existing.body.email } });
    expect(user.name).toBe(existing.body.name);
    expect((await existing.client.post(`/api/invitations/${inv.token}/accept`, {})).status).toBe(200);
  });

  it('refuses an expired invitation (404) when shown and when accepted', async () => {
    const admin = await signUp(t);
    const inv = await invite(admin);
    await t.deps.db.prisma.invitation.update({ where: { id: inv.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await new TestClient(t).get(`/api/invitations/${inv.token}`)).status).toBe(404);
    const res = await new TestClient(t).post(`/api/invitations/${inv.token}/accept`, newcomer);
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('not_found');
    expect(await t.deps.db.prisma.user.count({ where: { email: inv.email } })).toBe(0);
    expect((await admin.client.get('/api/invitations')).json.invitations).toEqual([]);
  });

  it('refuses an invitation into a deactivated facility (404)', async () => {
    const admin = await signUp(t);
    const inv = await invite(admin);
    await t.deps.db.prisma.facility.update({ where: { id: admin.facilityId }, data: { active: false, deactivatedAt: new Date() } });
    expect((await new TestClient(t).get(`/api/invitations/${inv.token}`)).status).toBe(404);
    expect((await new TestClient(t).post(`/api/invitations/${inv.token}/accept`, newcomer)).status).toBe(404);
  });

  it('answers 404 for an unknown token and 400 for one of the wrong shape', async () => {
    expect((await new TestClient(t).get(`/api/invitations/${'a'.repeat(43)}`)).status).toBe(404);
    expect((await new TestClient(t).post(`/api/invitations/${'a'.repeat(43)}/accept`, newcomer)).status).toBe(404);
    expect((await new TestClient(t).get('/api/invitations/short')).status).toBe(400);
  });

  it('gives an invited admin the admin powers of that facility', async () => {
    const owner = await signUp(t);
    const { client, email } = await joinAs(t, owner, 'admin');
    const team = await client.get('/api/team');
    expect(team.status).toBe(200);
    expect(team.json.members.map((m: { email: string }) => m.email)).toEqual([owner.body.email, email]);
    expect((await client.post('/api/invitations', { email: freshEmail(), role: 'courier', facilityId: owner.facilityId })).status).toBe(
      201,
    );
  });
});

describe('an invitation for someone already in the facility', () => {
  it('is not sent (409 already_member), and one made before they joined does not change their role on accept', async () => {
    const t2 = await startTestApp();
    try {
      const owner = await signUp(t2);
      const inv = await owner.client.post('/api/invitations', { email: owner.body.email, role: 'viewer', facilityId: owner.facilityId });
      expect(inv.status).toBe(409);
      expect(inv.json.error).toBe('already_member');
      // An invitation still open from before (stored directly) cannot demote an admin.
      const token = 'x'.repeat(43);
      await t2.deps.db.prisma.invitation.create({
        data: {
          id: randomUUID(),
          organizationId: owner.me.organizations[0].id,
          facilityId: owner.facilityId,
          email: owner.body.email,
          role: 'viewer',
          tokenHash: createHash('sha256').update(token).digest('hex'),
          invitedById: owner.userId,
          expiresAt: new Date(Date.now() + 3600_000),
        },
      });
      expect((await owner.client.post(`/api/invitations/${token}/accept`, {})).status).toBe(200);
      const me = await owner.client.get('/api/me');
      expect(me.json.memberships.map((m: { role: string }) => m.role)).toEqual(['admin']);
    } finally {
      await t2.close();
    }
  });
});
