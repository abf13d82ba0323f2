// Sessions and credentials (issue "production hardening", defect 7): an absolute session lifetime
// beside lucia's sliding expiry, sign out everywhere, password change, password reset by email,
// the previous session ending at a new sign-in, and the __Host- cookie over HTTPS.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_RESET_TTL_MINUTES, SESSION_ABSOLUTE_LIFETIME_DAYS } from '../../src/lib/domain/account.ts';
import { ORIGIN, TestClient, joinAs, signUp, signupBody, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const DAY = 24 * 3600 * 1000;
const cookieOf = (c: TestClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const sessionIdOf = (c: TestClient) => c.cookies.get('ptp_session')!;
const login = (email: string, password: string, c = new TestClient(t)) =>
  c.post('/api/auth/login', { email, password }).then((r) => ({ r, c }));

/** Asks for a reset of `email` and answers the token from the (development) mail log. */
async function resetToken(email: string): Promise<string> {
  const before = t.mailer.sent.length;
  const res = await new TestClient(t).post('/api/auth/password-reset', { email });
  expect(res.status).toBe(202);
  const mail = t.mailer.sent.slice(before).find((m) => m.to === email);
  const match = mail?.text.match(new RegExp(`${ORIGIN}/reset-password/([A-Za-z0-9_-]+)`));
  expect(match, 'reset link in the email').toBeTruthy();
  return match![1]!;
}

describe('absolute session lifetime', () => {
  it(`ends a session ${SESSION_ABSOLUTE_LIFETIME_DAYS} days after sign-in even when its sliding expiry was extended`, async () => {
    const { client } = await signUp(t);
    const id = sessionIdOf(client);
    // Used every day: lucia would keep extending expiresAt; only createdAt shows its real age.
    await t.deps.db.prisma.session.update({
      where: { id },
      data: { createdAt: new Date(Date.now() - SESSION_ABSOLUTE_LIFETIME_DAYS * DAY - 60_000), expiresAt: new Date(Date.now() + 29 * DAY) },
    });
    const res = await client.get('/api/me');
    expect(res.status).toBe(401);
    expect(res.setCookies.join()).toMatch(/ptp_session=;.*Max-Age=0/i);
    expect(await t.deps.db.prisma.session.findUnique({ where: { id } })).toBeNull();
  });

  it('keeps a session that is younger than the limit', async () => {
    const { client } = await signUp(t);
    await t.deps.db.prisma.session.update({
      where: { id: sessionIdOf(client) },
      data: { createdAt: new Date(Date.now() - (SESSION_ABSOLUTE_LIFETIME_DAYS - 1) * DAY) },
    });
    expect((await client.get('/api/me')).status).toBe(200);
  });
});

describe('sign out everywhere', () => {
  it('POST /api/auth/logout-all ends every session of the user, the current one included, and no one else’s', async () => {
    const a = await signUp(t);
    const { c: phone } = await login(a.body.email, a.body.password);
    const other = await signUp(t);
    const res = await a.client.post('/api/auth/logout-all');
    expect(res.status).toBe(204);
    expect(res.setCookies.join()).toMatch(/ptp_session=;.*Max-Age=0/i);
    expect((await phone.get('/api/me')).status).toBe(401);
    expect((await new TestClient(t).get('/api/me', { cookie: `ptp_session=${sessionIdOf(phone)}` })).status).toBe(401);
    expect(await t.deps.db.prisma.session.count({ where: { userId: a.userId } })).toBe(0);
    expect((await other.client.get('/api/me')).status).toBe(200);
  });

  it('answers 401 without a session', async () => {
    expect((await new TestClient(t).post('/api/auth/logout-all')).status).toBe(401);
  });
});

describe('password change', () => {
  it('POST /api/me/password → 204; the other sessions end, this one stays; the new password signs in', async () => {
    const a = await signUp(t);
    const { c: tablet } = await login(a.body.email, a.body.password);
    const res = await a.client.post('/api/me/password', { currentPassword: a.body.password, newPassword: 'a brand new password' });
    expect(res.status).toBe(204);
    expect((await a.client.get('/api/me')).status).toBe(200);
    expect((await tablet.get('/api/me')).status).toBe(401);
    expect((await login(a.body.email, a.body.password)).r.status).toBe(401);
    expect((await login(a.body.email, 'a brand new password')).r.status).toBe(200);
  });

  it('refuses a wrong current password with 401 invalid_credentials and changes nothing', async () => {
    const a = await signUp(t);
    const { c: tablet } = await login(a.body.email, a.body.password);
    const res = await a.client.post('/api/me/password', { currentPassword: 'not my password', newPassword: 'a brand new password' });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_credentials');
    expect((await a.client.get('/api/me')).status).toBe(200);
    expect((await tablet.get('/api/me')).status).toBe(200);
    expect((await login(a.body.email, a.body.password)).r.status).toBe(200);
  });

  it.each([
    ['a new password under the rules', { currentPassword: 'x', newPassword: 'short' }],
    ['a missing current password', { newPassword: 'a brand new password' }],
    ['an unknown field', { currentPassword: 'x', newPassword: 'a brand new password', userId: 'someone' }],
    ['a non-string', { currentPassword: 42, newPassword: ['a'] }],
  ])('refuses %s with 400', async (_name, body) => {
    const a = await signUp(t);
    const res = await a.client.post('/api/me/password', body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
  });

  it('answers 401 without a session', async () => {
    const res = await new TestClient(t).post('/api/me/password', { currentPassword: 'x', newPassword: 'a brand new password' });
    expect(res.status).toBe(401);
  });
});

describe('password reset by email', () => {
  it('answers 202 alike for a known and an unknown address, in similar time, and emails only the known one', async () => {
    const a = await signUp(t);
    const ghost = `ghost-${randomBytes(4).toString('hex')}@example.test`;
    const before = t.mailer.sent.length;
    const time = async (email: string) => {
      const start = performance.now();
      const res = await new TestClient(t).post('/api/auth/password-reset', { email });
      return { res, ms: performance.now() - start };
    };
    const known = await time(a.body.email.toUpperCase());
    const unknown = await time(ghost);
    expect(known.res.status).toBe(202);
    expect(unknown.res.status).toBe(202);
    expect(unknown.res.text).toBe(known.res.text);
    expect(unknown.res.setCookies).toEqual(known.res.setCookies);
    // Both wait for the same floor, so the difference is noise, not a database write.
    expect(Math.abs(known.ms - unknown.ms)).toBeLessThan(100);
    const mails = t.mailer.sent.slice(before);
    expect(mails.map((m) => m.to)).toEqual([a.body.email]);
    expect(mails[0]!.text).toMatch(new RegExp(`${ORIGIN}/reset-password/[A-Za-z0-9_-]{43}\\b`));
  });

  it('stores only the SHA-256 of a random token, valid for 30 minutes', async () => {
    const a = await signUp(t);
    const token = await resetToken(a.body.email);
    const rows = await t.deps.db.prisma.passwordReset.findMany({ where: { userId: a.userId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(token);
    const minutes = (rows[0]!.expiresAt.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(PASSWORD_RESET_TTL_MINUTES - 1);
    expect(minutes).toBeLessThanOrEqual(PASSWORD_RESET_TTL_MINUTES);
  });

  it('sets the password, lifts the lockout and ends every session; the link works once', async () => {
    const a = await signUp(t);
    const { c: tablet } = await login(a.body.email, a.body.password);
    for (let i = 0; i < 5; i++) await login(a.body.email, `wrong password ${i}`);
    expect((await login(a.body.email, a.body.password)).r.status).toBe(423);

    const token = await resetToken(a.body.email);
    const res = await new TestClient(t).post(`/api/auth/password-reset/${token}`, { password: 'reset to this one' });
    expect(res.status).toBe(204);
    expect((await a.client.get('/api/me')).status).toBe(401);
    expect((await tablet.get('/api/me')).status).toBe(401);
    const user = await t.deps.db.prisma.user.findUniqueOrThrow({ where: { id: a.userId } });
    expect(user).toMatchObject({ failedLoginCount: 0, lockedUntil: null });
    expect((await login(a.body.email, 'reset to this one')).r.status).toBe(200);

    const again = await new TestClient(t).post(`/api/auth/password-reset/${token}`, { password: 'and once more please' });
    expect(again.status).toBe(400);
    expect(again.json.error).toBe('invalid_token');
    expect((await login(a.body.email, 'reset to this one')).r.status).toBe(200);
  });

  it('refuses an expired token, an unknown one, and one a newer request replaced', async () => {
    const a = await signUp(t);
    const old = await resetToken(a.body.email);
    const newer = await resetToken(a.body.email);
    const use = (token: string) => new TestClient(t).post(`/api/auth/password-reset/${token}`, { password: 'reset to this one' });
    for (const token of [old, randomBytes(32).toString('base64url')]) {
      const res = await use(token);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe('invalid_token');
    }
    await t.deps.db.prisma.passwordReset.updateMany({ where: { userId: a.userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await use(newer)).json.error).toBe('invalid_token');
    expect((await login(a.body.email, a.body.password)).r.status).toBe(200);
  });

  it('lets only one of two concurrent uses of a token through', async () => {
    const a = await signUp(t);
    const token = await resetToken(a.body.email);
    const statuses = await Promise.all(
      ['first new password', 'second new password'].map((password) =>
        new TestClient(t).post(`/api/auth/password-reset/${token}`, { password }).then((r) => r.status),
      ),
    );
    expect(statuses.sort()).toEqual([204, 400]);
  });

  it.each([
    ['request: not an email', '/api/auth/password-reset', { email: 'nope' }],
    ['request: no body fields', '/api/auth/password-reset', {}],
    ['request: an unknown field', '/api/auth/password-reset', { email: 'a@b.test', admin: true }],
    ['use: a short password', `/api/auth/password-reset/${'x'.repeat(43)}`, { password: 'short' }],
    ['use: a token too short', '/api/auth/password-reset/abc', { password: 'long enough password' }],
    ['use: a token too long', `/api/auth/password-reset/${'x'.repeat(300)}`, { password: 'long enough password' }],
    ['use: a non-string password', `/api/auth/password-reset/${'x'.repeat(43)}`, { password: { $ne: null } }],
  ])('answers junk with 400 (%s)', async (_name, path, body) => {
    const res = await new TestClient(t).post(path, body);
    expect(res.status).toBe(400);
    expect(typeof res.json.error).toBe('string');
  });
});

describe('a new sign-in ends the session the browser came with', () => {
  it('login', async () => {
    const a = await signUp(t);
    const first = cookieOf(a.client);
    const { r } = await login(a.body.email, a.body.password, a.client);
    expect(r.status).toBe(200);
    expect(cookieOf(a.client)).not.toBe(first);
    expect((await new TestClient(t).get('/api/me', { cookie: first })).status).toBe(401);
    expect((await a.client.get('/api/me')).status).toBe(200);
  });

  it('accepting an invitation as a new account', async () => {
    const admin = await signUp(t);
    const someone = await signUp(t);
    const before = cookieOf(someone.client);
    const inv = await admin.client.post('/api/invitations', {
      email: `n-${randomBytes(4).toString('hex')}@example.test`,
      role: 'viewer',
      facilityId: admin.facilityId,
    });
    const res = await someone.client.post(`/api/invitations/${inv.json.token}/accept`, {
      name: 'Newcomer',
      password: 'long enough pw',
      ageConfirmed: true,
    });
    expect(res.status).toBe(200);
    expect((await new TestClient(t).get('/api/me', { cookie: before })).status).toBe(401);
    expect((await someone.client.get('/api/me')).json.user.name).toBe('Newcomer');
  });

  it('accepting an invitation as the signed-in account', async () => {
    const admin = await signUp(t);
    const member = await joinAs(t, admin, 'viewer');
    const before = cookieOf(member.client);
    const second = await admin.client.post('/api/facilities', { name: 'Second desk' });
    const inv = await admin.client.post('/api/invitations', { email: member.email, role: 'operator', facilityId: second.json.id });
    expect((await member.client.post(`/api/invitations/${inv.json.token}/accept`, {})).status).toBe(200);
    expect((await new TestClient(t).get('/api/me', { cookie: before })).status).toBe(401);
    expect((await member.client.get('/api/me')).json.activeFacilityId).toBe(second.json.id);
  });
});

describe('the session cookie', () => {
  const https = (path: string, init: RequestInit = {}) => t.app.request(`https://localhost${path}`, init);

  it('is __Host-ptp_session over HTTPS: Secure, Path=/, no Domain', async () => {
    const res = await https('/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signupBody()),
    });
    expect(res.status).toBe(201);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^__Host-ptp_session=[^;]+;/);
    expect(cookies[0]).toMatch(/;\s*Secure/i);
    expect(cookies[0]).toMatch(/;\s*Path=\/(;|$)/i);
    expect(cookies[0]).toMatch(/;\s*HttpOnly/i);
    expect(cookies[0]).toMatch(/;\s*SameSite=Lax/i);
    expect(cookies[0]).not.toMatch(/Domain=/i);
  });

  it('is read only under the name of the request’s scheme', async () => {
    const a = await signUp(t);
    const id = sessionIdOf(a.client);
    const me = async (cookie: string, viaHttps: boolean) =>
      (await t.app.request(`${viaHttps ? 'https://localhost' : ORIGIN}/api/me`, { headers: { cookie } })).status;
    expect(await me(`__Host-ptp_session=${id}`, true)).toBe(200);
    expect(await me(`ptp_session=${id}`, true)).toBe(401);
    expect(await me(`ptp_session=${id}`, false)).toBe(200);
    expect(await me(`__Host-ptp_session=${id}`, false)).toBe(401);
  });
});
