// The published privacy policy (../shared/product/privacy-policy.txt) as checks on the running
// system. Each `describe` quotes the promise it proves; promises of features still to be built
// are proven by their own feature tests when they land (tenancy: tenant-isolation.test.ts; photos:
// blobs tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../sync-server/src/env.ts';
import { TestClient, signUp, signupBody, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

const PRODUCTION = { APP_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://db.internal/ptp', PUBLIC_ORIGIN: 'https://mail.example.com' };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('§9 "The Service uses essential cookies for authentication and session management"', () => {
  it('sets exactly one cookie, the HttpOnly session cookie, across a whole working session', async () => {
    const a = await signUp(t);
    const names = new Set<string>();
    const record = (r: { setCookies: string[] }) => r.setCookies.forEach((c) => names.add(c.split('=')[0]!));
    const c = new TestClient(t);
    record(await c.post('/api/auth/signup', signupBody()));
    record(await c.get('/api/me'));
    record(await c.get('/api/facility'));
    const me = await c.get('/api/me');
    const d = new Device(c, me.json.activeFacilityId);
    record(await d.push([mutation(1, 'package.receive', receiveArgs())]));
    record(await d.pull(null));
    record(await c.get('/api/health'));
    record(await c.post('/api/auth/logout'));
    record(await new TestClient(t).post('/api/auth/login', { email: a.body.email, password: a.body.password }));
    expect([...names]).toEqual(['ptp_session']);
  });
});

describe('§7 "Passwords hashed with bcrypt (cost factor 12)"', () => {
  it('defaults to cost 12 and refuses a lower cost in production', () => {
    expect(loadEnv({}).BCRYPT_COST).toBe(12);
    expect(() => loadEnv({ NODE_ENV: 'production', ...PRODUCTION, BCRYPT_COST: '10' })).toThrow(/BCRYPT_COST/);
  });
});

describe('§10 "The Service is not intended for use by anyone under the age of 18"', () => {
  it('refuses a sign-up without the 18+ confirmation', async () => {
    const res = await new TestClient(t).post('/api/auth/signup', signupBody({ ageConfirmed: false }));
    expect(res.status).toBe(400);
    const missing = await new TestClient(t).post('/api/auth/signup', { ...signupBody(), ageConfirmed: undefined });
    expect(missing.status).toBe(400);
  });
});

describe('§7 "Rate limiting on authentication endpoints"', () => {
  it('limits every auth route, not only login', async () => {
    const limited = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      for (const [path, body] of [
        ['/api/auth/signup', { nope: true }],
        ['/api/auth/login', { email: 'a@b.test', password: 'x' }],
        ['/api/auth/logout', {}],
        ['/api/auth/logout-all', {}],
        ['/api/auth/password-reset', { email: 'a@b.test' }],
        ['/api/auth/password-reset/' + 'x'.repeat(43), { password: 'long enough password' }],
        ['/api/me/password', { currentPassword: 'x', newPassword: 'long enough password' }],
      ] as const) {
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await new TestClient(limited).post(path, body)).status);
        expect(statuses[2], path).toBe(429);
      }
    } finally {
      await limited.close();
    }
  });
});
