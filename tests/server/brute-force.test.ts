// Sign-in under attack (issue: production hardening 1 and 2): the lockout holds against parallel
// guesses, rate limits are shared through Postgres and keyed on the real client address behind
// TRUST_PROXY hops, and each account has its own limit beside the per-address one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { TestClient, signUp, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const login = (app: TestApp, email: string, password: string, headers: Record<string, string> = {}) =>
  new TestClient(app).post('/api/auth/login', { email, password }, headers);

describe('lockout under concurrency', () => {
  it('compares at most 5 wrong passwords however many arrive at once; the right one in the burst gets 423', async () => {
    const { body } = await signUp(t);
    const burst = [
      ...Array.from({ length: 19 }, (_, i) => login(t, body.email, `wrong password ${i}`)),
      login(t, body.email, body.password),
    ];
    const answers = await Promise.all(burst);
    const statuses = answers.map((r) => r.status);
    // Every 401 is a password that was compared; the rest were refused before bcrypt.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 423).length).toBeGreaterThanOrEqual(15);
    expect(statuses.every((s) => s === 401 || s === 423)).toBe(true);
    expect(answers.at(-1)!.status).toBe(423);
    expect(answers.at(-1)!.setCookies).toEqual([]);

    // Inside the locked window the right password is refused too, without being compared.
    const again = await login(t, body.email, body.password);
    expect(again.status).toBe(423);
    const user = await t.deps.db.prisma.user.findUniqueOrThrow({ where: { email: body.email } });
    expect(user.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
  });

  it('forgives earlier failures after a right password, so a typo or two never adds up to a lock', async () => {
    const { body } = await signUp(t);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await login(t, body.email, `typo ${i}`)).status).toBe(401);
      expect((await login(t, body.email, body.password)).status).toBe(200);
    }
  });

  it('holds for unknown emails as well: parallel guesses get no more answers than for a real account', async () => {
    const email = `ghost-${Date.now()}@example.test`;
    const statuses = (await Promise.all(Array.from({ length: 12 }, (_, i) => login(t, email, `guess ${i}`)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBe(5);
    expect(statuses.filter((s) => s === 423).length).toBe(7);
  });
});

describe('rate limits in Postgres', () => {
  it('keys on the client address from TRUST_PROXY hops, so one client behind the proxy cannot lock out the rest', async () => {
    const app = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY: '1' });
    try {
      // The proxy appends the address it saw; anything further left was written by the client.
      const from = (client: string) => ({ 'x-forwarded-for': `6.6.6.6, ${client}` });
      for (let i = 0; i < 5; i++) expect((await login(app, 'a@b.test', 'x', from('203.0.113.7'))).status).toBe(401);
      const limited = await login(app, 'a@b.test', 'x', from('203.0.113.7'));
      expect(limited.status).toBe(429);
      expect(limited.json.error).toBe('rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another user behind the same proxy, and the spoofed left-most address, are counted apart.
      expect((await login(app, 'c@d.test', 'x', from('198.51.100.9'))).status).toBe(401);
      expect((await login(app, 'c@d.test', 'x', { 'x-forwarded-for': '203.0.113.7, 198.51.100.10' })).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('ignores X-Forwarded-For when no proxy is trusted (anyone can send it)', async () => {
    const app = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await login(app, 'a@b.test', 'x', { 'x-forwarded-for': `10.0.0.${i}` })).status).toBe(401);
      }
      expect((await login(app, 'a@b.test', 'x', { 'x-forwarded-for': '10.0.0.99' })).status).toBe(429);
    } finally {
      await app.close();
    }
  });

  it('limits each account beside each address: guesses from many addresses are slowed too', async () => {
    const app = await startTestApp({ AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' });
    try {
      const email = `target-${Date.now()}@example.test`;
      for (let i = 0; i < 3; i++) {
        expect((await login(app, email, `guess ${i}`, { 'x-forwarded-for': `192.0.2.${i}` })).status).toBe(401);
      }
      expect((await login(app, email, 'guess', { 'x-forwarded-for': '192.0.2.200' })).status).toBe(429);
      expect((await login(app, `other-${Date.now()}@example.test`, 'guess', { 'x-forwarded-for': '192.0.2.200' })).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('keeps the counters in the database, where a second server process on it sees them', async () => {
    const app = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      await login(app, 'a@b.test', 'x');
      await login(app, 'a@b.test', 'x');
      const rows = await app.deps.db.prisma.rateLimit.findMany({ where: { key: { startsWith: 'auth:login:' } } });
      expect(rows).toHaveLength(1);
      expect(rows[0]!.points).toBe(2);
      // The hourly jobs sweep counters whose window ended an hour ago.
      expect(await runJobsOnce(app.deps, new Date(Date.now() + 2 * 3600_000))).toContain('rate-limit-sweep');
      expect(await app.deps.db.prisma.rateLimit.count({ where: { key: { startsWith: 'auth:login:' } } })).toBe(0);
    } finally {
      await app.close();
    }
  });
});
