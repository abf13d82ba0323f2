// Without provider keys nothing leaves the machine: email is rendered and captured. The outbox
// fans an event out only to channels that exist for it: the in-app bell of a user linked by a
// verified email, SMS and the facility feeds only when the facility connected them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { joinAs, signUp, startTestApp, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let device: Device;
let seq = 1;
const push = (...ms: [string, Record<string, unknown>][]) => device.push(ms.map(([name, args]) => mutation(seq++, name, args)));
const rowsOf = (recipientId: string) =>
  t.deps.db.withFacility(admin.facilityId, (tx) => tx.notification.findMany({ where: { recipientId }, orderBy: { channel: 'asc' } }));

beforeAll(async () => {
  t = await startTestApp({ NOTIFY_BATCH_WINDOW_SECONDS: '0' });
  admin = await signUp(t);
  device = new Device(admin.client, admin.facilityId);
});
afterAll(() => t?.close());

it('without RESEND_API_KEY an email is rendered and captured, never sent', async () => {
  const id = randomUUID();
  await push(['recipient.upsert', { id, name: 'Grace Hopper', email: 'grace.captured@example.test', phone: '+15551234567' }]);
  const p = receiveArgs({ recipientId: id });
  await push(['package.receive', p]);
  await runJobsOnce(t.deps, new Date(Date.now() + 60_000));
  const rows = await rowsOf(id);
  // No SMS row: the facility has no SMS integration (and the recipient never asked for SMS).
  expect(rows.map((n) => [n.channel, n.kind, n.status, n.to])).toEqual([['email', 'received', 'captured', 'grace.captured@example.test']]);
  expect(rows[0]!.subject).toContain('A package is waiting for you at');
  expect(rows[0]!.bodyText).toContain(p.trackingNumber);
  expect(rows[0]!.bodyHtml).toContain(p.trackingNumber);
  expect(rows[0]!.sentAt).toBeNull();
  expect(rows[0]!.messageId).toBeTruthy();
});

it('a recipient who opted out of email gets no email row; SMS only with a connected integration', async () => {
  const id = randomUUID();
  await push(['recipient.upsert', { id, name: 'Quiet Person', email: 'quiet@example.test', phone: '+15550000000' }]);
  await t.deps.db.withFacility(admin.facilityId, (tx) =>
    tx.recipient.update({ where: { id }, data: { notifyEmail: false, notifySms: true } }),
  );
  await push(['package.receive', receiveArgs({ recipientId: id })]);
  expect(await rowsOf(id)).toEqual([]);
});

it('the in-app bell: a row for the member whose verified email matches the recipient (any case), none for an unverified member or a verified non-member', async () => {
  const member = await joinAs(t, admin, 'viewer');
  const unverified = await joinAs(t, admin, 'viewer');
  await t.deps.db.prisma.user.update({ where: { id: unverified.userId }, data: { emailVerifiedAt: null } });
  const outsider = await signUp(t);
  await t.deps.db.prisma.user.update({ where: { id: outsider.userId }, data: { emailVerifiedAt: new Date() } });
  const linked = randomUUID();
  const notLinked = randomUUID();
  const notMember = randomUUID();
  await push(
    ['recipient.upsert', { id: linked, name: 'Linked', email: member.email.toUpperCase() }],
    ['recipient.upsert', { id: notLinked, name: 'Not linked', email: unverified.email }],
    ['recipient.upsert', { id: notMember, name: 'Not a member', email: outsider.body.email }],
  );
  await push(
    ['package.receive', receiveArgs({ recipientId: linked })],
    ['package.receive', receiveArgs({ recipientId: notLinked })],
    ['package.receive', receiveArgs({ recipientId: notMember })],
  );
  await runJobsOnce(t.deps, new Date(Date.now() + 60_000));
  const rows = await rowsOf(linked);
  expect(rows.map((n) => [n.channel, n.status])).toEqual([
    ['email', 'captured'],
    ['inapp', 'sent'],
  ]);
  const bell = rows.find((n) => n.channel === 'inapp')!;
  expect(bell.userId).toBe(member.userId);
  expect(bell.subject).toContain('A package is waiting for you');
  expect(bell.readAt).toBeNull();
  expect((await rowsOf(notLinked)).map((n) => n.channel)).toEqual(['email']);
  expect((await rowsOf(notMember)).map((n) => n.channel)).toEqual(['email']);
});

it('Slack and Teams: one feed row per event only when the facility connected them', async () => {
  await t.deps.db.withFacility(admin.facilityId, (tx) =>
    tx.integration.createMany({
      data: ['slack', 'teams', 'twilio'].map((kind) => ({
        id: randomUUID(),
        facilityId: admin.facilityId,
        kind,
        credentials: 'sealed',
        version: 0,
      })),
    }),
  );
  const id = randomUUID();
  await push(['recipient.upsert', { id, name: 'Feed Person', email: 'feed@example.test', phone: '+15557654321' }]);
  await t.deps.db.withFacility(admin.facilityId, (tx) => tx.recipient.update({ where: { id }, data: { notifySms: true } }));
  await push(['package.receive', receiveArgs({ recipientId: id })]);
  expect((await rowsOf(id)).map((n) => [n.channel, n.to, n.status])).toEqual([
    ['email', 'feed@example.test', 'queued'],
    ['slack', 'slack feed', 'queued'],
    ['sms', '+15557654321', 'queued'],
    ['teams', 'teams feed', 'queued'],
  ]);
});

it('an accepted invitation verifies the address (the bell links), a changed address does not until verified again', async () => {
  const member = await joinAs(t, admin, 'viewer');
  const first = randomUUID();
  await push(['recipient.upsert', { id: first, name: 'Member', email: member.email }]);
  await push(['package.receive', receiveArgs({ recipientId: first })]);
  expect((await rowsOf(first)).find((n) => n.channel === 'inapp')?.userId).toBe(member.userId);

  const newEmail = `moved-${randomUUID().slice(0, 8)}@example.test`;
  const res = await member.client.request('PATCH', '/api/me', { email: newEmail, currentPassword: member.password });
  expect(res.status).toBe(200);
  const second = randomUUID();
  await push(['recipient.upsert', { id: second, name: 'Member moved', email: newEmail }]);
  await push(['package.receive', receiveArgs({ recipientId: second })]);
  const channels = (await rowsOf(second)).map((n) => n.channel);
  expect(channels).toContain('email');
  expect(channels).not.toContain('inapp');
});

it('EMAIL_FROM names the sender; MAIL_FROM, its older name, still works alone', async () => {
  const { loadEnv } = await import('../../sync-server/src/env.ts');
  expect(loadEnv({ MAIL_FROM: 'Old <old@example.test>' }).EMAIL_FROM).toBe('Old <old@example.test>');
  expect(loadEnv({ MAIL_FROM: 'Old <old@example.test>', EMAIL_FROM: 'New <new@example.test>' }).EMAIL_FROM).toBe('New <new@example.test>');
  expect(() => loadEnv({ NOTIFY_BATCH_WINDOW_SECONDS: '-1' })).toThrow(/NOTIFY_BATCH_WINDOW_SECONDS/);
  expect(() => loadEnv({ RESEND_BASE_URL: 'not a url' })).toThrow(/RESEND_BASE_URL/);
});
