// A small world for the data-lifecycle tests: organizations, facilities with packages, photos in
// object storage, invitations and people in several organizations; and the owner's-eye checks on
// what is really stored (every table with a facilityId column, objects under a facility's prefix).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { expect } from 'vitest';
import { asOwner, joinAs, signUp, usingPglite, type TestApp, type TestClient } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

export const DAY_MS = 24 * 3600 * 1000;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let seq = 0;
/** A distinct small JPEG each call. */
export async function jpeg() {
  const raw = Buffer.alloc(64 * 48 * 3);
  const k = ++seq;
  for (let i = 0; i < raw.length; i++) raw[i] = (i * k * 7 + (i >> 7) * 31) & 0xff;
  return sharp(raw, { raw: { width: 64, height: 48, channels: 3 } })
    .jpeg()
    .toBuffer();
}

export const ownerSql = <R extends Record<string, unknown>>(t: TestApp, text: string, values: unknown[] = []) =>
  asOwner(t, (c) => c.query<R>(text, values)).then((r) => r.rows);

/** Moves a facility's clock back `days`: created and trial end that much earlier (the server reads the real clock). */
export async function age(t: TestApp, facilityId: string, days: number) {
  const shift = `${days} days`;
  await ownerSql(t, `UPDATE facilities SET "createdAt" = "createdAt" - $2::interval WHERE id = $1`, [facilityId, shift]);
  await ownerSql(t, `UPDATE subscriptions SET "trialEndsAt" = "trialEndsAt" - $2::interval WHERE "facilityId" = $1`, [facilityId, shift]);
}

/** A paid facility: billing never makes it read-only or deletes it. */
export const subscribe = (t: TestApp, facilityId: string) =>
  ownerSql(t, `UPDATE subscriptions SET status = 'active', "currentPeriodEnd" = now() + interval '400 days' WHERE "facilityId" = $1`, [
    facilityId,
  ]);

export const trialEnd = async (t: TestApp, facilityId: string) =>
  (await ownerSql<{ e: Date }>(t, `SELECT "trialEndsAt" AS e FROM subscriptions WHERE "facilityId" = $1`, [facilityId]))[0]!.e;

/** Rows of the facility per table, walking every table with a facilityId column (not the deletion record). */
export async function facilityRows(t: TestApp, facilityId: string): Promise<Record<string, number>> {
  const tables = await ownerSql<{ t: string }>(
    t,
    `SELECT DISTINCT table_name AS t FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name = 'facilityId' AND table_name <> 'facility_deletions' ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const { t: table } of tables) {
    const [r] = await ownerSql<{ n: number }>(t, `SELECT count(*)::int AS n FROM "${table}" WHERE "facilityId" = $1`, [facilityId]);
    if (r!.n) out[table] = r!.n;
  }
  const [f] = await ownerSql<{ n: number }>(t, `SELECT count(*)::int AS n FROM facilities WHERE id = $1`, [facilityId]);
  if (f!.n) out.facilities = f!.n;
  return out;
}

export const countWhere = async (t: TestApp, table: string, column: string, id: string) =>
  (await ownerSql<{ n: number }>(t, `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`, [id]))[0]!.n;

export const organizationOf = async (t: TestApp, facilityId: string) =>
  (await ownerSql<{ o: string }>(t, `SELECT "organizationId" AS o FROM facilities WHERE id = $1`, [facilityId]))[0]!.o;

/** Packages (with their custody events and an intake photo stored), a pending invitation. */
export async function fillFacility(client: TestClient, facilityId: string) {
  const switched = await client.post('/api/me/active-facility', { facilityId });
  expect(switched.status).toBe(200);
  const d = new Device(client, facilityId);
  const p = receiveArgs();
  const img = await jpeg();
  const hash = sha(img);
  const pushed = await d.push([
    mutation(1, 'package.receive', p),
    mutation(2, 'package.receive', receiveArgs()),
    mutation(3, 'package.attachPhoto', { id: p.id, hash, kind: 'intake' }),
  ]);
  expect(pushed.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);
  const up = await client.request('PUT', `/api/sync/blobs/${hash}`, new Uint8Array(img), { 'content-type': 'image/jpeg' });
  expect(up.status).toBe(201);
  const inv = await client.post('/api/invitations', { email: `pending-${hash.slice(0, 8)}@example.test`, role: 'viewer', facilityId });
  expect(inv.status).toBe(201);
  return { device: d, hash };
}

export const canSignIn = async (t: TestApp, email: string, password: string) => {
  const { TestClient: Client } = await import('./harness.ts');
  return (await new Client(t).post('/api/auth/login', { email, password })).status;
};

/**
 * Organization A: `doomed` (its trial lapses) and `annex` (paid). Organization C: only `lone`
 * (lapses), with `both` (also a member in organization B, paid) and `onlyHere` (C only).
 */
export async function buildWorld(t: TestApp) {
  const a = await signUp(t);
  const annex = await a.client.post('/api/facilities', { name: 'Annex' });
  expect(annex.status).toBe(201);
  const annexId = annex.json.id as string;
  await subscribe(t, annexId);
  await fillFacility(a.client, annexId);
  const doomed = await fillFacility(a.client, a.facilityId);

  const b = await signUp(t);
  await subscribe(t, b.facilityId);
  const c = await signUp(t);
  await fillFacility(c.client, c.facilityId);
  // `both`: B's owner, invited into C's facility and accepting signed in.
  const inv = await c.client.post('/api/invitations', { email: b.body.email, role: 'operator', facilityId: c.facilityId });
  expect(inv.status).toBe(201);
  expect((await b.client.post(`/api/invitations/${inv.json.token}/accept`, {})).status).toBe(200);
  const onlyHere = await joinAs(t, { client: c.client, facilityId: c.facilityId }, 'operator');

  return {
    a,
    annexId,
    doomedId: a.facilityId,
    doomed,
    b,
    c,
    loneId: c.facilityId,
    onlyHere,
    orgA: await organizationOf(t, a.facilityId),
    orgC: await organizationOf(t, c.facilityId),
  };
}
export type World = Awaited<ReturnType<typeof buildWorld>>;

const run = promisify(execFile);
/**
 * `npm run jobs -- --once --now <iso>` in a child process on the test's database and storage
 * (Postgres only: the embedded database belongs to the test's process). Answers its output.
 */
export async function jobsCli(t: TestApp, now: Date, env: Record<string, string> = {}) {
  if (usingPglite) throw new Error('the jobs CLI needs a database another process can open');
  const r = await run('npm', ['run', '--silent', 'jobs', '--', '--once', '--now', now.toISOString()], {
    env: { ...process.env, ...cliEnv(t), ...env },
  });
  return r.stdout + r.stderr;
}

/** What a child process needs to open the test app's database and object storage, billing on. */
export function cliEnv(t: TestApp): Record<string, string> {
  const e = t.deps.env;
  const pick = (k: keyof typeof e) => (e[k] == null ? {} : { [k]: String(e[k]) });
  return {
    NODE_ENV: 'test',
    DATABASE_URL: t.databaseUrl!,
    DATA_DIR: '',
    PUBLIC_ORIGIN: e.PUBLIC_ORIGIN,
    RESEND_API_KEY: '',
    SENTRY_DSN: '',
    ...pick('BLOB_DIR'),
    ...pick('APP_SECRET'),
    ...pick('ENCRYPTION_KEY'),
    ...pick('STRIPE_SECRET_KEY'),
    ...pick('STRIPE_WEBHOOK_SECRET'),
    ...pick('STRIPE_PRICE_ID'),
    ...(e.S3_BUCKET
      ? {
          ...pick('S3_ENDPOINT'),
          ...pick('S3_BUCKET'),
          ...pick('S3_REGION'),
          ...pick('S3_ACCESS_KEY_ID'),
          ...pick('S3_SECRET_ACCESS_KEY'),
          ...pick('S3_FORCE_PATH_STYLE'),
        }
      : {}),
  };
}
