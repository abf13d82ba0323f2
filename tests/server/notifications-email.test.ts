// Notification email through the real Resend SDK, pointed at a local Resend-compatible server
// (RESEND_BASE_URL): every kind's content, retries with the same idempotency key, permanent
// refusals, replayed pushes, racing workers and the batching window.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { asOwner, signUp, startTestApp, type TestApp } from './harness.ts';
import { sendingTo, startFakeResend, type FakeResend } from './fake-resend.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let fake: FakeResend;
let admin: Awaited<ReturnType<typeof signUp>>;
let facilityName: string;

beforeAll(async () => {
  fake = await startFakeResend();
  t = await startTestApp(
    sendingTo(fake, {
      EMAIL_FROM: 'Mailroom <mailroom@example.test>',
      NOTIFY_BATCH_WINDOW_SECONDS: '120',
      NOTIFY_MAX_ATTEMPTS: '3',
      NOTIFY_SEND_TIMEOUT_SECONDS: '1',
    }),
  );
  admin = await signUp(t);
  facilityName = (await admin.client.get('/api/facility')).json.name;
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

/** The jobs command run at a time past the batching window of everything pushed so far. */
const runJobs = (offsetMs = 5 * 60_000) => runJobsOnce(t.deps, new Date(Date.now() + offsetMs));

let device: Device;
let nextMutation = 1;
const push = (...ms: [string, Record<string, unknown>][]) => device.push(ms.map(([name, args]) => mutation(nextMutation++, name, args)));

async function newRecipient(extra: Record<string, unknown> = {}) {
  const id = randomUUID();
  const email = `r-${id.slice(0, 8)}@example.test`;
  const locationId = randomUUID();
  const res = await push(
    ['location.upsert', { id: locationId, name: 'Front desk', building: 'North' }],
    ['recipient.upsert', { id, name: 'Grace Hopper', email, defaultLocationId: locationId, ...extra }],
  );
  expect(res.status).toBe(200);
  return { id, email, locationId };
}

const rowsFor = (to: string) =>
  t.deps.db.withFacility(admin.facilityId, (tx) => tx.notification.findMany({ where: { to }, orderBy: { createdAt: 'asc' } }));
const deliveredTo = (to: string) => fake.delivered.filter((e) => e.to.includes(to));

beforeAll(() => {
  device = new Device(admin.client, admin.facilityId);
});

describe('every kind reaches email', () => {
  it('Package Received: one email with the facility, the package and where to pick it up', async () => {
    const r = await newRecipient();
    const p = receiveArgs({ recipientId: r.id, recipientName: 'Grace Hopper', locationId: r.locationId, sender: 'ACME Tools' });
    expect((await push(['package.receive', p])).json.results[0].status).toBe('applied');

    expect(await runJobs()).toContain('notifications');
    const [email, ...more] = deliveredTo(r.email);
    expect(more).toEqual([]);
    expect(email!.from).toBe('Mailroom <mailroom@example.test>');
    expect(email!.authorization).toBe('Bearer re_test_key');
    expect(email!.subject).toBe(`A package is waiting for you at ${facilityName}`);
    for (const body of [email!.text!, email!.html!]) {
      expect(body).toContain(p.trackingNumber);
      expect(body).toContain('ACME Tools');
      expect(body).toContain('Front desk, North');
      expect(body).toContain(facilityName);
    }
    expect(email!.html).toMatch(/^<!doctype html>/i);
    // Transactional: no unsubscribe header on a received notice.
    expect(email!.headers?.['List-Unsubscribe']).toBeUndefined();

    const [row] = await rowsFor(r.email);
    expect(row).toMatchObject({ kind: 'received', channel: 'email', status: 'sent', providerId: email!.id, attempts: 1, error: null });
    expect(email!.idempotencyKey).toBe(row!.messageId);
  });

  it('Package Held: asks to contact the mailroom; the hold note only when the facility allows it', async () => {
    const r = await newRecipient();
    const p = receiveArgs({ recipientId: r.id });
    await push(['package.receive', p], ['package.hold', { id: p.id, note: 'Bring photo ID' }]);
    await runJobs();
    const held = deliveredTo(r.email).find((e) => e.subject.includes('on hold'))!;
    expect(held.subject).toBe(`Your package is on hold at ${facilityName}`);
    expect(held.text).toContain('Please contact the mailroom.');
    expect(held.text).not.toContain('Bring photo ID');

    await t.deps.db.prisma.facility.update({ where: { id: admin.facilityId }, data: { holdNoteInNotifications: true } });
    try {
      const p2 = receiveArgs({ recipientId: r.id });
      await push(['package.receive', p2], ['package.hold', { id: p2.id, note: 'Bring photo ID' }]);
      await runJobs();
      const withNote = deliveredTo(r.email).filter((e) => e.subject.includes('on hold'));
      expect(withNote).toHaveLength(2);
      expect(withNote[1]!.text).toContain('Note from the mailroom: Bring photo ID');
      expect(withNote[1]!.html).toContain('Bring photo ID');
    } finally {
      await t.deps.db.prisma.facility.update({ where: { id: admin.facilityId }, data: { holdNoteInNotifications: false } });
    }
  });

  it('Package Delivered: to whom and when', async () => {
    const r = await newRecipient();
    const p = receiveArgs({ recipientId: r.id });
    await push(['package.receive', p]);
    await runJobs();
    await push(['package.deliver', { id: p.id, deliveredTo: 'Alan Turing', at: '2026-11-20T14:05:00.000Z' }]);
    await runJobs();
    const delivered = deliveredTo(r.email).find((e) => e.subject.includes('handed over'))!;
    expect(delivered.subject).toBe(`Your package was handed over at ${facilityName}`);
    expect(delivered.text).toMatch(/handed to Alan Turing on \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect((await rowsFor(r.email)).map((n) => [n.kind, n.status])).toEqual([
      ['received', 'sent'],
      ['delivered', 'sent'],
    ]);
  });

  it('escapes what people typed: a sender name cannot inject HTML', async () => {
    const r = await newRecipient({ name: '<b>Eve</b>' });
    await push(['package.receive', receiveArgs({ recipientId: r.id, sender: '<script>alert(1)</script>' })]);
    await runJobs();
    const [email] = deliveredTo(r.email);
    expect(email!.html).not.toContain('<script>');
    expect(email!.html).toContain('&lt;script&gt;');
    expect(email!.html).not.toContain('<b>Eve</b>');
  });
});

describe('exactly once', () => {
  it('a 500 is retried with the same Idempotency-Key and the email is sent once', async () => {
    const r = await newRecipient();
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    fake.failNext(500);
    await runJobs();
    const requests = fake.requests.filter((e) => e.to.includes(r.email));
    expect(requests).toHaveLength(2);
    expect(requests[0]!.idempotencyKey).toBeTruthy();
    expect(requests[1]!.idempotencyKey).toBe(requests[0]!.idempotencyKey);
    expect(deliveredTo(r.email)).toHaveLength(1);
    const [row] = await rowsFor(r.email);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, messageId: requests[0]!.idempotencyKey });
  });

  it('a retry after the provider accepted (its answer lost) sends nothing twice', async () => {
    const r = await newRecipient();
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    fake.failNext('lost');
    await runJobs();
    const requests = fake.requests.filter((e) => e.to.includes(r.email));
    expect(requests).toHaveLength(2);
    expect(requests[1]!.idempotencyKey).toBe(requests[0]!.idempotencyKey);
    expect(deliveredTo(r.email)).toHaveLength(1);
    expect((await rowsFor(r.email))[0]).toMatchObject({ status: 'sent', attempts: 2, providerId: requests[0]!.id });
  });

  it('a provider that does not answer times out and the message is retried', async () => {
    const r = await newRecipient();
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    fake.failNext('hang');
    await runJobs();
    const requests = fake.requests.filter((e) => e.to.includes(r.email));
    expect(requests).toHaveLength(2);
    expect(requests[1]!.idempotencyKey).toBe(requests[0]!.idempotencyKey);
    expect(deliveredTo(r.email)).toHaveLength(1);
    expect((await rowsFor(r.email))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a message claimed whose send job was lost (a crash between the two) is sent by a later sweep, once', async () => {
    const r = await newRecipient();
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    const [row] = await rowsFor(r.email);
    const messageId = randomUUID();
    // What a sweep that committed its claim and then died leaves behind: a claimed, queued row, no job.
    await t.deps.db.withFacility(admin.facilityId, (tx) =>
      tx.notification.update({
        where: { id: row!.id },
        data: { messageId, subject: 'Claimed before the crash', bodyText: 'text', createdAt: new Date(Date.now() - 3600_000) },
      }),
    );
    await runJobs();
    await runJobs();
    expect(deliveredTo(r.email).map((e) => [e.subject, e.idempotencyKey])).toEqual([['Claimed before the crash', messageId]]);
    expect((await rowsFor(r.email))[0]).toMatchObject({ status: 'sent', messageId });
  });

  it('5xx on every attempt: failed with the reason after NOTIFY_MAX_ATTEMPTS', async () => {
    const r = await newRecipient();
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    fake.failNext(503, 503, 503);
    await runJobs();
    expect(fake.requests.filter((e) => e.to.includes(r.email))).toHaveLength(3);
    const [row] = await rowsFor(r.email);
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(row!.error).toContain('503');
    await runJobs(60 * 60_000);
    expect(fake.requests.filter((e) => e.to.includes(r.email))).toHaveLength(3);
  });

  it('a 400 is recorded as failed with the provider reason and not retried', async () => {
    const r = await newRecipient();
    await push(['package.receive', receiveArgs({ recipientId: r.id })]);
    fake.failNext(400);
    await runJobs();
    await runJobs(60 * 60_000);
    expect(fake.requests.filter((e) => e.to.includes(r.email))).toHaveLength(1);
    expect(deliveredTo(r.email)).toHaveLength(0);
    const [row] = await rowsFor(r.email);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(row!.error).toContain('The `to` address is invalid');
  });

  it('a package logged offline notifies once after sync, however often the push is replayed and the jobs run', async () => {
    const r = await newRecipient();
    const offline = new Device(admin.client, admin.facilityId);
    const batch = [
      mutation(1, 'package.receive', receiveArgs({ recipientId: r.id, receivedAt: new Date(Date.now() - 6 * 3600_000).toISOString() })),
    ];
    expect((await offline.push(batch)).json.results[0].status).toBe('applied');
    expect((await offline.push(batch)).json.results[0].status).toBe('alreadyProcessed');
    await runJobs();
    expect((await offline.push(batch)).json.results[0].status).toBe('alreadyProcessed');
    await runJobs();
    await runJobs(60 * 60_000);
    expect(deliveredTo(r.email)).toHaveLength(1);
    expect(fake.requests.filter((e) => e.to.includes(r.email))).toHaveLength(1);
    expect(await rowsFor(r.email)).toHaveLength(1);
  });

  it('two workers racing over the same due rows send each message once', async () => {
    const recipients = [];
    for (let i = 0; i < 5; i++) recipients.push(await newRecipient());
    await push(...recipients.map((r): [string, Record<string, unknown>] => ['package.receive', receiveArgs({ recipientId: r.id })]));
    await Promise.all([runJobs(), runJobs(), runJobs()]);
    for (const r of recipients) {
      expect(deliveredTo(r.email)).toHaveLength(1);
      expect(fake.requests.filter((e) => e.to.includes(r.email))).toHaveLength(1);
    }
  });
});

describe('batching', () => {
  it('packages received for one recipient within the window go out as one message', async () => {
    const r = await newRecipient();
    const first = receiveArgs({ recipientId: r.id });
    await push(['package.receive', first]);
    // Inside the window: nothing leaves yet.
    await runJobsOnce(t.deps, new Date());
    expect(deliveredTo(r.email)).toHaveLength(0);
    const more = [receiveArgs({ recipientId: r.id }), receiveArgs({ recipientId: r.id })];
    await push(...more.map((p): [string, Record<string, unknown>] => ['package.receive', p]));
    await runJobs();
    const [email, ...others] = deliveredTo(r.email);
    expect(others).toEqual([]);
    expect(email!.subject).toBe(`3 packages are waiting for you at ${facilityName}`);
    for (const p of [first, ...more]) expect(email!.text).toContain(p.trackingNumber);
    const rows = await rowsFor(r.email);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((n) => n.messageId)).size).toBe(1);
    expect(rows.every((n) => n.status === 'sent')).toBe(true);
  });

  it('another recipient, or another kind, is another message', async () => {
    const a = await newRecipient();
    const b = await newRecipient();
    const p = receiveArgs({ recipientId: a.id });
    await push(['package.receive', p], ['package.receive', receiveArgs({ recipientId: b.id })], ['package.hold', { id: p.id, note: 'x' }]);
    await runJobs();
    expect(deliveredTo(a.email).map((e) => e.subject.split(' at ')[0])).toEqual(
      expect.arrayContaining(['A package is waiting for you', 'Your package is on hold']),
    );
    expect(deliveredTo(b.email)).toHaveLength(1);
  });
});

describe('account emails', () => {
  it('go through the same Resend SDK', async () => {
    const { ResendEmail } = await import('../../sync-server/src/mail/mailer.ts');
    const mailer = new ResendEmail('re_test_key', 'Mailroom <mailroom@example.test>', fake.url);
    await mailer.send({ to: 'someone@example.test', subject: 'Reset your password', text: 'link' });
    expect(fake.delivered.map((e) => [e.to, e.subject])).toEqual([[['someone@example.test'], 'Reset your password']]);
    fake.failNext(422);
    await expect(mailer.send({ to: 'bad', subject: 's', text: 't' })).rejects.toThrow(/invalid/);
  });
});

it('the row a test reads is what the owner sees (no RLS surprise)', async () => {
  const n = await asOwner(
    t,
    async (c) => (await c.query(`SELECT count(*)::int AS n FROM notifications WHERE "facilityId" = $1`, [admin.facilityId])).rows[0].n,
  );
  expect(n).toBeGreaterThan(0);
});
