// Data rights of every user (privacy policy §8; http-api.md "Your own data"): correct the profile,
// export everything held about you (JSON and a zip of CSVs), delete the account with the password,
// and hand an organization over first when you own it.
import { randomUUID } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const login = (email: string, password: string) => new TestClient(t).post('/api/auth/login', { email, password });
const patch = (c: TestClient, body: unknown) => c.request('PATCH', '/api/me', body);
const del = (c: TestClient, body: unknown) => c.request('DELETE', '/api/me', body);

describe('PATCH /api/me', () => {
  it('corrects the name and the email switch; the email needs the current password and a free address', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const named = await patch(a.client, { name: '  Ada Corrected ' });
    expect(named.status).toBe(200);
    expect(named.json).toMatchObject({ id: a.userId, name: 'Ada Corrected', email: a.body.email, emailOptOut: false });
    expect((await a.client.get('/api/me')).json.user.name).toBe('Ada Corrected');

    const optOut = await patch(a.client, { emailOptOut: true });
    expect(optOut.json.emailOptOut).toBe(true);

    const newEmail = `  New-${randomUUID()}@Example.TEST `;
    const clean = newEmail.trim().toLowerCase();
    const noPassword = await patch(a.client, { email: newEmail });
    expect([noPassword.status, noPassword.json.error]).toEqual([400, 'password_required']);
    const wrong = await patch(a.client, { email: newEmail, currentPassword: 'not my password' });
    expect([wrong.status, wrong.json.error]).toEqual([403, 'invalid_credentials']);
    const taken = await patch(a.client, { email: b.body.email.toUpperCase(), currentPassword: a.body.password });
    expect([taken.status, taken.json.error]).toEqual([409, 'email_taken']);
    expect(taken.text).not.toContain(b.body.email);

    const moved = await patch(a.client, { email: newEmail, currentPassword: a.body.password });
    expect(moved.status).toBe(200);
    expect(moved.json.email).toBe(clean);
    expect((await login(clean, a.body.password)).status).toBe(200);
    expect((await login(a.body.email, a.body.password)).status).toBe(401);
    // The same address again is no change and needs no password.
    expect((await patch(a.client, { email: clean, name: 'Ada' })).status).toBe(200);
  });

  it('refuses junk with 400 and strangers with 401', async () => {
    const a = await signUp(t);
    for (const body of [
      {},
      { name: '' },
      { email: 'not an email', currentPassword: 'x' },
      { emailOptOut: 'yes' },
      { name: 'x', role: 'admin' },
      [],
    ]) {
      const res = await patch(a.client, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error).toBe('invalid_input');
    }
    expect((await patch(new TestClient(t), { name: 'Nobody' })).status).toBe(401);
  });
});

describe('GET /api/me/export', () => {
  it('holds the user’s profile, memberships, sessions, invitations, custody actions and directory record, and nothing secret', async () => {
    const a = await signUp(t);
    const second = new TestClient(t);
    expect((await second.post('/api/auth/login', { email: a.body.email, password: a.body.password })).status).toBe(200);
    const invited = `mate-${randomUUID()}@example.test`;
    expect((await a.client.post('/api/invitations', { email: invited, role: 'operator', facilityId: a.facilityId })).status).toBe(201);
    const device = new Device(a.client, a.facilityId);
    const recipientId = randomUUID();
    const p = receiveArgs({ recipientId, recipientName: 'Me Myself', trackingNumber: '1Z999AA10123456784' });
    const pushed = await device.push([
      mutation(1, 'recipient.upsert', { id: recipientId, name: 'Me Myself', email: a.body.email.toUpperCase() }),
      mutation(2, 'package.receive', p),
    ]);
    expect(pushed.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    // Someone else's package in the same facility: never in A's export.
    const op = await joinAs(t, a, 'operator');
    const opDevice = new Device(op.client, a.facilityId);
    const theirs = receiveArgs({ trackingNumber: 'OTHERPERSON000001' });
    expect((await opDevice.push([mutation(1, 'package.receive', theirs)])).json.results[0].status).toBe('applied');

    const res = await a.client.get('/api/me/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="packagetrack-my-data-\d{4}-\d\d-\d\d\.json"/);
    const data = res.json;
    expect(data.profile).toMatchObject({ id: a.userId, name: a.body.name, email: a.body.email, emailOptOut: false });
    expect(data.organizationsOwned).toEqual([{ id: a.me.organizations[0].id, name: a.body.organizationName }]);
    expect(data.memberships).toEqual([
      expect.objectContaining({
        facilityId: a.facilityId,
        facilityName: a.body.facilityName,
        organizationName: a.body.organizationName,
        role: 'admin',
      }),
    ]);
    expect(data.sessions).toHaveLength(2);
    expect(data.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(data.invitationsSent.map((i: { email: string }) => i.email)).toContain(invited);
    expect(data.custodyActions).toEqual([
      expect.objectContaining({ type: 'received', trackingNumber: '1Z999AA10123456784', facilityName: a.body.facilityName }),
    ]);
    // Their changes to the facility: the invitations they sent (two: the mate, and the operator) and the person they added.
    expect(data.facilityChanges.map((c: { type: string; subjectType: string }) => [c.type, c.subjectType])).toEqual([
      ['member_invited', 'invitation'],
      ['recipient_created', 'recipient'],
      ['member_invited', 'invitation'],
    ]);
    expect(data.facilityChanges[0]).toMatchObject({ facilityName: a.body.facilityName, at: expect.stringMatching(/Z$/) });
    expect(data.recipientRecords).toEqual([expect.objectContaining({ name: 'Me Myself', facilityName: a.body.facilityName })]);
    expect(data.notifications).toEqual([]);

    // No token, hash or other person's data anywhere in it (the invitation A sent the operator is A's own record).
    const sessionIds = [...a.client.cookies.values(), ...second.cookies.values()];
    for (const secret of [...sessionIds, 'passwordHash', '$2b$', 'tokenHash', 'OTHERPERSON000001', op.userId, theirs.id]) {
      expect(res.text.includes(secret), secret).toBe(false);
    }
  });

  it('?format=csv is a zip of one CSV per section, with a BOM and neutralised formulas', async () => {
    const a = await signUp(t, { name: '=HYPERLINK("http://evil.test")' });
    const res = await t.app.request('http://localhost/api/me/export?format=csv', {
      headers: { cookie: [...a.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(
      [
        'custody-actions.csv',
        'directory-records.csv',
        'facility-changes.csv',
        'invitations-sent.csv',
        'memberships.csv',
        'notifications.csv',
        'organizations-owned.csv',
        'profile.csv',
        'sessions.csv',
      ].sort(),
    );
    const profile = strFromU8(files['profile.csv']!);
    expect([...files['profile.csv']!.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM (TextDecoder drops it below)
    expect(profile.startsWith('id,name,email,emailOptOut,emailVerifiedAt,createdAt\r\n')).toBe(true);
    expect(profile).toContain(`,${a.body.email},`);
    expect(profile).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(strFromU8(files['custody-actions.csv']!)).toBe('type,at,trackingNumber,carrier,facilityName\r\n');
  });

  it('refuses junk with 400 and strangers with 401', async () => {
    const a = await signUp(t);
    expect((await a.client.get('/api/me/export?format=xlsx')).status).toBe(400);
    expect((await a.client.get('/api/me/export?userId=x')).status).toBe(400);
    expect((await new TestClient(t).get('/api/me/export')).status).toBe(401);
  });
});

describe('DELETE /api/me', () => {
  it('needs the password, ends every session, erases the account and keeps past actions as "Former member"', async () => {
    const a = await signUp(t);
    const op = await joinAs(t, a, 'operator');
    const phone = new TestClient(t);
    expect((await phone.post('/api/auth/login', { email: op.email, password: op.password })).status).toBe(200);
    const device = new Device(op.client, a.facilityId);
    const p = receiveArgs({ trackingNumber: 'LOGGEDBYOPERATOR1' });
    expect((await device.push([mutation(1, 'package.receive', p)])).json.results[0].status).toBe('applied');

    const wrong = await del(op.client, { password: 'not the password' });
    expect([wrong.status, wrong.json.error]).toEqual([403, 'invalid_credentials']);
    expect((await op.client.get('/api/me')).status).toBe(200);
    expect((await del(op.client, {})).status).toBe(400);

    const gone = await del(op.client, { password: op.password });
    expect(gone.status).toBe(204);
    expect(gone.setCookies.join()).toMatch(/ptp_session=;|Max-Age=0/i);
    expect((await op.client.get('/api/me')).status).toBe(401);
    expect((await phone.get('/api/me')).status).toBe(401);
    expect((await login(op.email, op.password)).status).toBe(401);

    const row = await t.deps.db.prisma.user.findUnique({ where: { id: op.userId } });
    expect(row).toMatchObject({ name: 'Former member', email: `deleted:${op.userId}`, passwordHash: '' });
    expect(row!.deletedAt).toBeInstanceOf(Date);
    expect(await t.deps.db.prisma.membership.count({ where: { userId: op.userId } })).toBe(0);
    expect(await t.deps.db.prisma.session.count({ where: { userId: op.userId } })).toBe(0);

    // The custody log still names the event's actor, now as a former member.
    const detail = await a.client.get(`/api/packages/${p.id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).not.toContain(op.email);
    const custody = await a.client.get(`/api/packages/${p.id}/custody`);
    expect(custody.text).toContain('Former member');
    expect(custody.text).not.toContain('New operator');
    const members = await a.client.get('/api/facility/members');
    expect(members.json.members.map((m: { userId: string }) => m.userId)).toEqual([a.userId]);
    const team = await a.client.get('/api/team');
    expect(team.text).not.toContain(op.email);

    // The address is free again: the person can sign up anew or be invited back.
    expect((await new TestClient(t).post('/api/auth/signup', { ...a.body, email: op.email })).status).toBe(201);
  });

  it('an organization owner hands it over first; then the account can go', async () => {
    const owner = await signUp(t);
    const res = await del(owner.client, { password: owner.body.password });
    expect([res.status, res.json.error]).toEqual([409, 'owner_must_transfer']);
    expect((await owner.client.get('/api/me')).status).toBe(200);

    const op = await joinAs(t, owner, 'operator');
    const admin = await joinAs(t, owner, 'admin');
    const toOperator = await owner.client.post('/api/organization/transfer', { userId: op.userId });
    expect([toOperator.status, toOperator.json.error]).toEqual([409, 'not_an_admin']);
    const bySomeoneElse = await admin.client.post('/api/organization/transfer', { userId: admin.userId });
    expect([bySomeoneElse.status, bySomeoneElse.json.error]).toEqual([403, 'forbidden']);
    expect((await owner.client.post('/api/organization/transfer', { userId: 'nope' })).status).toBe(400);

    const moved = await owner.client.post('/api/organization/transfer', { userId: admin.userId });
    expect(moved.status).toBe(200);
    expect(moved.json.ownerUserId).toBe(admin.userId);
    expect((await admin.client.get('/api/me')).json.organizations[0].isOwner).toBe(true);
    expect((await owner.client.get('/api/me')).json.organizations[0].isOwner).toBe(false);

    expect((await del(owner.client, { password: owner.body.password })).status).toBe(204);
    expect((await login(owner.body.email, owner.body.password)).status).toBe(401);
    // The organization lives on with its new owner.
    expect((await admin.client.get('/api/facility')).status).toBe(200);
  });
});
