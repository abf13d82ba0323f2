// Test harness: a real app in-process (app.request, no ports) on a fresh database per test file —
// a new Postgres database on 127.0.0.1:5432, or the embedded PGlite when TEST_DB=pglite.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApp } from '../../sync-server/src/app.ts';
import type { Deps } from '../../sync-server/src/context.ts';
import { buildDeps } from '../../sync-server/src/deps.ts';
import { loadEnv, type Env } from '../../sync-server/src/env.ts';
import { LogMailer } from '../../sync-server/src/mail/mailer.ts';

export const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const usingPglite = process.env.TEST_DB === 'pglite';
export const ORIGIN = 'http://localhost';

export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ptp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      // pg's Pool.end() resolves before its sockets have closed: wait for the app's connections to
      // go, so FORCE does not terminate a closing client (an unhandled 57P01 error in the test run).
      for (let i = 0; i < 100; i++) {
        const open = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
        if (open.rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Stripe configured (keys that reach no Stripe): billing on, so trials end and facilities turn read-only. */
export const BILLING_ON = {
  STRIPE_SECRET_KEY: 'sk_test_billing_on',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_billing_on',
  STRIPE_PRICE_ID: 'price_test_facility',
};

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  mailer: LogMailer;
  /** Owner connection (bypasses RLS) for assertions on what is really stored. */
  databaseUrl: string | null;
  close(): Promise<void>;
}

export async function startTestApp(overrides: Partial<Record<keyof Env, string>> = {}): Promise<TestApp> {
  const scratch = usingPglite ? null : await createScratchDatabase();
  const blobDir = await mkdtemp(path.join(os.tmpdir(), 'ptp-blobs-'));
  const env = loadEnv({
    NODE_ENV: 'test',
    BCRYPT_COST: '4',
    // Limits and quotas out of the way of functional tests; their own tests set them low.
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    AUTH_ACCOUNT_RATE_LIMIT_PER_MINUTE: '10000',
    QUOTA_PUSHES_PER_MINUTE_PER_USER: '100000',
    QUOTA_PUSHES_PER_MINUTE_PER_FACILITY: '100000',
    QUOTA_INVITATIONS_PER_HOUR: '10000',
    QUOTA_CONCURRENT_UPLOADS_PER_USER: '100',
    PUBLIC_ORIGIN: ORIGIN,
    DATA_DIR: '',
    BLOB_DIR: blobDir,
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...overrides,
  });
  const mailer = new LogMailer(false);
  const deps = await buildDeps({ ...env, DATA_DIR: '' }, { mailer });
  return {
    app: createApp(deps),
    deps,
    mailer,
    databaseUrl: scratch?.url ?? null,
    async close() {
      await deps.db.close();
      await scratch?.drop();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}

export interface Res {
  status: number;
  headers: Headers;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  setCookies: string[];
}

/** A browser-like client over app.request: a cookie jar and the app's own Origin on writes. */
export class TestClient {
  cookies = new Map<string, string>();
  constructor(
    private readonly t: TestApp,
    private readonly origin: string | null = ORIGIN,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !(body instanceof Uint8Array)) h['content-type'] ??= 'application/json';
    if (!['GET', 'HEAD'].includes(method) && this.origin) h.origin ??= this.origin;
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.t.app.request(`${ORIGIN}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : body instanceof Uint8Array ? (body as unknown as BodyInit) : JSON.stringify(body),
    });
    const setCookies = res.headers.getSetCookie();
    for (const sc of setCookies) {
      const [pair] = sc.split(';');
      const [name, ...v] = pair!.split('=');
      const value = v.join('=');
      if (!value || /max-age=0/i.test(sc)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    const text = method === 'HEAD' ? '' : await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text, setCookies };
  }
  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, undefined, headers);
  post = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', path, body, headers);
}

let seq = 0;
export function signupBody(overrides: Record<string, unknown> = {}) {
  const tag = `${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(2).toString('hex')}`;
  return {
    name: `Tester ${tag}`,
    email: `t-${tag}@example.test`,
    password: 'correct horse battery',
    organizationName: `Org ${tag}`,
    facilityName: `Mailroom ${tag}`,
    ageConfirmed: true,
    ...overrides,
  };
}

/** Signs up a fresh organization; returns its client and ids. */
export async function signUp(t: TestApp, overrides: Record<string, unknown> = {}) {
  const body = signupBody(overrides);
  const client = new TestClient(t);
  const res = await client.post('/api/auth/signup', body);
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  const me = await client.get('/api/me');
  return { client, body, userId: me.json.user.id as string, facilityId: me.json.activeFacilityId as string, me: me.json };
}

/**
 * `admin` invites a new person into a facility with `role`; they accept as a new account. Returns
 * their signed-in client (active in that facility).
 */
export async function joinAs(t: TestApp, admin: { client: TestClient; facilityId: string }, role: string, facilityId = admin.facilityId) {
  const email = `${role}-${randomBytes(6).toString('hex')}@example.test`;
  const password = 'a long password';
  const inv = await admin.client.post('/api/invitations', { email, role, facilityId });
  if (inv.status !== 201) throw new Error(`invitation failed: ${inv.status} ${inv.text}`);
  const client = new TestClient(t);
  const res = await client.post(`/api/invitations/${inv.json.token}/accept`, { name: `New ${role}`, password, ageConfirmed: true });
  if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${res.text}`);
  const me = await client.get('/api/me');
  return { client, email, password, userId: me.json.user.id as string, invitationId: inv.json.id as string };
}

/** Runs SQL as the database owner (bypassing RLS), as an operator's maintenance step would. */
export async function asOwner<T>(t: TestApp, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await t.deps.db.pool.connect();
  try {
    await c.query('RESET ROLE');
    return await fn(c);
  } finally {
    await c.query('SET ROLE ptp_app').catch(() => {});
    c.release();
  }
}
