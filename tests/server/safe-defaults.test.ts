// Safe defaults (issue: production hardening 4 and 5): production refuses to start half-configured,
// the demo with its published password never exists there, and every link and origin check uses
// PUBLIC_ORIGIN, never the request's Host header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, shouldSeedDemo } from '../../sync-server/src/env.ts';
import { allowedOrigins } from '../../sync-server/src/http/origin.ts';
import { TestClient, signUp, startTestApp, type TestApp } from './harness.ts';

const PRODUCTION = {
  NODE_ENV: 'production',
  APP_SECRET: 'x'.repeat(32),
  DATABASE_URL: 'postgres://db.internal/ptp',
  PUBLIC_ORIGIN: 'https://mail.example.com',
  ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};

describe('production configuration', () => {
  it.each(['DATABASE_URL', 'PUBLIC_ORIGIN', 'APP_SECRET', 'ENCRYPTION_KEY'] as const)('refuses to start without %s', (name) => {
    expect(() => loadEnv({ ...PRODUCTION, [name]: '' })).toThrow(new RegExp(`${name}: required when NODE_ENV=production`));
    expect(() => loadEnv({ ...PRODUCTION, [name]: undefined })).toThrow(new RegExp(name));
  });

  it('starts with all four, and never seeds the demo there, not even when asked', () => {
    const env = loadEnv(PRODUCTION);
    expect(env.PUBLIC_ORIGIN).toBe('https://mail.example.com');
    expect(shouldSeedDemo(env, true)).toBe(false);
    expect(shouldSeedDemo(env, false)).toBe(false);
    expect(() => loadEnv({ ...PRODUCTION, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
  });

  it('seeds the demo on the embedded database in development, or on request, never in tests by default', () => {
    expect(shouldSeedDemo(loadEnv({}), true)).toBe(true);
    expect(shouldSeedDemo(loadEnv({}), false)).toBe(false);
    expect(shouldSeedDemo(loadEnv({ SEED_DEMO: 'true' }), false)).toBe(true);
    expect(shouldSeedDemo(loadEnv({ NODE_ENV: 'test' }), true)).toBe(false);
  });

  it('defaults PUBLIC_ORIGIN to http://localhost:<PORT> outside production and keeps only the origin', () => {
    expect(loadEnv({ PORT: '3123' }).PUBLIC_ORIGIN).toBe('http://localhost:3123');
    expect(loadEnv({ PUBLIC_ORIGIN: 'https://mail.example.com/some/path' }).PUBLIC_ORIGIN).toBe('https://mail.example.com');
    expect(() => loadEnv({ PUBLIC_ORIGIN: 'not a url' })).toThrow(/PUBLIC_ORIGIN/);
  });

  it('accepts loopback aliases only for the unconfigured local default', () => {
    expect([...allowedOrigins(loadEnv({ PORT: '3000' }))].sort()).toEqual(
      ['http://127.0.0.1:3000', 'http://[::1]:3000', 'http://localhost:3000'].sort(),
    );
    expect([...allowedOrigins(loadEnv({ PUBLIC_ORIGIN: 'http://localhost:3000' }))]).toEqual(['http://localhost:3000']);
  });
});

describe('links and origins come from PUBLIC_ORIGIN, never from Host', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_ORIGIN: 'https://mail.example.com' });
  });
  afterAll(() => t?.close());

  it('builds the invitation link from PUBLIC_ORIGIN whatever Host and X-Forwarded-* say', async () => {
    const admin = new TestClient(t, 'https://mail.example.com');
    const res = await admin.post('/api/auth/signup', {
      name: 'Ada',
      email: `ada-${Date.now()}@example.test`,
      password: 'correct horse battery',
      organizationName: 'Org',
      facilityName: 'Mailroom',
      ageConfirmed: true,
    });
    expect(res.status).toBe(201);
    const inv = await admin.post(
      '/api/invitations',
      { email: 'new@example.test', role: 'operator', facilityId: res.json.facilityId },
      { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
    );
    expect(inv.status).toBe(201);
    const mail = t.mailer.sent.at(-1)!;
    expect(mail.text).toContain(`https://mail.example.com/invite/${inv.json.token}`);
    expect(mail.text).not.toContain('evil.example');
  });

  it('refuses an Origin that only matches the Host header', async () => {
    const { client } = await signUp(t).catch(() => ({ client: null }));
    expect(client).toBeNull(); // the harness signs up from http://localhost, which is not PUBLIC_ORIGIN here
    const spoofed = new TestClient(t, 'https://evil.example');
    const res = await spoofed.post('/api/auth/login', { email: 'a@b.test', password: 'x' }, { host: 'evil.example' });
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('cross_origin');
    const own = new TestClient(t, 'https://mail.example.com');
    expect((await own.post('/api/auth/login', { email: 'a@b.test', password: 'x' }, { host: 'evil.example' })).status).toBe(401);
  });
});
