// The published privacy policy (../shared/product/privacy-policy.txt) as checks on the running
// system. Each `describe` quotes the promise it proves; promises of features still to be built
// are proven by their own feature tests when they land (tenancy: tenant-isolation.test.ts; photos:
// blobs tests, and photo retention in full on local disk and S3: photo-retention.test.ts).
import { createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_RETENTION_POLICY, PHOTOS_AND_SIGNATURES } from '../../src/lib/domain/privacy.ts';
import { LocalBlobStorage } from '../../sync-server/src/blobs/storage.ts';
import { loadEnv } from '../../sync-server/src/env.ts';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { unsubscribeLink } from '../../sync-server/src/notifications/unsubscribe.ts';
import { TestClient, asOwner, joinAs, signUp, signupBody, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

const PRODUCTION = {
  APP_SECRET: 'x'.repeat(32),
  DATABASE_URL: 'postgres://db.internal/ptp',
  PUBLIC_ORIGIN: 'https://mail.example.com',
  ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
};

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

describe('§7 "Integration credentials encrypted with AES-256-GCM at rest"', () => {
  it('stores a sealed envelope, never the plaintext, that opens only with its key and only in its own row', async () => {
    const { client, facilityId } = await signUp(t);
    const token = 'PrivacyPolicyWebhookToken0001';
    const webhookUrl = `https://hooks.slack.com/services/T0/B0/${token}`;
    expect((await client.request('PUT', '/api/integrations/slack', { credentials: { webhookUrl } })).status).toBe(200);

    const [row] = (await asOwner(t, (c) => c.query(`SELECT credentials FROM integrations WHERE "facilityId" = $1`, [facilityId]))).rows;
    const sealed: string = row.credentials;
    expect(sealed).not.toContain(token);
    expect(sealed).not.toContain(Buffer.from(webhookUrl).toString('base64').slice(0, 24));
    const [version, kid, iv, ciphertext, tag] = sealed.split('.');
    expect([version, kid]).toEqual(['v1', t.deps.env.ENCRYPTION_KEY_RING.currentKid]);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);

    // AES-256-GCM with the configured key opens it, bound to this facility's Slack row.
    const key = t.deps.env.ENCRYPTION_KEY_RING.keys.get(kid!)!;
    expect(key).toHaveLength(32);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64url'));
    decipher.setAAD(Buffer.from(`integration:${facilityId}:slack`));
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext!, 'base64url')), decipher.final()]).toString('utf8');
    expect(JSON.parse(plain)).toEqual({ webhookUrl });

    // Any other key does not.
    const other = createDecipheriv('aes-256-gcm', randomBytes(32), Buffer.from(iv!, 'base64url'));
    other.setAAD(Buffer.from(`integration:${facilityId}:slack`));
    other.setAuthTag(Buffer.from(tag!, 'base64url'));
    other.update(Buffer.from(ciphertext!, 'base64url'));
    expect(() => other.final()).toThrow(/authenticate/);
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
      for (const [path, body, verb = 'POST'] of [
        ['/api/auth/signup', { nope: true }],
        ['/api/auth/login', { email: 'a@b.test', password: 'x' }],
        ['/api/auth/logout', {}],
        ['/api/auth/logout-all', {}],
        ['/api/auth/password-reset', { email: 'a@b.test' }],
        ['/api/auth/password-reset/' + 'x'.repeat(43), { password: 'long enough password' }],
        ['/api/me/password', { currentPassword: 'x', newPassword: 'long enough password' }],
        // Both take the password: a wrong one is a password guess.
        ['/api/me', { name: 'x', email: 'a@b.test', currentPassword: 'x' }, 'PATCH'],
        ['/api/me', { password: 'x' }, 'DELETE'],
      ] as [string, unknown, string?][]) {
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await new TestClient(limited).request(verb, path, body)).status);
        expect(statuses[2], `${verb} ${path}`).toBe(429);
      }
    } finally {
      await limited.close();
    }
  });
});

describe('§8 "Access the personal data we hold about you" and "Export your data (available via CSV export in the Service)"', () => {
  it('hands the signed-in user their data as JSON and as CSV files', async () => {
    const a = await signUp(t);
    const res = await a.client.get('/api/me/export');
    expect(res.status).toBe(200);
    expect(res.json.profile).toMatchObject({ id: a.userId, name: a.body.name, email: a.body.email });
    expect(res.json.memberships[0]).toMatchObject({ facilityId: a.facilityId, role: 'admin' });
    const zip = await a.client.get('/api/me/export?format=csv');
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toMatch(/\.zip"$/);
  });
});

describe('§8 "Request correction of inaccurate data"', () => {
  it('lets the user correct their name and email themselves', async () => {
    const a = await signUp(t);
    const email = `fixed-${Date.now()}@example.test`;
    const res = await a.client.request('PATCH', '/api/me', { name: 'Correct Name', email, currentPassword: a.body.password });
    expect(res.status).toBe(200);
    expect((await a.client.get('/api/me')).json.user).toMatchObject({ name: 'Correct Name', email });
  });
});

describe('§8 "Opt out of non-essential communications"', () => {
  it('stores the switch on the account and shows it in the export', async () => {
    const a = await signUp(t);
    expect((await a.client.request('PATCH', '/api/me', { emailOptOut: true })).json.emailOptOut).toBe(true);
    expect((await a.client.get('/api/me/export')).json.profile.emailOptOut).toBe(true);
  });

  it('lets a recipient stop non-essential messages from the link in them, without signing in, and from their profile', async () => {
    const admin = await signUp(t);
    const member = await joinAs(t, admin, 'viewer');
    const recipientId = randomUUID();
    await new Device(admin.client, admin.facilityId).push([
      mutation(1, 'recipient.upsert', { id: recipientId, name: 'Opting Out', email: member.email, phone: '+15550123', notifySms: true }),
    ]);
    const switches = () => t.deps.db.withFacility(admin.facilityId, (tx) => tx.recipient.findUniqueOrThrow({ where: { id: recipientId } }));

    // Every non-essential message carries the one-click link (RFC 8058) to this app.
    const link = unsubscribeLink(t.deps, admin.facilityId, recipientId, 'email');
    expect(link.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const oneClick = link.headers['List-Unsubscribe']!.slice(1, -1);
    expect(new URL(oneClick).origin).toBe(t.deps.env.PUBLIC_ORIGIN);
    const res = await t.app.request(oneClick, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await switches()).toMatchObject({ notifyEmail: false, notifySms: true });

    // And from the profile, for SMS too.
    const patched = await member.client.request('PATCH', '/api/me/recipients', {
      facilityId: admin.facilityId,
      recipientId,
      notifySms: false,
    });
    expect(patched.status).toBe(200);
    expect(await switches()).toMatchObject({ notifyEmail: false, notifySms: false });
  });
});

describe('§8 "Request deletion of your data"', () => {
  it('deletes the account with the password: name, email and password are gone and every session ends', async () => {
    const a = await signUp(t);
    const other = await signUp(t);
    const mate = await joinAs(t, other, 'operator');
    const res = await mate.client.request('DELETE', '/api/me', { password: mate.password });
    expect(res.status).toBe(204);
    expect((await mate.client.get('/api/me')).status).toBe(401);
    const row = await t.deps.db.prisma.user.findUnique({ where: { id: mate.userId } });
    expect(JSON.stringify(row)).not.toContain(mate.email);
    expect(row).toMatchObject({ name: 'Former member', passwordHash: '' });
    // An owner is told to hand the organization over first, not silently refused.
    const owner = await a.client.request('DELETE', '/api/me', { password: a.body.password });
    expect([owner.status, owner.json.error]).toEqual([409, 'owner_must_transfer']);
  });
});

const PUBLISHED_POLICY = path.resolve(import.meta.dirname, '../../../shared/product/privacy-policy.txt');
const DAY = 24 * 3600 * 1000;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const jpegWithCameraMetadata = (seed: number) =>
  sharp({ create: { width: 80, height: 60, channels: 3, background: { r: seed % 256, g: 90, b: 30 } } })
    .jpeg()
    .withExif({ IFD0: { Artist: 'Mallory Operator', Make: 'PhoneCo', Model: 'Serial 12345' } })
    .toBuffer();

describe('§6 "Photos: Automatically deleted according to your facility\'s retention policy (default: 90 days, configurable from 7 to 365 days)"', () => {
  it.skipIf(!existsSync(PUBLISHED_POLICY))('the in-app privacy page quotes section 6 word for word', () => {
    const published = readFileSync(PUBLISHED_POLICY, 'utf8');
    for (const line of DATA_RETENTION_POLICY) expect(published).toContain(line);
  });

  it('the in-app page says signatures are kept with their package record as proof of delivery', () => {
    expect(PHOTOS_AND_SIGNATURES.join(' ')).toMatch(
      /Signatures .* proof of delivery .* kept with its package record for as long as the facility exists/,
    );
  });

  it('a photo 91 days old leaves storage, one 89 days old stays, and the signature stays with its package', async () => {
    const a = await signUp(t);
    const d = new Device(a.client, a.facilityId);
    const upload = async (bytes: Buffer, query = '') => {
      const r = await a.client.request('PUT', `/api/sync/blobs/${sha256(bytes)}${query}`, new Uint8Array(bytes), {
        'content-type': query ? 'image/png' : 'image/jpeg',
      });
      expect([200, 201]).toContain(r.status);
      return sha256(bytes);
    };
    const p = receiveArgs();
    const photoHash = await upload(await jpegWithCameraMetadata(1));
    const signatureHash = await upload(
      await sharp({ create: { width: 200, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } })
        .png()
        .toBuffer(),
      '?kind=signature',
    );
    const res = await d.push([
      mutation(1, 'package.receive', p),
      mutation(2, 'package.deliver', { id: p.id, deliveredTo: 'Ada Lovelace', at: new Date().toISOString(), signatureHash, photoHash }),
    ]);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    const head = (hash: string) => a.client.request('HEAD', `/api/sync/blobs/${hash}`).then((r) => r.status);

    await runJobsOnce(t.deps, new Date(Date.now() + 89 * DAY), { notifications: false });
    expect([await head(photoHash), await head(signatureHash)]).toEqual([200, 200]);
    await runJobsOnce(t.deps, new Date(Date.now() + 91 * DAY), { notifications: false });
    expect([await head(photoHash), await head(signatureHash)]).toEqual([404, 200]);
    expect(await t.deps.blobs.listFacility(a.facilityId)).toEqual([`${a.facilityId}/${signatureHash}.png`]);
    const pkg = await a.client.get(`/api/packages/${p.id}`);
    expect(pkg.json.package).toMatchObject({ status: 'delivered', signatureHash });
    expect((await a.client.get(`/api/packages/${p.id}/custody`)).json.verified).toBe(true);
  });

  it('"…or upon account deletion": the photos a member captured are no longer linked to them', async () => {
    const admin = await signUp(t);
    const op = await joinAs(t, admin, 'operator');
    const bytes = await jpegWithCameraMetadata(2);
    const hash = sha256(bytes);
    const put = await op.client.request('PUT', `/api/sync/blobs/${hash}`, new Uint8Array(bytes), { 'content-type': 'image/jpeg' });
    expect(put.status).toBe(201);
    const p = receiveArgs();
    const d = new Device(op.client, admin.facilityId);
    const res = await d.push([mutation(1, 'package.receive', p), mutation(2, 'package.attachPhoto', { id: p.id, hash, kind: 'intake' })]);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);

    expect((await op.client.request('DELETE', '/api/me', { password: op.password })).status).toBe(204);

    // The facility's record keeps its photo (under the same retention)…
    const pkg = await admin.client.get(`/api/packages/${p.id}`);
    expect(pkg.json.attachments.map((x: { hash: string }) => x.hash)).toEqual([hash]);
    // …whose custody event names only "Former member"…
    const custody = await admin.client.get(`/api/packages/${p.id}/custody`);
    const attached = custody.json.events.find((e: { type: string }) => e.type === 'photo_attached');
    expect(attached.actorName).toBe('Former member');
    // …and whose stored bytes carry none of the camera's metadata (who took it, with what, where).
    const [row] = (
      await asOwner(t, (c) =>
        c.query(`SELECT "storageKey" FROM stored_blobs WHERE "facilityId" = $1 AND hash = $2`, [admin.facilityId, hash]),
      )
    ).rows;
    expect(row.storageKey).toBe(`${admin.facilityId}/${hash}.jpg`);
    const stored = await (t.deps.blobs as LocalBlobStorage).read(row.storageKey);
    expect(stored).not.toBeNull();
    expect((await sharp(bytes).metadata()).exif).toBeDefined(); // the upload had it
    const meta = await sharp(stored!).metadata();
    expect([meta.exif, meta.xmp, meta.iptc]).toEqual([undefined, undefined, undefined]);
    expect(stored!.includes(Buffer.from('Mallory Operator'))).toBe(false);
    // Nothing else names the person: the attachment and stored blob rows have no user column, and the
    // person's row is the anonymised one.
    const user = await t.deps.db.prisma.user.findUniqueOrThrow({ where: { id: op.userId } });
    expect(user).toMatchObject({ name: 'Former member' });
    expect(JSON.stringify(user)).not.toContain(op.email);
  });
});
