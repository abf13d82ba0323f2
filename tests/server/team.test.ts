// Running a facility's team (http-api.md "Team"): no second invitation to the same person, role
// changes and removals (a removed member's sessions there end at once), the last admin stays,
// resending (the old link dies) and revoking invitations, and each member's last activity.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const freshEmail = () => `mate-${randomUUID()}@example.test`;
const patchRole = (c: TestClient, userId: string, role: unknown) => c.request('PATCH', `/api/team/${userId}`, { role });
const remove = (c: TestClient, userId: string) => c.request('DELETE', `/api/team/${userId}`);
const roleOf = async (facilityId: string, userId: string) =>
  (await t.deps.db.prisma.membership.findUnique({ where: { userId_facilityId: { userId, facilityId } } }))?.role ?? null;

describe('inviting twice', () => {
  it('refuses an address with an open invitation (409 already_invited, naming it) and an existing member (409 already_member)', async () => {
    const admin = await signUp(t);
    const email = freshEmail();
    const first = await admin.client.post('/api/invitations', { email, role: 'operator', facilityId: admin.facilityId });
    expect(first.status).toBe(201);
    const again = await admin.client.post('/api/invitations', { email: email.toUpperCase(), role: 'viewer', facilityId: admin.facilityId });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: 'already_invited', invitationId: first.json.id, message: expect.stringMatching(/resend/i) });
    expect(await t.deps.db.prisma.invitation.count({ where: { email } })).toBe(1);

    const member = await joinAs(t, admin, 'courier');
    const res = await admin.client.post('/api/invitations', { email: member.email, role: 'viewer', facilityId: admin.facilityId });
    expect(res.status).toBe(409);
    expect(res.json.error).toBe('already_member');
    // The admin themself is a member too.
    const self = await admin.client.post('/api/invitations', { email: admin.body.email, role: 'viewer', facilityId: admin.facilityId });
    expect(self.json.error).toBe('already_member');
  });

  it('still invites the same address to another facility, and again once the invitation was revoked', async () => {
    const admin = await signUp(t);
    const second = await admin.client.post('/api/facilities', { name: 'Annex' });
    const email = freshEmail();
    const one = await admin.client.post('/api/invitations', { email, role: 'operator', facilityId: admin.facilityId });
    expect((await admin.client.post('/api/invitations', { email, role: 'operator', facilityId: second.json.id })).status).toBe(201);
    expect((await admin.client.request('DELETE', `/api/invitations/${one.json.id}`)).status).toBe(204);
    expect((await admin.client.post('/api/invitations', { email, role: 'operator', facilityId: admin.facilityId })).status).toBe(201);
  });
});

describe('changing a role', () => {
  it('takes effect on the member’s next request', async () => {
    const admin = await signUp(t);
    const op = await joinAs(t, admin, 'operator');
    expect((await op.client.get('/api/facility')).json.role).toBe('operator');
    const res = await patchRole(admin.client, op.userId, 'viewer');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ userId: op.userId, role: 'viewer' });
    expect(await roleOf(admin.facilityId, op.userId)).toBe('viewer');
    const after = await op.client.get('/api/facility');
    expect(after.json.role).toBe('viewer');
    expect(after.json).not.toHaveProperty('pickupKey');
    // Made admin, they may read the team.
    expect((await op.client.get('/api/team')).status).toBe(403);
    expect((await patchRole(admin.client, op.userId, 'admin')).status).toBe(200);
    expect((await op.client.get('/api/team')).status).toBe(200);
  });

  it.each(['operator', 'courier', 'viewer'])('is refused to a %s (403), who cannot remove anyone either', async (role) => {
    const admin = await signUp(t);
    const m = await joinAs(t, admin, role);
    const other = await joinAs(t, admin, 'viewer');
    expect((await patchRole(m.client, other.userId, 'admin')).json.error).toBe('forbidden');
    expect((await patchRole(m.client, m.userId, 'admin')).status).toBe(403);
    expect((await remove(m.client, other.userId)).status).toBe(403);
    expect(await roleOf(admin.facilityId, other.userId)).toBe('viewer');
    expect(await roleOf(admin.facilityId, m.userId)).toBe(role);
  });

  it('answers 404 for someone who is not a member of the active facility', async () => {
    const admin = await signUp(t);
    const stranger = await signUp(t);
    expect((await patchRole(admin.client, stranger.userId, 'viewer')).status).toBe(404);
    expect((await remove(admin.client, stranger.userId)).status).toBe(404);
    expect((await patchRole(admin.client, randomUUID(), 'viewer')).json.error).toBe('not_found');
  });

  it.each([
    ['an unknown role', { role: 'owner' }],
    ['no role', {}],
    ['an extra field', { role: 'viewer', facilityId: randomUUID() }],
    ['a list', ['viewer']],
  ])('refuses %s (400)', async (_what, body) => {
    const admin = await signUp(t);
    const op = await joinAs(t, admin, 'operator');
    const res = await admin.client.request('PATCH', `/api/team/${op.userId}`, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
    expect(await roleOf(admin.facilityId, op.userId)).toBe('operator');
  });

  it('refuses a user id that is not a uuid (400), and a broken JSON body (400)', async () => {
    const admin = await signUp(t);
    expect((await patchRole(admin.client, 'not-a-uuid', 'viewer')).status).toBe(400);
    expect((await remove(admin.client, "1' OR '1'='1")).status).toBe(400);
    const res = await admin.client.request('PATCH', `/api/team/${admin.userId}`, '{"role":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
  });
});

describe('the last admin', () => {
  it('cannot demote or remove themselves (409 last_admin)', async () => {
    const admin = await signUp(t);
    for (const role of ['operator', 'courier', 'viewer']) {
      const res = await patchRole(admin.client, admin.userId, role);
      expect(res.status).toBe(409);
      expect(res.json).toEqual({ error: 'last_admin', message: expect.stringMatching(/at least one admin/) });
    }
    expect((await remove(admin.client, admin.userId)).json.error).toBe('last_admin');
    expect(await roleOf(admin.facilityId, admin.userId)).toBe('admin');
    // Keeping the admin role is no change and allowed.
    expect((await patchRole(admin.client, admin.userId, 'admin')).status).toBe(200);
  });

  it('cannot be demoted or removed by another admin once they are the last one', async () => {
    const owner = await signUp(t);
    const other = await joinAs(t, owner, 'admin');
    // Two admins: the owner steps down…
    expect((await patchRole(owner.client, owner.userId, 'operator')).status).toBe(200);
    // …and now `other` is the last admin, whom nobody can demote or remove.
    expect((await patchRole(other.client, other.userId, 'viewer')).json.error).toBe('last_admin');
    expect((await remove(other.client, other.userId)).json.error).toBe('last_admin');
    expect(await roleOf(owner.facilityId, other.userId)).toBe('admin');
  });

  it('holds when two admins demote each other at the same moment: one admin remains', async () => {
    const a = await signUp(t);
    const b = await joinAs(t, a, 'admin');
    const [x, y] = await Promise.all([patchRole(a.client, b.userId, 'viewer'), patchRole(b.client, a.userId, 'viewer')]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const admins = await t.deps.db.prisma.membership.count({ where: { facilityId: a.facilityId, role: 'admin' } });
    expect(admins).toBe(1);
  });
});

describe('removing a member', () => {
  it('ends their sessions working in the facility at once (401), leaves other members alone, and they no longer appear', async () => {
    const admin = await signUp(t);
    const op = await joinAs(t, admin, 'operator');
    const secondDevice = new TestClient(t);
    expect((await secondDevice.post('/api/auth/login', { email: op.email, password: op.password })).status).toBe(200);
    const viewer = await joinAs(t, admin, 'viewer');
    expect((await op.client.get('/api/facility')).status).toBe(200);

    expect((await remove(admin.client, op.userId)).status).toBe(204);
    expect(await roleOf(admin.facilityId, op.userId)).toBeNull();
    for (const c of [op.client, secondDevice]) {
      expect((await c.get('/api/facility')).status).toBe(401);
      const push = await new Device(c, admin.facilityId).push([mutation(1, 'package.receive', receiveArgs())]);
      expect(push.status).toBe(401);
    }
    expect(await t.deps.db.prisma.session.count({ where: { userId: op.userId } })).toBe(0);
    expect((await viewer.client.get('/api/facility')).status).toBe(200);
    const team = await admin.client.get('/api/team');
    expect(team.json.members.map((m: { userId: string }) => m.userId).sort()).toEqual([admin.userId, viewer.userId].sort());
    // Signing in again finds no membership in that facility.
    const back = new TestClient(t);
    expect((await back.post('/api/auth/login', { email: op.email, password: op.password })).status).toBe(200);
    expect((await back.get('/api/me')).json.memberships).toEqual([]);
    expect((await back.get('/api/facility')).status).toBeGreaterThanOrEqual(400);
  });

  it('keeps their sessions in another facility of theirs', async () => {
    const admin = await signUp(t);
    const second = await admin.client.post('/api/facilities', { name: 'Second Desk' });
    const m = await joinAs(t, admin, 'operator');
    const inv = await admin.client.post('/api/invitations', { email: m.email, role: 'viewer', facilityId: second.json.id });
    expect((await m.client.post(`/api/invitations/${inv.json.token}/accept`, {})).status).toBe(200);
    expect((await m.client.get('/api/facility')).json.id).toBe(second.json.id);

    expect((await remove(admin.client, m.userId)).status).toBe(204);
    expect((await m.client.get('/api/facility')).json.id).toBe(second.json.id);
  });
});

describe('last activity', () => {
  it('is the latest push of the member’s devices in this facility, null before any', async () => {
    const admin = await signUp(t);
    const op = await joinAs(t, admin, 'operator');
    let team = await admin.client.get('/api/team');
    expect(team.json.members.every((m: { lastActiveAt: unknown }) => m.lastActiveAt === null)).toBe(true);
    const before = Date.now();
    const pushed = await new Device(op.client, admin.facilityId).push([mutation(1, 'package.receive', receiveArgs())]);
    expect(pushed.status).toBe(200);
    team = await admin.client.get('/api/team');
    const row = team.json.members.find((m: { userId: string }) => m.userId === op.userId);
    expect(new Date(row.lastActiveAt).getTime()).toBeGreaterThanOrEqual(before - 5_000);
    expect(team.json.members.find((m: { userId: string }) => m.userId === admin.userId).lastActiveAt).toBeNull();
  });
});

describe('resending and revoking invitations', () => {
  it('resend gives a new link and expiry, emails it, and the old link no longer works', async () => {
    const admin = await signUp(t);
    const email = freshEmail();
    const inv = await admin.client.post('/api/invitations', { email, role: 'operator', facilityId: admin.facilityId });
    await t.deps.db.prisma.invitation.update({ where: { id: inv.json.id }, data: { expiresAt: new Date(Date.now() + 3600_000) } });

    const res = await admin.client.post(`/api/invitations/${inv.json.id}/resend`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: inv.json.id, expiresAt: expect.any(String), token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(res.json.token).not.toBe(inv.json.token);
    expect(new Date(res.json.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    const mails = t.mailer.sent.filter((m) => m.to === email);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.text).toContain(`/invite/${res.json.token}`);

    const anon = new TestClient(t);
    expect((await anon.get(`/api/invitations/${inv.json.token}`)).status).toBe(404);
    const old = await anon.post(`/api/invitations/${inv.json.token}/accept`, {
      name: 'Late',
      password: 'long enough pw',
      ageConfirmed: true,
    });
    expect(old.status).toBe(404);
    expect((await anon.get(`/api/invitations/${res.json.token}`)).json.email).toBe(email);
    expect(
      (await anon.post(`/api/invitations/${res.json.token}/accept`, { name: 'On time', password: 'long enough pw', ageConfirmed: true }))
        .status,
    ).toBe(200);
    // Accepted: nothing left to resend or revoke.
    expect((await admin.client.post(`/api/invitations/${inv.json.id}/resend`)).status).toBe(404);
    expect((await admin.client.request('DELETE', `/api/invitations/${inv.json.id}`)).status).toBe(404);
  });

  it('resend revives an expired invitation', async () => {
    const admin = await signUp(t);
    const inv = await admin.client.post('/api/invitations', { email: freshEmail(), role: 'viewer', facilityId: admin.facilityId });
    await t.deps.db.prisma.invitation.update({ where: { id: inv.json.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await admin.client.get('/api/invitations')).json.invitations).toEqual([]);
    const res = await admin.client.post(`/api/invitations/${inv.json.id}/resend`);
    expect(res.status).toBe(200);
    expect((await admin.client.get('/api/invitations')).json.invitations.map((i: { id: string }) => i.id)).toEqual([inv.json.id]);
  });

  it('revoke withdraws the invitation: its link is dead and it is no longer listed', async () => {
    const admin = await signUp(t);
    const inv = await admin.client.post('/api/invitations', { email: freshEmail(), role: 'viewer', facilityId: admin.facilityId });
    expect((await admin.client.request('DELETE', `/api/invitations/${inv.json.id}`)).status).toBe(204);
    expect((await new TestClient(t).get(`/api/invitations/${inv.json.token}`)).status).toBe(404);
    expect((await admin.client.get('/api/invitations')).json.invitations).toEqual([]);
    expect((await admin.client.request('DELETE', `/api/invitations/${inv.json.id}`)).status).toBe(404);
  });

  it.each(['operator', 'courier', 'viewer'])('is refused to a %s (403)', async (role) => {
    const admin = await signUp(t);
    const m = await joinAs(t, admin, role);
    const inv = await admin.client.post('/api/invitations', { email: freshEmail(), role: 'viewer', facilityId: admin.facilityId });
    expect((await m.client.post(`/api/invitations/${inv.json.id}/resend`)).status).toBe(403);
    expect((await m.client.request('DELETE', `/api/invitations/${inv.json.id}`)).status).toBe(403);
    expect(await t.deps.db.prisma.invitation.count({ where: { id: inv.json.id } })).toBe(1);
  });

  it('refuses junk ids (400) and unknown ones (404)', async () => {
    const admin = await signUp(t);
    expect((await admin.client.post('/api/invitations/not-a-uuid/resend')).status).toBe(400);
    expect((await admin.client.request('DELETE', '/api/invitations/%00')).status).toBe(400);
    expect((await admin.client.post(`/api/invitations/${randomUUID()}/resend`)).json.error).toBe('not_found');
    expect((await admin.client.request('DELETE', `/api/invitations/${randomUUID()}`)).status).toBe(404);
  });
});
