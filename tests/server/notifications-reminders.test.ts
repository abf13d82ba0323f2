// Reminders with a controlled clock (the jobs command's --now): on the facility's interval in its
// own time zone, never in its quiet hours, one email per recipient listing everything waiting,
// stopping once the packages are collected, and only to recipients who want email.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { localDate, startOfLocalDay } from '../../src/lib/domain/zoned-time.ts';
import { runJobsOnce } from '../../sync-server/src/jobs.ts';
import { unsubscribeLink } from '../../sync-server/src/notifications/unsubscribe.ts';
import { signUp, startTestApp, type TestApp } from './harness.ts';
import { sendingTo, startFakeResend, type FakeResend } from './fake-resend.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';

const ZONE = 'America/New_York';
let t: TestApp;
let fake: FakeResend;
let admin: Awaited<ReturnType<typeof signUp>>;
let device: Device;
let seq = 1;
const push = (...ms: [string, Record<string, unknown>][]) => device.push(ms.map(([name, args]) => mutation(seq++, name, args)));

beforeAll(async () => {
  fake = await startFakeResend();
  t = await startTestApp(sendingTo(fake));
  admin = await signUp(t);
  device = new Device(admin.client, admin.facilityId);
  // New York, a reminder every 24 hours, the default quiet hours (20:00–07:00).
  await t.deps.db.prisma.facility.update({ where: { id: admin.facilityId }, data: { timezone: ZONE, reminderIntervalHours: 24 } });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

/** Local midnight in New York, four days ago: the packages arrive that morning. */
const day0 = startOfLocalDay(localDate(new Date(Date.now() - 4 * 86400_000), ZONE), ZONE).getTime();
/** An instant as hours after that midnight (no clock change falls in these days in late autumn). */
const at = (hours: number) => new Date(day0 + hours * 3600_000);
const reminders = (email: string) => fake.delivered.filter((e) => e.to.includes(email) && e.subject.startsWith('Reminder'));

async function recipient(name: string) {
  const id = randomUUID();
  const email = `${name.toLowerCase()}-${id.slice(0, 6)}@example.test`;
  await push(['recipient.upsert', { id, name, email }]);
  return { id, email };
}

it('reminds on schedule in the facility time zone, not in quiet hours, one email listing all waiting packages, until they are collected', async () => {
  const r = await recipient('Grace');
  const p1 = receiveArgs({ recipientId: r.id, receivedAt: at(9).toISOString() });
  const p2 = receiveArgs({ recipientId: r.id, receivedAt: at(11).toISOString() });
  await push(['package.receive', p1], ['package.receive', p2]);

  await runJobsOnce(t.deps, at(24 + 8)); // 08:00 the next day: only 23 hours
  expect(reminders(r.email)).toHaveLength(0);

  await runJobsOnce(t.deps, at(24 + 9)); // 09:00
  const [first, ...others] = reminders(r.email);
  expect(others).toEqual([]);
  expect(first!.subject).toMatch(/^Reminder: 2 packages are still waiting for you at /);
  expect(first!.text).toContain(p1.trackingNumber);
  expect(first!.text).toContain(p2.trackingNumber);
  // Non-essential: it carries what the unsubscribe link answers for this recipient.
  const link = unsubscribeLink(t.deps, admin.facilityId, r.id, 'email');
  expect(first!.headers ?? {}).toEqual(link.headers);
  if (link.url) expect(first!.text).toContain(link.url);

  // The same run again, and later that day: nothing more.
  await runJobsOnce(t.deps, at(24 + 9));
  await runJobsOnce(t.deps, at(24 + 19));
  expect(reminders(r.email)).toHaveLength(1);

  // Due again from 09:00 on day 2; at 21:00 on day 3 it is due, but quiet hours hold it back.
  await runJobsOnce(t.deps, at(72 + 21));
  expect(reminders(r.email)).toHaveLength(1);
  // 06:59 New York (11:59 UTC, outside quiet hours in UTC): still quiet for this facility.
  await runJobsOnce(t.deps, at(96 + 6 + 59 / 60));
  expect(reminders(r.email)).toHaveLength(1);
  await runJobsOnce(t.deps, at(96 + 7));
  expect(reminders(r.email)).toHaveLength(2);

  // Collected: no more reminders.
  await push(['package.deliver', { id: p1.id, deliveredTo: 'Grace', at: new Date().toISOString() }]);
  await push(['package.deliver', { id: p2.id, deliveredTo: 'Grace', at: new Date().toISOString() }]);
  await runJobsOnce(t.deps, at(96 + 7 + 48));
  expect(reminders(r.email)).toHaveLength(2);
});

it("lists what still waits when it goes out, and respects the opt-outs (the recipient's and the account's)", async () => {
  const r = await recipient('Ada');
  const optedOut = await recipient('Alan');
  // A user whose account has the address of a recipient and said "email me only what is needed".
  const user = await signUp(t, { email: `Kay-${randomUUID().slice(0, 6)}@example.test` });
  await t.deps.db.prisma.user.update({ where: { id: user.userId }, data: { emailOptOut: true } });
  const accountOptedOut = randomUUID();
  await push(['recipient.upsert', { id: accountOptedOut, name: 'Kay', email: user.body.email.toLowerCase() }]);
  await push(['package.receive', receiveArgs({ recipientId: accountOptedOut, receivedAt: at(8).toISOString() })]);
  const a = receiveArgs({ recipientId: r.id, receivedAt: at(8).toISOString() });
  const b = receiveArgs({ recipientId: r.id, receivedAt: at(8).toISOString() });
  await push(
    ['package.receive', a],
    ['package.receive', b],
    ['package.receive', receiveArgs({ recipientId: optedOut.id, receivedAt: at(8).toISOString() })],
  );
  await t.deps.db.withFacility(admin.facilityId, (tx) => tx.recipient.update({ where: { id: optedOut.id }, data: { notifyEmail: false } }));
  await push(['package.return', { id: b.id, note: 'refused' }]);

  await runJobsOnce(t.deps, at(24 + 10));
  const [reminder] = reminders(r.email);
  expect(reminder!.subject).toMatch(/^Reminder: a package is still waiting/);
  expect(reminder!.text).toContain(a.trackingNumber);
  expect(reminder!.text).not.toContain(b.trackingNumber);
  expect(reminders(optedOut.email)).toHaveLength(0);
  expect(reminders(user.body.email.toLowerCase())).toHaveLength(0);
  const rows = await t.deps.db.withFacility(admin.facilityId, (tx) =>
    tx.notification.findMany({ where: { kind: 'reminder', recipientId: { in: [r.id, optedOut.id, accountOptedOut] } } }),
  );
  expect(rows.map((n) => [n.recipientId, n.channel, n.status])).toEqual([[r.id, 'email', 'sent']]);
});
