import bcrypt from 'bcrypt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, TestClient, signUp, signupBody, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('signup', () => {
  it('creates user, organization, facility with a code, admin membership, trial, and one session cookie', async () => {
    const client = new TestClient(t);
    const body = signupBody();
    const res = await client.post('/api/auth/signup', body);
    expect(res.status).toBe(201);
    expect(res.setCookies).toHaveLength(1);
    const cookie = res.setCookies[0]!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/^ptp_session=/); // plain http (local development): no __Host- prefix
    expect(cookie).not.toMatch(/Secure/i);

    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.json.user).toMatchObject({ name: body.name, email: body.email });
    expect(me.json.memberships).toHaveLength(1);
    expect(me.json.memberships[0]).toMatchObject({ role: 'admin', facilityName: body.facilityName });
    expect(me.json.memberships[0].facilityCode).toMatch(/^[A-Z]{2,3}-[A-Z0-9]{4}$/);
    expect(me.json.organizations).toEqual([expect.objectContaining({ name: body.organizationName, isOwner: true })]);
    expect(me.json.activeFacilityId).toBe(me.json.memberships[0].facilityId);

    const sub = await t.deps.db.prisma.subscription.findUnique({ where: { facilityId: me.json.activeFacilityId } });
    expect(sub?.status).toBe('trialing');
    expect(sub!.trialEndsAt.getTime() - Date.now()).toBeGreaterThan(9.9 * 24 * 3600 * 1000);
  });

  it('sets Secure on the cookie, named with the __Host- prefix, when the request is HTTPS', async () => {
    const res = await t.app.request('https://localhost/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signupBody()),
    });
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()[0]).toMatch(/^__Host-ptp_session=/);
    expect(res.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i);
  });

  it.each([
    ['short password', { password: 'short' }],
    ['no age confirmation', { ageConfirmed: false }],
    ['invalid email', { email: 'not-an-email' }],
    ['unknown field', { admin: true }],
    ['missing facility', { facilityName: '' }],
  ])('refuses %s with 400 invalid_input and writes nothing', async (_name, override) => {
    const before = await t.deps.db.prisma.user.count();
    const res = await new TestClient(t).post('/api/auth/signup', signupBody(override));
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_input');
    expect(typeof res.json.message).toBe('string');
    expect(await t.deps.db.prisma.user.count()).toBe(before);
  });

  it('refuses a duplicate email with 409 and keeps the first account', async () => {
    const body = signupBody();
    expect((await new TestClient(t).post('/api/auth/signup', body)).status).toBe(201);
    const again = await new TestClient(t).post('/api/auth/signup', { ...body, email: body.email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.json.error).toBe('email_taken');
  });

  it('stores the password as a bcrypt hash of the configured cost (12 by default)', async () => {
    const strict = await startTestApp({ BCRYPT_COST: '12' });
    try {
      const { body } = await signUp(strict);
      const user = await strict.deps.db.prisma.user.findUniqueOrThrow({ where: { email: body.email } });
      expect(user.passwordHash).toMatch(/^\$2[aby]\$12\$/);
      expect(bcrypt.getRounds(user.passwordHash)).toBe(12);
      expect(await bcrypt.compare(body.password, user.passwordHash)).toBe(true);
    } finally {
      await strict.close();
    }
  });
});

describe('login, logout, lockout', () => {
  it('logs in with the right password; the same 401 for a wrong password and an unknown email', async () => {
    const { body } = await signUp(t);
    const wrong = await new TestClient(t).post('/api/auth/login', { email: body.email, password: 'wrong password!!' });
    const unknown = await new TestClient(t).post('/api/auth/login', {
      email: `nobody-${Date.now()}@example.test`,
      password: body.password,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.setCookies).toEqual([]);

    const c = new TestClient(t);
    const ok = await c.post('/api/auth/login', { email: body.email.toUpperCase(), password: body.password });
    expect(ok.status).toBe(200);
    expect((await c.get('/api/me')).json.user.email).toBe(body.email);
  });

  it('logout invalidates the session on the server', async () => {
    const { client } = await signUp(t);
    const stolen = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    const replay = await new TestClient(t).get('/api/me', { cookie: stolen });
    expect(replay.status).toBe(401);
    expect((await new TestClient(t).get('/api/me')).status).toBe(401);
  });

  it('locks an account for 15 minutes after 5 failed logins, even with the right password', async () => {
    const { body } = await signUp(t);
    for (let i = 0; i < 5; i++) {
      const r = await new TestClient(t).post('/api/auth/login', { email: body.email, password: `wrong-${i}-password` });
      expect(r.status).toBe(401);
    }
    const locked = await new TestClient(t).post('/api/auth/login', { email: body.email, password: body.password });
    expect(locked.status).toBe(423);
    expect(locked.json.error).toBe('locked');
    const user = await t.deps.db.prisma.user.findUniqueOrThrow({ where: { email: body.email } });
    const minutes = (user.lockedUntil!.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    // After the lock expires the right password works again.
    await t.deps.db.prisma.user.update({ where: { id: user.id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    expect((await new TestClient(t).post('/api/auth/login', { email: body.email, password: body.password })).status).toBe(200);
  });

  it('answers an unknown email with the same lockout, so 423 does not reveal an account', async () => {
    const email = `ghost-${Date.now()}@example.test`;
    for (let i = 0; i < 5; i++) {
      expect((await new TestClient(t).post('/api/auth/login', { email, password: `wrong-${i}-password` })).status).toBe(401);
    }
    const res = await new TestClient(t).post('/api/auth/login', { email, password: 'anything at all' });
    expect(res.status).toBe(423);
  });
});

describe('request guards', () => {
  it('refuses state-changing requests from another origin', async () => {
    const evil = new TestClient(t, 'http://evil.example');
    const res = await evil.post('/api/auth/signup', signupBody());
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('cross_origin');
    const site = await new TestClient(t, null).post(
      '/api/auth/login',
      { email: 'a@b.test', password: 'x' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(site.status).toBe(403);
    // Same origin passes the guard (and fails only on credentials).
    expect((await new TestClient(t, ORIGIN).post('/api/auth/login', { email: 'a@b.test', password: 'x' })).status).toBe(401);
  });

  it('rate-limits the auth routes with 429 and Retry-After', async () => {
    const limited = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await new TestClient(limited).post('/api/auth/login', { email: 'x@example.test', password: 'whatever-long' });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect(last!.json.error).toBe('rate_limited');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('refuses bodies over the limit with 413 and malformed JSON with 400', async () => {
    const big = await new TestClient(t).request(
      'POST',
      '/api/auth/login',
      new TextEncoder().encode('{"email":"' + 'a'.repeat(2 * 1024 * 1024) + '"}'),
      {
        'content-type': 'application/json',
      },
    );
    expect(big.status).toBe(413);
    expect(big.json.error).toBe('payload_too_large');
    const bad = await new TestClient(t).request('POST', '/api/auth/login', new TextEncoder().encode('{"email":'), {
      'content-type': 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(typeof bad.json.error).toBe('string');
  });

  it('serves health and an OpenAPI document generated from the route schemas', async () => {
    const c = new TestClient(t);
    expect((await c.get('/api/health')).json).toEqual({ ok: true, db: 'ok' });
    const doc = (await c.get('/api/openapi.json')).json;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/signup', '/api/auth/login', '/api/me', '/api/invitations']));
    expect(doc.paths['/api/auth/signup'].post.requestBody.content['application/json'].schema.properties.ageConfirmed).toBeDefined();
  });
});

describe('the database connection', () => {
  it('runs app queries as the non-owner role ptp_app, which row-level security binds', async () => {
    const r = await t.deps.db.pool.query<{ current_user: string; bypass: boolean; superuser: boolean }>(
      `SELECT current_user, rolbypassrls AS bypass, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`,
    );
    expect(r.rows[0]).toEqual({ current_user: 'ptp_app', bypass: false, superuser: false });
  });
});

void pg;

describe('bodies', () => {
  it('refuses a body that is not JSON with 415 and writes nothing', async () => {
    const before = await t.deps.db.prisma.user.count();
    const res = await new TestClient(t).request('POST', '/api/auth/signup', new TextEncoder().encode('name=x&email=y'), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
    expect(res.json.error).toBe('unsupported_media_type');
    expect(await t.deps.db.prisma.user.count()).toBe(before);
  });
});
