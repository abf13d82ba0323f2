// The delivery log and captured outbox (http-api.md "Notifications"): admins see every notification
// of the active facility with its kind, channel, recipient, status and the provider's reason, filter
// and page through it, open a message as it was rendered, and send a failed one again.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAs, signUp, startTestApp, TestClient, type TestApp } from './harness.ts';
import { writeNotification } from './notification-rows.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let recipientId: string;
let packageId: string;
let trackingNumber: string;
const ids: Record<string, string> = {};

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeAll(async () => {
  t = await startTestApp();
  admin = await signUp(t);
  recipientId = randomUUID();
  const p = receiveArgs({ recipientId, recipientName: 'Grace Hopper' });
  packageId = p.id;
  trackingNumber = p.trackingNumber;
  await new Device(admin.client, admin.facilityId).push([
    mutation(1, 'recipient.upsert', { id: recipientId, name: 'Grace Hopper', email: 'grace@example.test' }),
    mutation(2, 'package.receive', p),
  ]);
  // The push queued its own Package Received row (an old-style kind); the rest as the pipeline writes them.
  const base = { packageId, recipientId };
  ids.sent = await writeNotification(t, admin.facilityId, {
    ...base,
    kind: 'received',
    status: 'sent',
    to: 'grace@example.test',
    createdAt: minutesAgo(50),
  });
  ids.failed = await writeNotification(t, admin.facilityId, {
    ...base,
    kind: 'held',
    status: 'failed',
    to: 'grace@example.test',
    error: 'Resend 422: The to address is invalid',
    attempts: 5,
    messageId: randomUUID(),
    createdAt: minutesAgo(40),
  });
  ids.captured = await writeNotification(t, admin.facilityId, {
    ...base,
    kind: 'reminder',
    status: 'captured',
    to: 'grace@example.test',
    subject: 'A package is waiting for you',
    bodyText: 'Hello Grace, a package is waiting at the mailroom.',
    bodyHtml: '<p>Hello Grace, a package is <strong>waiting</strong>.</p>',
    createdAt: minutesAgo(30),
  });
  ids.sms = await writeNotification(t, admin.facilityId, {
    ...base,
    kind: 'delivered',
    channel: 'sms',
    status: 'failed',
    to: '+15550100',
    error: 'Twilio 21211',
    createdAt: minutesAgo(20),
  });
  ids.slack = await writeNotification(t, admin.facilityId, {
    ...base,
    kind: 'package_held',
    channel: 'slack',
    status: 'sent',
    to: 'Slack feed',
    createdAt: minutesAgo(10),
  });
});
afterAll(() => t?.close());

const list = async (q = '', c: TestClient = admin.client) => {
  const res = await c.get(`/api/notifications${q ? `?${q}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.json as { items: { id: string; kind: string; status: string; channel: string }[]; nextCursor: string | null };
};

describe('GET /api/notifications', () => {
  it('lists every notification newest first with the fields http-api.md fixes', async () => {
    const page = await list();
    const mine = page.items.filter((i) => Object.values(ids).includes(i.id));
    expect(mine.map((i) => i.id)).toEqual([ids.slack, ids.sms, ids.captured, ids.failed, ids.sent]);
    // The push's own row is there too, its old kind name read as the wire's.
    const queued = page.items.find((i) => i.status === 'queued');
    expect(queued).toMatchObject({ kind: 'received', channel: 'email', packageId });
    const failed = page.items.find((i) => i.id === ids.failed)!;
    expect(failed).toMatchObject({
      kind: 'held',
      channel: 'email',
      to: 'grace@example.test',
      status: 'failed',
      packageId,
      trackingNumber,
      recipientId,
      recipientName: 'Grace Hopper',
      sentAt: null,
      error: 'Resend 422: The to address is invalid',
      attempts: 5,
      hasMessage: false,
    });
    expect(Object.keys(failed)).toEqual(
      expect.arrayContaining(['id', 'kind', 'channel', 'to', 'status', 'packageId', 'createdAt', 'sentAt', 'error']),
    );
    expect(page.items.find((i) => i.id === ids.slack)).toMatchObject({ kind: 'held', channel: 'slack' });
  });

  it('filters by status, channel and kind (old kind names included), and pages with a cursor', async () => {
    expect((await list('status=captured')).items.map((i) => i.id)).toEqual([ids.captured]);
    expect((await list('status=failed')).items.map((i) => i.id)).toEqual([ids.sms, ids.failed]);
    expect((await list('channel=sms')).items.map((i) => i.id)).toEqual([ids.sms]);
    expect((await list('kind=held')).items.map((i) => i.id)).toEqual([ids.slack, ids.failed]);
    expect((await list('status=failed&channel=email')).items.map((i) => i.id)).toEqual([ids.failed]);
    expect((await list('status=queued')).items).toHaveLength(1);

    const all = (await list()).items.map((i) => i.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('is for admins only', async () => {
    for (const role of ['operator', 'courier', 'viewer']) {
      const member = await joinAs(t, admin, role);
      const res = await member.client.get('/api/notifications');
      expect(res.status, role).toBe(403);
      expect(res.json.error).toBe('forbidden');
      expect((await member.client.get(`/api/notifications/${ids.captured}`)).status, role).toBe(403);
      expect((await member.client.post(`/api/notifications/${ids.failed}/resend`)).status, role).toBe(403);
    }
    expect((await new TestClient(t).get('/api/notifications')).status).toBe(401);
    const row = await t.deps.db.withFacility(admin.facilityId, (tx) => tx.notification.findUniqueOrThrow({ where: { id: ids.failed } }));
    expect(row.status).toBe('failed');
  });

  it('refuses junk queries with 400', async () => {
    for (const q of [
      'status=lost',
      'channel=fax',
      'kind=package_received',
      'limit=0',
      'limit=201',
      'cursor=nope',
      'cursor=%00',
      'facilityId=x',
    ]) {
      const res = await admin.client.get(`/api/notifications?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.error).toBe('invalid_input');
    }
  });
});

describe('GET /api/notifications/{id}', () => {
  it('shows the message as it was rendered (the captured outbox)', async () => {
    const res = await admin.client.get(`/api/notifications/${ids.captured}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: ids.captured,
      kind: 'reminder',
      status: 'captured',
      hasMessage: true,
      subject: 'A package is waiting for you',
      bodyText: 'Hello Grace, a package is waiting at the mailroom.',
      bodyHtml: '<p>Hello Grace, a package is <strong>waiting</strong>.</p>',
    });
    expect((await admin.client.get(`/api/notifications/${randomUUID()}`)).status).toBe(404);
    expect((await admin.client.get('/api/notifications/not-a-uuid')).status).toBe(400);
  });
});

describe('GET /api/notifications/{id}/html', () => {
  it('serves the HTML as its own sandboxed document that runs nothing and loads nothing', async () => {
    const res = await admin.client.get(`/api/notifications/${ids.captured}/html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toBe('<p>Hello Grace, a package is <strong>waiting</strong>.</p>');
    const csp = res.headers.get('content-security-policy')!;
    for (const d of ["default-src 'none'", 'sandbox', "frame-ancestors 'self'", "style-src 'unsafe-inline'"]) expect(csp).toContain(d);
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    // A row without HTML (an SMS, a failed send that kept nothing) has none to show.
    expect((await admin.client.get(`/api/notifications/${ids.sms}/html`)).status).toBe(404);
    const viewer = await joinAs(t, admin, 'viewer');
    expect((await viewer.client.get(`/api/notifications/${ids.captured}/html`)).status).toBe(403);
  });
});

describe('POST /api/notifications/{id}/resend', () => {
  it('queues a failed one again as the same row, and refuses any other status', async () => {
    const res = await admin.client.post(`/api/notifications/${ids.failed}/resend`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: ids.failed, status: 'queued', error: null, attempts: 0 });
    const row = await t.deps.db.withFacility(admin.facilityId, (tx) => tx.notification.findUniqueOrThrow({ where: { id: ids.failed } }));
    expect(row).toMatchObject({ status: 'queued', messageId: null, attempts: 0, error: null, nextAttemptAt: null });

    for (const id of [ids.failed, ids.sent, ids.captured]) {
      const again = await admin.client.post(`/api/notifications/${id}/resend`);
      expect(again.status, id).toBe(409);
      expect(again.json.error).toBe('not_failed');
    }
    expect((await admin.client.post(`/api/notifications/${randomUUID()}/resend`)).status).toBe(404);
    expect((await admin.client.post('/api/notifications/12/resend')).status).toBe(400);
    expect((await list('status=failed')).items.map((i) => i.id)).toEqual([ids.sms]);
  });
});
